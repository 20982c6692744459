"""Text that carries data, shown as written wherever Streamlit renders Markdown (no Streamlit needed here)."""
from __future__ import annotations

import re
from typing import Any

# What would start markup anywhere in a line: emphasis, code, links and images ([...] - also Streamlit's
# :red[...]), autolinks (<...>, and GFM's bare http:// and www.), maths ($), strike-through (~).
_INLINE = re.compile(r"([\\`*_\[\]<>$~])|(?<=[A-Za-z])(:)(?=//)|(?<=\bwww)(\.)", re.IGNORECASE)
# What would start a block at the beginning of a text: a heading, a quote, a list item, a rule.
_BLOCK = re.compile(r"^(\s*\d*)([#>+=|-]|(?<=\d)[.)])")


def literal(text: Any) -> str:
    """`text` as written, wherever Streamlit renders Markdown (markdown, captions, alerts, titles, labels): a
    bank or village name holding `[text](url)` or `![](url)` shows those characters, never a link or an image.
    Every text that carries data (a name, a value, a reason from elsewhere) goes through here before it
    meets a Markdown-rendering element; the catalog's own sentences keep their marks. Line breaks become
    spaces, so a cell's text never starts a block of its own."""
    one_line = " ".join(str(text).splitlines())
    escaped = _INLINE.sub(lambda m: "\\" + next(g for g in m.groups() if g), one_line)
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
