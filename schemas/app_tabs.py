"""Tabs the back office itself owns in the staff's sheet: not data, never validated, never a programme's.

Today one: "Problems", where every open mistake is listed for the people who typed it (connectors.problems
writes it). Its title follows the sheet's language (BACKOFFICE_LANGUAGE), so it is recognised under the title
of every language, and by the marker in its header row: a staff tab that happens to be called "Problems" has
no marker, is never written over, and the app's tab takes the second title instead.
"""
from __future__ import annotations

from schemas.i18n import LANGUAGES, N_, _, language

PROBLEMS_TITLE = N_("Problems")
PROBLEMS_OTHER_TITLE = N_("Problems (back office)")  # when a staff tab already has the first title
PROBLEMS_MARKER = "Back office id"  # the last header cell of the app's Problems tab, in every language

# The Problems tab's columns, in order (the header row is written in the sheet's language).
PROBLEMS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("tab", N_("Tab")),
    ("row", N_("Row")),
    ("column", N_("Column")),
    ("value", N_("Value as typed")),
    ("message", N_("What is wrong")),
    ("severity", N_("Error or warning")),
    ("first_seen", N_("First seen")),
    ("link", N_("Open")),
    ("confirmed", N_("Correct as typed")),
    ("ident", PROBLEMS_MARKER),
)


def problems_titles() -> list[str]:
    """Every title the app's Problems tab may have: the first and the second title, in every language."""
    titles: list[str] = []
    for code in LANGUAGES:
        with language(code):
            for title in (_(PROBLEMS_TITLE), _(PROBLEMS_OTHER_TITLE)):
                if title not in titles:
                    titles.append(title)
    return titles


