"""Half of a character - a lone surrogate, which a Google Sheet's JSON can carry as "\\ud800" (typed through a
script, or pasted from a broken file) - is no UTF-8: Arrow, DuckDB and every file refuse it. Read, it becomes the
replacement mark U+FFFD, in the cell and in the message that quotes it; nothing else of the refresh is lost.
(An .xlsx cannot hold one: XML forbids it.)"""
from __future__ import annotations

from connectors.sources.workbook import WorkbookSource
from connectors.store.cache import Cache
from connectors.store.refresh import read_check_load
from tests.factories import VILLAGE, VILLAGE_ROW, check, sheet, small_book, write_xlsx

HALF = "\ud800"


def test_a_lone_surrogate_in_a_name_is_read_as_a_replacement_mark_and_in_a_code_is_an_error_at_its_cell():
    named, coded = list(VILLAGE_ROW), list(VILLAGE_ROW)
    named[1] = f"Kouk{HALF}Taek"
    coded[0], coded[1] = f"2001{HALF}0302", "Kouk Taek"
    found, _issues = check(sheet("villages", VILLAGE, named, coded))
    assert found == [("villages", 2, "Village", "B2", "places.name_mismatch", "warning"),
                     ("villages", 3, "Village code", "A3", "value.bad_format", "error")]


class HalfCharacterWorkbook(WorkbookSource):
    """The real workbook source, whose households tab comes back holding lone surrogates, as a Sheets answer can
    carry them (an .xlsx cannot)."""

    def read(self, tabs=None):
        grids = super().read(tabs)
        if "households" in grids:
            rows = grids["households"].rows
            rows[0][1] = f"Sok{HALF}Dara"
            rows[1][4] = f"4{HALF}"  # members: not a number
        return grids


def test_a_source_with_lone_surrogates_refreshes_and_the_cache_holds_the_replacement_mark(tmp_path):
    cache = Cache(tmp_path / "cache.duckdb")
    read_check_load(cache, HalfCharacterWorkbook(write_xlsx(small_book(), tmp_path / "book.xlsx")))
    con = cache.cursor()
    assert con.execute("SELECT head_name FROM households ORDER BY _row").fetchall()[0] == ("Sok\ufffdDara",)
    assert con.execute("SELECT cell, value, rule FROM _issues WHERE tab = 'households'").fetchall() == [
        ("E3", "4\ufffd", "cell.not_a_number")]
