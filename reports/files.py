"""A pack in one of its formats, as bytes (a download) or as files (the command line). A pack that cannot be
made is a message (PackFailed), never a traceback: the details go to the log under a short reference."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from reports import FORMATS
from reports.md import markdown_text, write_markdown
from reports.pack import Pack, PersonalDataInPack, collect
from reports.pdf import pdf_bytes
from reports.xlsx import workbook_bytes
from schemas.i18n import _, language

MIME = {"md": "text/markdown", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
log = logging.getLogger(__name__)


class PackFailed(RuntimeError):
    """The pack could not be made; the message says so in the reader's language (no file was written)."""


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


def guarded(make):
    """Run `make()` (a pack, its files): a failure becomes PackFailed with a message, the details logged."""
    try:
        return make()
    except PersonalDataInPack as exc:
        raise PackFailed(_("No donor pack was made: personal data would have reached it ({problem}).").format(problem=exc)) from exc
    except OSError:
        raise  # a file that cannot be written: the caller says which
    except Exception as exc:  # whatever the renderers raise, a reader gets a sentence, the log the traceback
        reference = uuid.uuid4().hex[:8]
        log.exception("donor pack failed (reference %s)", reference)
        raise PackFailed(_("The donor pack could not be made (reference {reference}; the details are in the log). "
                           "Tell the admin, or try again after the next refresh.").format(reference=reference)) from exc


def prepare(db: Any, user: Any, year: int, lang: str, place: str | None = None) -> dict[str, bytes]:
    """Every format of the pack as bytes (the Overview's downloads), or PackFailed."""
    def make() -> dict[str, bytes]:
        pack = build_pack(db, user, year, lang, place)
        return {fmt: pack_bytes(pack, fmt) for fmt in FORMATS}
    return guarded(make)


def file_name(year: int, fmt: str, lang: str) -> str:
    return f"ccpcr-donor-pack-{year}-{lang}.{fmt}"
