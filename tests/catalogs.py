"""The catalogs and the font as `make assets` builds them, for tests run without make (pytest alone).

Compiles each locale/<lang>/LC_MESSAGES/backoffice.po to its .mo when the .mo is missing or older, and
copies the Khmer font to static/ when it is missing: both are gitignored build products, so the work
tree stays clean."""
from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
FONT = ROOT / "static" / "NotoSansKhmer.ttf"


def po_files() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/backoffice.po"))


def compile_catalogs() -> None:
    from schemas.i18n import _catalog

    for po in po_files():
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as out:
                write_mo(out, catalog)
    _catalog.cache_clear()  # a process that looked before the .mo existed fell back to English


def install_font() -> Path:
    if not FONT.exists():
        import fontpkg_noto_sans_khmer

        FONT.parent.mkdir(exist_ok=True)
        shutil.copyfile(Path(fontpkg_noto_sans_khmer.ROOT) / "files" / "NotoSansKhmer[wdth,wght].ttf", FONT)
    return FONT


def build_assets() -> None:
    compile_catalogs()
    install_font()
