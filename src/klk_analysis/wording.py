"""The words a reader sees for the package's own names, read once from wording.toml.

Table names, row types, measures, severities and forecast flags are data, not code: each is
written once, in wording.toml beside this module, and every module that shows one takes it from
here (the words read in workbooks are vocabulary.toml's).
"""

import tomllib
from importlib import resources

_TEXTS = tomllib.loads(resources.files(__package__).joinpath("wording.toml").read_text("utf-8"))

# "resultatrakning" -> "Resultaträkning"; TABLE_NAMES_DEFINITE -> "Resultaträkningen".
TABLE_NAMES: dict[str, str] = {k: v["name"] for k, v in _TEXTS["tables"].items()}
TABLE_NAMES_DEFINITE: dict[str, str] = {k: v["definite"] for k, v in _TEXTS["tables"].items()}
ROW_KINDS: dict[str, str] = _TEXTS["row_kinds"]
MEASURE_NAMES: dict[str, str] = _TEXTS["measures"]
SEVERITY: dict[str, str] = _TEXTS["severity"]
SEVERITY_IN_REPORT: dict[str, str] = _TEXTS["severity_in_report"]
FLAG_WORDS: dict[str, str] = _TEXTS["flags"]


def in_sentence(table: str) -> str:
    """Return a table's name inside a sentence: "resultaträkningen"."""
    return TABLE_NAMES_DEFINITE[table].lower()
