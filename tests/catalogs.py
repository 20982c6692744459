"""The catalogs and the font as the app has them, for tests that look at the files themselves.

The app compiles each locale/<lang>/LC_MESSAGES/backoffice.po to its .mo when the .mo is missing or older
(schemas.i18n.compiled_catalog) and the Khmer font is committed in static/ (ui.startup): these helpers only
make that happen before a test looks, through the app's own functions. The .mo files are gitignored, so the
work tree stays clean."""
from __future__ import annotations

import re
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


def english_fragments() -> list[str]:
    """The English words of every translated text, cut at its placeholders and bold marks: any of these on a
    Khmer page is a text that was not translated. Short ones ("Rice bank") could be a tab's own name, so
    only fragments of two words or more and 12 characters are used."""
    from babel.messages.pofile import read_po

    with (LOCALE / "km" / "LC_MESSAGES" / "backoffice.po").open("rb") as po:
        catalog = read_po(po, locale="km")
    fragments = set()
    for message in catalog:
        ids = [message.id] if isinstance(message.id, str) else list(message.id) if message.id else []
        for msgid in ids:
            # quoted names ('Materials given', `python cli.py validate`) are the sheet's headers and commands, kept as typed
            for piece in re.split(r"\{[^}]*\}|\*\*|`[^`]*`|'[^']*'", msgid):
                piece = piece.strip(" .,:;—–()'")
                if len(piece) >= 12 and " " in piece and not re.search("[\u1780-\u17ff]", piece):
                    fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)
