"""The Overview's Altair charts as images for the pack: the same Vega-Lite specs, rendered by vl-convert
(no browser) in the Khmer font, which also holds the Latin letters, so one font serves both languages."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import fontpkg_noto_sans_khmer
import vl_convert as vlc

FONT_FILE = Path(fontpkg_noto_sans_khmer.__file__).resolve().parent / "files" / "NotoSansKhmer[wdth,wght].ttf"
FONT_FAMILY = "Noto Sans Khmer"
WIDTH = 520  # points of the pack's chart; the PNG is drawn at SCALE times that for print


@lru_cache(maxsize=1)
def _fonts_registered() -> bool:
    vlc.register_font_directory(str(FONT_FILE.parent))
    return True


def _spec(chart: Any, title: str) -> dict:
    _fonts_registered()
    spec = chart.properties(width=WIDTH, title=title).to_dict()
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    return spec


def chart_png(chart: Any, title: str, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_spec(chart, title), scale=scale)


def chart_svg(chart: Any, title: str) -> str:
    return vlc.vegalite_to_svg(_spec(chart, title))
