"""Swedish sentences from templates: every figure in a sentence comes from the data."""

import re
from functools import cache

import jinja2

from klk_analysis.formatting import mnkr, number
from klk_analysis.loading import board_genitive


def signed(value: float) -> str:
    """Format an amount in mnkr with its sign, as the narrative prints it: +12,1, −1,6, 0."""
    text = mnkr(value, sign=True)
    return "0" if text == "0,0" else text


def percent(value: float, decimals: int = 1) -> str:
    """Format a percentage the Swedish way without a space before the sign: 1,9%."""
    return number(value, decimals) + "%"


@cache
def environment() -> jinja2.Environment:
    """Return the template environment: package templates, Swedish filters, strict variables."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("klk_analysis", "templates/text"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; the HTML edge escapes it
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(mnkr=mnkr, signed=signed, percent=percent, genitive=board_genitive)
    return env


def render(template: str, **context) -> str:
    """Render a text template with the given figures and return one paragraph of text."""
    text = environment().get_template(template).render(**context)
    # Only ordinary white space: the no-break spaces in "1 301,9" must stay.
    return re.sub(r"[ \t\r\n]+", " ", text).strip()
