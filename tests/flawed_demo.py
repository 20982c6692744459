"""A copy of the demo workbook with planted mistakes, one per programme, and a deleted tab.

The figures that read these tabs must say what they leave out: the report (its Data problems part and
exit code 1) and every dashboard (a note under the figure)."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.factories import delete_tab, type_in_cells

# tab -> {cell: what a person typed}; each is one row with an error.
PLANTED = {
    "rice_ledger": {"E3": "seventy"},  # RL-000002, a loan of 70 kg: the 2017 stock reads 8,403 kg instead of 8,333
    "savings_ledger": {"E3": "1,5OO"},  # SL-000002, a deposit: letter O for zero
    "clinic_visits": {"B3": "31/02/2017"},  # no such day
    "activities": {"C2": "workshopp"},  # not one of the kinds
}
DELETED = "cows"


def write_flawed(demo: Path, path: Path) -> Path:
    shutil.copy(demo, path)
    return delete_tab(type_in_cells(path, PLANTED), DELETED)
