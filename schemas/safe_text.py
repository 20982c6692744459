"""Text made safe for where it goes. Staff can type anything into a cell, and the Sheets API and Excel's
`_x0001_` escapes bring control characters along; the files and the terminal the app writes to cannot
all hold them:

- `xml_safe`: for anything written as XML or drawn from it (the XLSX, the JUnit report, the charts' SVG
  and PNG, the PDF): the characters XML 1.0 forbids (C0 controls but tab, newline and carriage return,
  U+FFFE, U+FFFF, lone surrogates) and Excel's escapes of them (`_x0001_`) become one replacement mark;
- `printable`: for the terminal: control characters (C0 but tab and newline, DEL, C1), U+FFFE/U+FFFF and
  lone surrogates written as escapes (`\\x1b`, `\\ud800`), so a value cannot move the cursor, recolour
  the terminal or fail the encoder.
"""
from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"  # a character that could not be shown
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel writes a control character into its XML as _xHHHH_; read back as text, it arrives as those letters.
_EXCEL_ESCAPE = re.compile(r"_x(000[0-8]|000[bBcC]|000[eEfF]|001[0-9a-fA-F]|[fF][fF][fF][eEfF]|[dD][89a-fA-F][0-9a-fA-F]{2})_")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str, replacement: str = REPLACEMENT) -> str:
    """`text` with what XML 1.0 cannot hold replaced by `replacement` (a font without U+FFFD: pass "?")."""
    if not isinstance(text, str):
        return text
    return _XML_FORBIDDEN.sub(replacement, _EXCEL_ESCAPE.sub(replacement, text))


def xml_safe_all(value: Any, replacement: str = REPLACEMENT) -> Any:
    """xml_safe on every text of a nested structure (a Vega-Lite spec: its data, titles and labels)."""
    if isinstance(value, str):
        return xml_safe(value, replacement)
    if isinstance(value, dict):
        return {xml_safe(k, replacement) if isinstance(k, str) else k: xml_safe_all(v, replacement) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [xml_safe_all(v, replacement) for v in value]
    return value


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` for a terminal: control characters and what no encoder takes as visible escapes."""
    return _UNPRINTABLE.sub(_escape, text)
