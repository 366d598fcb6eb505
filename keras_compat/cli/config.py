"""Configuration for the CLI: ``[tool.keras-compat]`` in ``pyproject.toml`` merged with command-line flags.

The rule selection and rule options become one core :class:`~keras_compat.settings.Settings`; the CLI
adds file selection (``exclude``, ``extend-exclude``), ``per-file-ignores`` and ``cache-dir``. Any
unknown key or bad value is a :class:`ConfigError` naming the key and the file (exit status 2).

Precedence: ``--select``/``--ignore``/``--exclude``/``--per-file-ignores`` on the command line replace
the configured value; ``--extend-*`` flags are added to the configured ``extend-*`` lists.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from keras_compat.settings import Settings, SettingsError, settings_from_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TABLE = "tool.keras-compat"
#: Keys the CLI understands besides the core's rule selection and rule options.
CLI_KEYS = ("exclude", "extend-exclude", "extend-include", "per-file-ignores", "cache-dir",
            "max-file-seconds", "max-file-size", "follow-links", "respect-gitignore", "force-exclude",
            "cache-max-size")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass
class Config:
    """Everything the CLI reads from configuration (file plus flags)."""

    settings: Settings = field(default_factory=Settings)
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    extend_include: tuple[str, ...] = ()  # further files to check below directories (besides .py, .ipynb)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    cache_dir: Path | None = None
    max_file_seconds: float | None = None  # None: the default of keras_compat.cli.limits
    max_file_size: float | None = None  # megabytes
    cache_max_size: float | None = None  # megabytes of cache entries (None: the default; 0: no cap)
    follow_links: bool = False
    respect_gitignore: bool = True  # skip what .gitignore / .ignore files ignore while walking
    force_exclude: bool = False  # apply the exclusions to paths named on the command line too
    path: Path | None = None  # the pyproject.toml read, if any
    root: Path = field(default_factory=Path.cwd)  # base for relative patterns and the cache

    @property
    def excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.keras-compat]`` table, walking up from ``start``."""
    start = start.resolve()
    try:
        here = start if start.is_dir() else start.parent
    except OSError:  # cannot even look at it: the run reports the path itself
        here = start.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        try:
            found = candidate.is_file()
        except OSError:  # an unreadable directory: the walk reports it (a warning and exit status 2)
            continue
        if found:
            try:
                data = _read_toml(candidate)
            except ConfigError:
                return candidate  # a broken file that may be ours: let load() report it
            if "keras-compat" in data.get("tool", {}):
                return candidate
    return None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise ConfigError(f"{where}: {key} must be a list of strings, got {value!r}")


def _codes(value: object, key: str, where: str) -> tuple[str, ...]:
    codes = tuple(c for part in _strings(value, key, where) for c in part.replace(",", " ").split())
    try:
        Settings(ignore=codes)
    except SettingsError as exc:
        raise ConfigError(f"{where}: {key}: {str(exc).split(': ', 1)[-1]}") from None
    return codes


PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]


def parse_per_file_ignores(value: object, where: str, key: str = "per-file-ignores") -> PerFileIgnores:
    """A table ``{pattern = [codes]}`` or ``pattern:codes`` strings (the command-line form)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(value, Mapping):
        for pattern, codes in value.items():
            out.append((str(pattern), _codes(codes, f"{key}.{pattern!r}", where)))
    elif isinstance(value, (list, tuple)):
        for item in value:
            if not isinstance(item, str) or ":" not in item:
                raise ConfigError(f"{where}: {key}: expected 'pattern:CODES', got {item!r}")
            pattern, codes = item.rsplit(":", 1)
            out.append((pattern.strip(), _codes(codes, f"{key} {pattern.strip()!r}", where)))
    else:
        raise ConfigError(f"{where}: {key} must be a table of pattern = [codes], got {value!r}")
    return tuple(out)


def load(path: Path | None) -> tuple[dict, Path | None]:
    """The ``[tool.keras-compat]`` table of ``path`` (empty without a file)."""
    if path is None:
        return {}, None
    data = _read_toml(path)
    table = data.get("tool", {}).get("keras-compat", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{TABLE}] must be a table")
    return table, path


def _named(message: str, where: str) -> str:
    return message if message.startswith(where) else f"{where}: {message}"


def build(table: Mapping[str, object], path: Path | None, flags: Mapping[str,
                                                                         object] | None = None) -> Config:
    """Validate a config table and merge command-line ``flags`` (None values = not given)."""
    flags = dict(flags or {})
    where = f"{path} [{TABLE}]" if path else "command line"
    core = {k: v for k, v in table.items() if k.replace("_", "-") not in CLI_KEYS}
    cli = {k.replace("_", "-"): v for k, v in table.items() if k.replace("_", "-") in CLI_KEYS}
    try:
        settings_from_mapping(core, source=where)  # validates every core key and value against the file
    except SettingsError as exc:
        raise ConfigError(_named(str(exc), where)) from None

    merged = {k.replace("_", "-"): v for k, v in core.items()}
    if "target" in merged and "keras-target" not in merged:
        merged["keras-target"] = merged.pop("target")
    for key in ("select", "ignore"):
        if flags.get(key) is not None:
            merged[key] = list(flags[key])  # type: ignore[arg-type]
    for key in ("extend-select", "extend-ignore"):
        if flags.get(key):
            merged[key] = [*_strings(merged.get(key, []), key, where), *flags[key]]  # type: ignore[misc]
    if flags.get("keras-target") is not None:
        merged["keras-target"] = flags["keras-target"]
    try:
        given = any(flags.get(k) for k in ("select", "ignore", "extend-select", "extend-ignore",
                                           "keras-target"))
        source = where if not given else ("command line" if path is None else f"{where} / command line")
        settings = settings_from_mapping(merged, source=source)
    except SettingsError as exc:
        raise ConfigError(_named(str(exc), source)) from None

    root = path.parent if path else Path.cwd()
    config = Config(settings=settings, path=path, root=root)
    if "exclude" in cli:
        config.exclude = _strings(cli["exclude"], "exclude", where)
    if "extend-exclude" in cli:
        config.extend_exclude = _strings(cli["extend-exclude"], "extend-exclude", where)
    if "extend-include" in cli:
        config.extend_include = _strings(cli["extend-include"], "extend-include", where)
    if "per-file-ignores" in cli:
        config.per_file_ignores = parse_per_file_ignores(cli["per-file-ignores"], where)
    if "cache-dir" in cli:
        if not isinstance(cli["cache-dir"], str):
            raise ConfigError(f"{where}: cache-dir must be a string, got {cli['cache-dir']!r}")
        config.cache_dir = (root / cli["cache-dir"]).resolve()
    for key in ("max-file-seconds", "max-file-size", "cache-max-size"):
        if key in cli:
            value = cli[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{where}: {key} must be a number >= 0 (0: no limit), got {value!r}")
            setattr(config, key.replace("-", "_"), float(value))
    for key in ("follow-links", "respect-gitignore", "force-exclude"):
        if key in cli:
            if not isinstance(cli[key], bool):
                raise ConfigError(f"{where}: {key} must be true or false, got {cli[key]!r}")
            setattr(config, key.replace("-", "_"), cli[key])

    if flags.get("exclude") is not None:
        config.exclude = tuple(flags["exclude"])  # type: ignore[arg-type]
    if flags.get("extend-exclude"):
        config.extend_exclude += tuple(flags["extend-exclude"])  # type: ignore[arg-type]
    if flags.get("extend-include"):
        config.extend_include += tuple(flags["extend-include"])  # type: ignore[arg-type]
    if flags.get("per-file-ignores") is not None:
        config.per_file_ignores = parse_per_file_ignores(flags["per-file-ignores"], "command line",
                                                         "--per-file-ignores")
    if flags.get("cache-dir") is not None:
        config.cache_dir = Path(str(flags["cache-dir"])).resolve()
    for key in ("max-file-seconds", "max-file-size", "cache-max-size"):
        if flags.get(key) is not None:
            setattr(config, key.replace("-", "_"), float(flags[key]))  # type: ignore[arg-type]
    if flags.get("follow-links"):
        config.follow_links = True
    for key in ("respect-gitignore", "force-exclude"):
        if flags.get(key) is not None:
            setattr(config, key.replace("-", "_"), bool(flags[key]))
    return config


def resolve(paths: Sequence[str], config_file: str | None, isolated: bool,
            flags: Mapping[str, object]) -> Config:
    """Find, read and merge the configuration for a run over ``paths``."""
    if isolated:
        return build({}, None, flags)
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{config_file}: configuration file not found")
        table, found = load(path.resolve())
        if found is not None and found.name != "pyproject.toml":  # a dedicated file: table or top level
            data = _read_toml(found)
            if "tool" not in data:
                table = data
        return build(table, found, flags)
    first = next((p for p in paths if p != "-"), ".")
    table, found = load(find_pyproject(Path(first)))
    return build(table, found, flags)
