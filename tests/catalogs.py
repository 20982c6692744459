"""The catalogs and the font as the app has them, for tests that look at the files themselves.

The app compiles each locale/<lang>/LC_MESSAGES/backoffice.po to its .mo when the .mo is missing or older
(schemas.i18n.compiled_catalog) and the Khmer font is committed in static/ (ui.startup): these helpers only
make that happen before a test looks, through the app's own functions. The .mo files are gitignored, so the
work tree stays clean."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def po_files() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/backoffice.po"))


def compile_catalogs() -> None:
    from schemas.i18n import _catalog, compiled_catalog

    for po in po_files():
        compiled_catalog(po.parent.parent.name)
    _catalog.cache_clear()  # a process that looked before the .mo existed fell back to English


def build_assets() -> None:
    from ui.startup import install_font

    compile_catalogs()
    assert install_font() is None
