"""The words the loader recognises, from one packaged data file plus the user's own additions."""

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import UnusableInputError

PACKAGED = Path(__file__).with_name("vocabulary.toml")
# The user's project file: words added here extend the packaged ones, never replace them.
PROJECT_FILE = "klk.toml"
# Sections of klk.toml that are settings for other parts of the suite, not words.
OTHER_SECTIONS = ("mail", "word")
# Set by `--vocabulary`, so that the notebooks' kernels read the same words as the command.
ENVIRONMENT = "KLK_VOCABULARY"
# Characters that separate words in a header or label: dashes, slashes, brackets, commas.
_SEPARATORS = re.compile(r"[\u2010-\u2015\u2212/\\(),;:_\-*¹²³†]+")


def normalise(text: object) -> str:
    """Return a phrase's key: lower case, no dots, dashes and brackets as spaces."""
    words = str(text).replace("\u00a0", " ").casefold()
    words = words.replace("s:a", "sa").replace(".", " ").replace("'", "")
    words = _SEPARATORS.sub(" ", words)
    return " ".join(words.split())


@dataclass(frozen=True)
class Vocabulary:
    """Every word list by section and name, with the file each normalised phrase came from."""

    lists: dict[str, dict[str, tuple[str, ...]]]
    sources: dict[tuple[str, str, str], Path] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    def words(self, section: str, name: str) -> tuple[str, ...]:
        """Return the normalised phrases of one list ('measures', 'utfall')."""
        return self.lists.get(section, {}).get(name, ())

    def section(self, section: str) -> dict[str, tuple[str, ...]]:
        """Return every list of a section: name → phrases."""
        return self.lists.get(section, {})

    def source(self, section: str, name: str, phrase: str) -> Path | None:
        """Return the file a phrase came from (the packaged file or the user's)."""
        return self.sources.get((section, name, phrase))

    def lookup(self, section: str, phrase: str) -> str | None:
        """Return the name of the list in `section` that holds the normalised phrase, or None."""
        key = normalise(phrase)
        for name, phrases in self.section(section).items():
            if key in phrases:
                return name
        return None

    def is_user_word(self, section: str, name: str, phrase: str) -> bool:
        """Tell whether a phrase came from the user's file rather than the packaged one."""
        source = self.source(section, name, normalise(phrase))
        return source is not None and source != PACKAGED


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UnusableInputError(
            f"{path}: ordlistan kan inte läsas ({exc}). Förväntade TOML, till exempel "
            '[measures] följt av utfall = ["Ack. nettokostnad"].'
        ) from None
    except OSError as exc:
        raise UnusableInputError(
            f"{path}: ordlistan kan inte öppnas ({exc.strerror or exc})."
        ) from None


def _merge(lists: dict, sources: dict, data: dict, path: Path, known: dict | None) -> None:
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise UnusableInputError(
                f"{path}: [{section}] ska vara en tabell med listor av ord, hittade {entries!r}."
            )
        if known is not None and section not in known:
            allowed = ", ".join(f"[{s}]" for s in known)
            raise UnusableInputError(
                f"{path}: avsnittet [{section}] finns inte i ordlistan. "
                f"Förväntade ett av {allowed}."
            )
        target = lists.setdefault(section, {})
        for name, words in entries.items():
            name = str(name)
            if known is not None and name not in known[section]:
                allowed = ", ".join(known[section])
                raise UnusableInputError(
                    f"{path}: [{section}] {name} finns inte i ordlistan. "
                    f"Förväntade ett av {allowed}."
                )
            if isinstance(words, str):
                words = [words]
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise UnusableInputError(
                    f"{path}: [{section}] {name} ska vara en lista av ord inom citattecken, "
                    f'till exempel {name} = ["ord ett", "ord två"].'
                )
            phrases = list(target.get(name, ()))
            for word in words:
                key = normalise(word)
                if key and key not in phrases:
                    phrases.append(key)
                    sources[(section, name, key)] = path
            target[name] = tuple(phrases)


def user_file(explicit: Path | str | None = None) -> Path | None:
    """Return the user's vocabulary file: the one given, else klk.toml at the project root."""
    explicit = explicit if explicit is not None else os.environ.get(ENVIRONMENT) or None
    if explicit is not None:
        path = paths.resolve(explicit)
        if not path.is_file():
            raise UnusableInputError(
                f"{path}: ordlistan finns inte. Förväntade en TOML-fil som {PROJECT_FILE}."
            )
        return path
    default = paths.ROOT / PROJECT_FILE
    return default if default.is_file() else None


@cache
def _load(user: Path | None, _changed: float = 0.0) -> Vocabulary:
    lists: dict = {}
    sources: dict = {}
    _merge(lists, sources, _read(PACKAGED), PACKAGED, None)
    files = [PACKAGED]
    if user is not None:
        data = _read(user)
        # A project file also holds the mail and Word settings (config.py reads those); any
        # other section is a vocabulary list, and a misspelt one is refused, not ignored.
        words = {k: v for k, v in data.items() if k not in OTHER_SECTIONS}
        _merge(lists, sources, words, user, {k: lists[k] for k in lists})
        files.append(user)
    return Vocabulary(lists, sources, tuple(files))


def load(explicit: Path | str | None = None) -> Vocabulary:
    """Return the vocabulary: the packaged words plus the user's file, if there is one."""
    user = user_file(explicit)
    # keyed on the file's modification time too: an edited klk.toml is read again in a kernel
    return _load(user, user.stat().st_mtime_ns if user is not None else 0.0)


# What each list is called in the documentation, in the order the workbook-format page shows.
DOCUMENTED = (
    ("measures", "utfall", "Utfall till och med perioden"),
    ("measures", "budget", "Budget för perioden"),
    ("measures", "arsbudget", "Årsbudget"),
    ("measures", "budgetavvikelse", "Budgetavvikelse"),
    ("measures", "arsprognos", "Årsprognos"),
    ("measures", "avvikelse_arsprognos", "Avvikelse årsprognos"),
    ("measure_words", "ambiguous_budget", "Budget utan period (perioden eller året avgör)"),
    ("measure_words", "fillers", "Fyllnadsord som hoppas över"),
    ("measure_words", "percent", "Procentkolumner (läses inte)"),
    ("periods", "to_date", "Till och med perioden"),
    ("periods", "full_year", "Helår"),
    ("periods", "previous_year", "Föregående år"),
    ("units", "mnkr", "Miljoner kronor"),
    ("units", "tkr", "Tusen kronor"),
    ("units", "kr", "Kronor"),
    ("sheets", "resultatrakning", "Blad med resultaträkningen"),
    ("sheets", "driftredovisning", "Blad med driftredovisningen"),
    ("rows", "sum", "Summarader börjar med"),
    ("rows", "result", "Resultatrader"),
    ("rows", "subtotal", "Delsummor i resultaträkningen"),
    ("rows", "ram", "Driftram (kommunens bidrag)"),
    ("rows", "revenue", "Intäktsrader"),
    ("rows", "varav", "Varav-rader"),
    ("columns", "code", "Kodkolumner"),
)


def markdown(vocabulary: Vocabulary | None = None) -> str:
    """Return the packaged vocabulary as a Markdown table, for the documentation."""
    vocabulary = vocabulary or _load(None)
    lines = ["| vad | ord (efter normalisering) |", "|---|---|"]
    for section, name, title in DOCUMENTED:
        words = ", ".join(f"`{w}`" for w in vocabulary.words(section, name))
        lines.append(f"| {title} | {words} |")
    return "\n".join(lines)


# --- matching row labels against the row words ----------------------------------------------


def phrase_at_start(key: str, phrases) -> str | None:
    for phrase in sorted(phrases, key=len, reverse=True):
        if key == phrase or key.startswith(phrase + " "):
            return phrase
    return None


def phrase_at_end(key: str, phrases) -> str | None:
    for phrase in sorted(phrases, key=len, reverse=True):
        if key.endswith(" " + phrase):
            return phrase
    return None


def row_role(label: str, vocabulary: Vocabulary | None = None) -> str:
    """Classify a label by its words: 'result', 'sum', 'varav', 'ram', 'revenue' or 'line'."""
    vocabulary = vocabulary or load()
    key = normalise(label)
    if phrase_at_start(key, vocabulary.words("rows", "varav")):
        return "varav"
    without_sum = key
    sum_word = phrase_at_start(key, vocabulary.words("rows", "sum"))
    if sum_word:
        without_sum = key[len(sum_word) :].strip()
    elif phrase_at_end(key, vocabulary.words("rows", "sum")):
        # an Excel pivot table writes "Förskola Summa"
        sum_word = phrase_at_end(key, vocabulary.words("rows", "sum"))
        without_sum = key[: -len(sum_word)].strip()
    if key in vocabulary.words("rows", "result") or without_sum in vocabulary.words(
        "rows", "result"
    ):
        return "result"
    if sum_word or key in vocabulary.words("rows", "subtotal"):
        return "sum"
    if phrase_at_start(key, vocabulary.words("rows", "ram")):
        return "ram"
    if key in vocabulary.words("rows", "revenue"):
        return "revenue"
    return "line"


def without_sum_word(label: str, vocabulary: Vocabulary) -> str:
    """Return a sum row's label without its sum word: "Summa Grundskola" → "Grundskola"."""
    words = vocabulary.words("rows", "sum")
    sum_word = phrase_at_start(normalise(label), words)
    if sum_word:
        rest = " ".join(label.split()[len(sum_word.split()) :]).strip(" :-–")
        return rest or label
    sum_word = phrase_at_end(normalise(label), words)
    if sum_word:
        return " ".join(label.split()[: -len(sum_word.split())]).strip(" :-–") or label
    return label
