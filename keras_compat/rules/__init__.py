"""Rule modules: each module here (not starting with ``_``) declares rules with ``@rule(...)``.

Nothing is imported here: :mod:`keras_compat.registry` finds the modules on disk and imports each when one
of its rules is needed (checking a file imports only the modules of the rules that run). A new module
needs no line here; regenerate the manifest and the docs with ``python -m keras_compat.docs``.
"""
