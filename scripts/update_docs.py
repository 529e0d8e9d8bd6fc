"""Write the packaged vocabulary into docs/arbetsbokens-format.md (between its markers)."""

import re

from klk_analysis import paths
from klk_analysis.vocabulary import markdown

DOC = paths.ROOT / "docs" / "arbetsbokens-format.md"

text = DOC.read_text(encoding="utf-8")
text = re.sub(
    r"<!-- ordlista -->\n.*?\n<!-- /ordlista -->",
    lambda _: f"<!-- ordlista -->\n{markdown()}\n<!-- /ordlista -->",
    text,
    flags=re.DOTALL,
)
DOC.write_text(text, encoding="utf-8")
