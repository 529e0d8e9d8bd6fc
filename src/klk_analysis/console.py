"""What the command line prints reaches any console, whatever its encoding.

A Windows console redirected to a file writes cp1252, an old one cp850, a bare cron job may be
ASCII. Characters an encoding lacks are replaced by their nearest plain form (− by -, ” by ",
å by a) through one codec error handler that the command line installs on its two streams;
characters the encoding has (å, ä, ö in cp1252 and cp850) are kept. Files the suite writes
(logs, reports) name their encoding, UTF-8, and never pass through here.
"""

import codecs
import sys
import unicodedata

ERRORS = "klk-plain"

# Characters the suite's messages use that have a plain equivalent decomposition does not give.
_PLAIN = {
    "\u2212": "-",  # true minus
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2010": "-",
    "\u2011": "-",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u00a0": " ",  # no-break space between thousands
    "\u202f": " ",
    "\u2009": " ",
    "\u2026": "...",
    "\u2192": "->",
    "\u00d7": "x",
}


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeError:
        return False
    return True


def plain_char(char: str, encoding: str) -> str:
    """Return the nearest form of one character that the encoding has: − → -, ” → ", å → a."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    for candidate in (_PLAIN.get(char), stripped):
        if candidate and _encodes(candidate, encoding):
            return candidate
    return "?"


def _plain_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    lacking = exc.object[exc.start : exc.end]
    return "".join(plain_char(c, exc.encoding) for c in lacking), exc.end


def use_plain_fallbacks() -> None:
    """Make sys.stdout and sys.stderr print characters their encoding lacks in a plain form."""
    codecs.register_error(ERRORS, _plain_errors)
    for stream in (sys.stdout, sys.stderr):
        # None under pythonw; a replaced stream (a test's capture) may not be reconfigurable.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=ERRORS)


def encodes_losslessly(text: str, stream) -> bool:
    """Return True when the stream's encoding has every character of text."""
    return _encodes(text, getattr(stream, "encoding", None) or "utf-8")
