"""The app's block in a cell's note (a Google Sheets note, an Excel comment), beside whatever a person wrote.

A cell can hold one note. The app's part always starts with the line "Back office:" followed by one line
per problem ("• ..."); a person's text above it is theirs and is never changed. Setting the app's block
replaces only that block; clearing it removes only that block (and the blank line before it), so what a
person wrote is left exactly as they wrote it. A person's line typed below the app's block (not starting
with "• ") is theirs too and is kept.
"""
from __future__ import annotations

import re

MARK = "Back office:"
BULLET = "• "
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def block(messages: list[str]) -> str:
    """The app's block for a cell with these problems (one line each)."""
    lines = [" ".join(_CONTROL.sub("?", str(m)).split()) for m in messages if str(m).strip()]
    return "\n".join([MARK, *(BULLET + line for line in lines)])


def split(note: str) -> tuple[str, str]:
    """(what a person wrote, the app's block) of a note; either may be ""."""
    lines = (note or "").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == MARK), None)
    if start is None:
        return note or "", ""
    end = start + 1
    while end < len(lines) and lines[end].startswith(BULLET):
        end += 1
    ours = "\n".join(lines[start:end])
    theirs = lines[:start] + lines[end:]
    if start and not lines[start - 1].strip() and start - 1 < len(theirs):  # the blank line we put before our block
        del theirs[start - 1]
    return ("\n".join(theirs) if any(t.strip() for t in theirs) else ""), ours


def merged(note: str, ours: str | None) -> str:
    """The note with the app's block set to `ours` (None or "": the app's block removed)."""
    theirs, _old = split(note)
    if not ours:
        return theirs if _old else (note or "")
    return f"{theirs}\n\n{ours}" if theirs else ours


def has_ours(note: str) -> bool:
    return bool(split(note)[1])
