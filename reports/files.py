"""A pack in one of its formats, as bytes (a download) or as files (the command line)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reports import FORMATS
from reports.md import markdown_text, write_markdown
from reports.pack import Pack, collect
from reports.pdf import pdf_bytes
from reports.xlsx import workbook_bytes
from schemas.i18n import language

MIME = {"md": "text/markdown", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def build_pack(db: Any, user: Any, year: int, lang: str, place: str | None = None) -> Pack:
    with language(lang):
        return collect(db, user, year, place)


def pack_bytes(pack: Pack, fmt: str) -> bytes:
    """One file of the pack (Markdown without its chart files: those come with `write_pack`)."""
    with language(pack.language):
        if fmt == "md":
            return markdown_text(pack).encode("utf-8")
        if fmt == "xlsx":
            return workbook_bytes(pack)
        if fmt == "pdf":
            return pdf_bytes(pack)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def write_pack(pack: Pack, fmt: str, out: Path) -> list[Path]:
    """Write the pack to `out` (Markdown: its charts as SVG files beside it); returns the files written."""
    if fmt == "md":
        with language(pack.language):
            return write_markdown(pack, out)
    out.write_bytes(pack_bytes(pack, fmt))
    return [out]


def file_name(year: int, fmt: str, lang: str) -> str:
    return f"ccpcr-donor-pack-{year}-{lang}.{fmt}"
