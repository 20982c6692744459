"""The charts' look, registered once as an Altair theme: every chart (pages and the donor pack) writes its
text in the font the app ships, so Khmer titles, legends and ៛ render where no Khmer font is installed.

Importing `insights` enables it (insights/__init__.py). The browser gets the font from the app's static/
(theme.fontFaces in .streamlit/config.toml); an offline renderer (vl-convert) needs `FONT_DIRECTORY`
registered with it (vl_convert.register_font_directory)."""
from __future__ import annotations

from pathlib import Path

import altair as alt

FONT = "Noto Sans Khmer"
THEME = "backoffice"


def font_directory() -> Path:
    """Where the installed font package keeps the .ttf (for renderers outside the browser)."""
    import fontpkg_noto_sans_khmer

    return Path(fontpkg_noto_sans_khmer.ROOT) / "files"


@alt.theme.register(THEME, enable=True)
def backoffice_theme() -> alt.theme.ThemeConfig:
    return {"config": {"font": FONT, "title": {"font": FONT}, "axis": {"labelFont": FONT, "titleFont": FONT},
                       "legend": {"labelFont": FONT, "titleFont": FONT}, "header": {"labelFont": FONT, "titleFont": FONT},
                       "mark": {"font": FONT}, "text": {"font": FONT}}}
