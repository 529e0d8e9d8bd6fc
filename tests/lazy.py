"""Modules that are slow to import, imported only when a test first uses them.

Importing nbformat takes two to five seconds (jsonschema's format checkers build some forty
grammars on import), more than many fast tests together. Test modules that also hold fast tests
take it from here, so that `make test-fast` never pays for it. Collection reads attributes of
every module-level name (pytest looks for fixtures), so a private name never imports anything.
"""

import importlib


class Deferred:
    """Stands for the module `name`; reading a public attribute imports it."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return getattr(importlib.import_module(self._name), attribute)


nbformat = Deferred("nbformat")
