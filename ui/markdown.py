"""Text that carries data, shown as written wherever Streamlit renders Markdown (no Streamlit needed here)."""
from __future__ import annotations

import re
from typing import Any

# What would start markup anywhere in a line: emphasis, code, links and images ([...] - also Streamlit's
# :red[...]), autolinks (<...>), maths ($), strike-through (~).
_INLINE = re.compile(r"([\\`*_\[\]<>$~])")
# GFM turns a bare http://... or www.... into a link after the escapes are read, so an escape cannot stop it:
# an invisible word joiner inside the mark does.
_BARE_LINK = re.compile(r"(?<=[A-Za-z])(?=://)|(?<=\bwww)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"
# What would start a block at the beginning of a text: a heading, a quote, a list item, a rule.
_BLOCK = re.compile(r"^(\s*\d*)([#>+=|-]|(?<=\d)[.)])")


def literal(text: Any) -> str:
    """`text` as written, wherever Streamlit renders Markdown (markdown, captions, alerts, titles, labels): a
    bank or village name holding `[text](url)` or `![](url)` shows those characters, never a link or an image.
    Every text that carries data (a name, a value, a reason from elsewhere) goes through here before it
    meets a Markdown-rendering element; the catalog's own sentences keep their marks. Line breaks become
    spaces, so a cell's text never starts a block of its own; a bare address gets an invisible word joiner."""
    one_line = " ".join(str(text).splitlines())
    escaped = _BARE_LINK.sub(WORD_JOINER, _INLINE.sub(r"\\\1", one_line))
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
