"""Modules that are slow to import, imported only when a test first uses them.

Importing nbformat takes two to five seconds (jsonschema's format checkers build some forty
grammars on import), more than many fast tests together. Test modules that also hold fast tests
take it from here, so that `make test-fast` never pays for it, and it is imported as the runner
imports it, without that grammar (execution.without_iri_grammar). Collection reads attributes of
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
        from klk_analysis.execution import without_iri_grammar

        with without_iri_grammar():
            module = importlib.import_module(self._name)
        return getattr(module, attribute)


nbformat = Deferred("nbformat")
