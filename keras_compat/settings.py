"""Settings shared by every front-end: rule selection and rule options.

One :class:`Settings` object is built from the CLI's ``[tool.keras-compat]``, flake8 options or pylint
options; rules only ever read this object. Option names are declared once in :data:`OPTIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from keras_compat.limits import DEFAULT_MAX_FILE_MB, DEFAULT_MAX_FILE_SECONDS
from keras_compat.record import Record, uncompared

TARGETS = ("tf-keras", "keras3")
_CODE_PREFIX = r"^KC\d{0,3}$|^ALL$"
_MODULE_PATH = r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$"


class SettingsError(ValueError):
    """A configuration value is invalid; the message names the key."""


class Option(Record):
    """A rule option exposed by every front-end (``keras-<name>`` in flake8/pylint)."""

    name: str
    default: object
    help: str
    choices: tuple[str, ...] = ()
    kind: str = "string"  # "string" | "csv" | "limit" (a number >= 0, 0: no limit) | "store" (a plugin's
    # summary store, keras_compat.summary_store); limits and the store are not rule settings


OPTIONS: tuple[Option, ...] = (
    Option("target", "tf-keras", "Keras API the code migrates to: tf-keras (TF 2.x, Keras 2 API) or keras3.",
           choices=TARGETS),
    Option("extra-backend-aliases", (), "Extra module paths to treat as the Keras backend (comma separated), "
           "e.g. a project's own 'mypkg.backend' re-export.", kind="csv"),
    Option("max-file-seconds", DEFAULT_MAX_FILE_SECONDS, "Stop analysing a file after this many seconds and report "
           "it as KC001 instead (0: no limit).", kind="limit"),
    Option("max-file-size", DEFAULT_MAX_FILE_MB, "Do not analyse a file larger than this many MB; report it as "
           "KC001 instead (0: no limit).", kind="limit"),
    Option("summary-cache", "auto", "Where the flake8 and pylint plugins keep what they learn about the project's "
           "other modules between runs: auto (the user's cache directory, or $KERAS_COMPAT_CACHE_DIR), a "
           "directory, or none (memory only).", kind="store"),
)
#: The options that configure the rules (the limits and the summary store are the plugins' business; see
#: keras_compat.limits and keras_compat.summary_store).
RULE_OPTIONS = tuple(o for o in OPTIONS if o.kind not in ("limit", "store"))


def default_disabled_codes() -> frozenset[str]:
    """Codes of the rules that are off by default (from the registry's manifest: no rule module is loaded)."""
    from keras_compat.registry import default_disabled_codes as codes

    return codes()


class Settings(Record):
    """Which rules run and how. Codes are prefixes as in flake8 and ruff (``KC2`` selects KC2xx)."""

    select: tuple[str, ...] = ("KC",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    target: str = "tf-keras"
    extra_backend_aliases: tuple[str, ...] = ()
    run_all: bool = False  # front-ends that filter themselves (flake8, pylint) ask for every rule
    project: bool = True  # read the file's sibling modules (keras_compat.project); False: the file alone
    _cache: dict[str, bool] = uncompared(make=dict)

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise SettingsError(f"keras-target: invalid value {self.target!r} (expected one of {', '.join(TARGETS)})")
        for key in ("select", "ignore", "extend_select", "extend_ignore"):
            for code in getattr(self, key):
                if code != "KC" and not re.match(_CODE_PREFIX, code):  # "KC": every front-end's default
                    raise SettingsError(f"{key.replace('_', '-')}: invalid rule code prefix {code!r}")
        for alias in self.extra_backend_aliases:
            if not re.match(_MODULE_PATH, alias):
                raise SettingsError(f"extra-backend-aliases: {alias!r} is not a module path (like mypkg.backend)")

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs: the longest matching prefix wins, ignore wins ties."""
        cached = self._cache.get(code)
        if cached is not None:
            return cached
        if self.run_all:
            result = True
        else:
            selects = [p for p in (*self.select, *self.extend_select) if _matches(code, p)]
            ignores = [p for p in (*self.ignore, *self.extend_ignore) if _matches(code, p)]
            if code in default_disabled_codes():  # off by default: only its own code or ALL enables it (as ruff)
                selects = [p for p in selects if p == code or p == "ALL"]
            best_select = max((len(p) for p in selects), default=-1)
            best_ignore = max((len(p) for p in ignores), default=-1)
            result = best_select >= 0 and best_select > best_ignore
        self._cache[code] = result
        return result

    def with_options(self, **changes: object) -> Settings:
        return self._replace(_cache={}, **changes)


def _matches(code: str, prefix: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def _as_tuple(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split(r"[,\s]+", value) if v.strip())
    if isinstance(value, Iterable):
        out = []
        for item in value:
            if not isinstance(item, str):
                raise SettingsError(f"{key}: expected a list of strings, got {item!r}")
            out.append(item.strip())
        return tuple(out)
    raise SettingsError(f"{key}: expected a string or a list of strings, got {value!r}")


def settings_from_mapping(values: Mapping[str, object], *, source: str = "configuration",
                          allowed_extra: Iterable[str] = ()) -> Settings:
    """Build settings from a mapping of option names (dashes or underscores), naming bad keys."""
    known = {"select", "ignore", "extend-select", "extend-ignore", "keras-target", "target",
             "extra-backend-aliases", "keras-extra-backend-aliases"}
    extra = set(allowed_extra)
    kwargs: dict[str, object] = {}
    for raw_key, value in values.items():
        key = raw_key.replace("_", "-")
        if key in extra:
            continue
        if key not in known:
            raise SettingsError(f"{source}: unknown option {raw_key!r}")
        if key in ("keras-target", "target"):
            if not isinstance(value, str):
                raise SettingsError(f"{source}: {raw_key} must be a string")
            kwargs["target"] = value
        elif key.endswith("extra-backend-aliases"):
            kwargs["extra_backend_aliases"] = _as_tuple(value, raw_key)
        else:
            kwargs[key.replace("-", "_")] = _as_tuple(value, raw_key)
    try:
        return Settings(**kwargs)  # type: ignore[arg-type]
    except SettingsError as exc:
        raise SettingsError(f"{source}: {exc}") from None
