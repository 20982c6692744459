"""The charts' look, registered once as an Altair theme: every chart (pages and the donor pack) writes its
text in the font the app ships, so Khmer titles, legends and ៛ render where no Khmer font is installed,
and its month and day names in the language being drawn (Vega's time-format locale, from Babel's data:
Altair asks the theme each time a chart is turned into its spec, so a Khmer page gets Khmer months).

Importing `insights` enables it (insights/__init__.py). The browser gets the font from the app's static/
(theme.fontFaces in .streamlit/config.toml); an offline renderer (vl-convert) needs the font's folder
registered with it (vl_convert.register_font_directory, in reports/charts.py)."""
from __future__ import annotations

from functools import cache

import altair as alt
from babel.dates import get_day_names, get_month_names

from schemas.i18n import BABEL_LOCALES, current_language

FONT = "Noto Sans Khmer"
THEME = "backoffice"


@cache
def time_locale(code: str) -> dict:
    """d3-time-format's locale for a language: month and day names (Sunday first, as d3 counts) from Babel."""
    where = BABEL_LOCALES[code]
    days, short_days = get_day_names("wide", locale=where), get_day_names("abbreviated", locale=where)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday
    return {"dateTime": "%e %b %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": [days[i] for i in sunday_first], "shortDays": [short_days[i] for i in sunday_first],
            "months": list(get_month_names("wide", locale=where).values()),
            "shortMonths": list(get_month_names("abbreviated", locale=where).values())}


@alt.theme.register(THEME, enable=True)
def backoffice_theme() -> alt.theme.ThemeConfig:
    return {"config": {"font": FONT, "title": {"font": FONT}, "axis": {"labelFont": FONT, "titleFont": FONT},
                       "legend": {"labelFont": FONT, "titleFont": FONT}, "header": {"labelFont": FONT, "titleFont": FONT},
                       "mark": {"font": FONT}, "text": {"font": FONT}, "locale": {"time": time_locale(current_language())},
                       # Categories are all labelled (Streamlit's own theme drops overlapping labels on every axis).
                       "axisDiscrete": {"labelOverlap": False}}}
