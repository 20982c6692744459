"""The Overview's Altair charts as images for the pack: the same Vega-Lite specs, rendered by vl-convert
(no browser) in the Khmer font, which also holds the Latin letters, so one font serves both languages.
Month names follow the pack's language (the theme's time-format locale, insights.chart_theme), and every
text of the spec is made XML-safe first: a control character in a bank's name would abort vl-convert."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import fontpkg_noto_sans_khmer
import vl_convert as vlc

from schemas.safe_text import xml_safe_all

FONT_FILE = Path(fontpkg_noto_sans_khmer.__file__).resolve().parent / "files" / "NotoSansKhmer[wdth,wght].ttf"
FONT_FAMILY = "Noto Sans Khmer"
WIDTH = 520  # points of the pack's chart; the PNG is drawn at SCALE times that for print


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    vlc.register_font_directory(str(FONT_FILE.parent))
    return True


def chart_spec(chart: Any, title: str, replacement: str = "?") -> dict:
    """The Vega-Lite spec the pack draws (in the current language), every text XML-safe (`replacement` for
    what is not: "?" where the font has no U+FFFD)."""
    _fonts_registered()
    spec = chart.properties(width=WIDTH, title=title).to_dict()
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    return xml_safe_all(spec, replacement)


def chart_png(chart: Any, title: str, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(chart_spec(chart, title), scale=scale)


def chart_svg(chart: Any, title: str) -> str:
    return vlc.vegalite_to_svg(chart_spec(chart, title))
