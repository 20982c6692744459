"""A programme that exists only for tests/test_new_programme.py: one schema class and one `register`
call (in `install`), nothing else anywhere. The test shows every part of the back office picks it up."""
from __future__ import annotations

import pandas as pd

from schemas.base import Bool, Date, Int, TabSchema, Text, code, column
from schemas.programme import Programme
from schemas.registry import Tab, register


class SolarLamp(TabSchema):
    """A solar lamp lent to a family."""

    lamp_id: Text = column("Lamp ID", "Our id, e.g. SL-001.", pattern=r"^SL-\d{3,}$")
    village_code: Text = code("Village code", "Where the family lives.", 8, ref="villages.village_code")
    handed_on: Date = column("Handed on", "Day the family got the lamp.")
    people: Int = column("People", "People in the family using it.", ge=1, le=30)
    working: Bool = column("Working", "Yes when it worked at the last visit.")


def demo(book) -> dict[str, pd.DataFrame]:
    """The programme's demo rows: two lamps in the demo's first two villages."""
    from data.demo_common import typed_frame

    villages = sorted(book.frame("villages")["village_code"])[:2]
    return {"solar_lamps": typed_frame("solar_lamps", {
        "lamp_id": ["SL-001", "SL-002"], "village_code": villages, "handed_on": [pd.Timestamp("2016-03-01"), pd.Timestamp("2016-04-01")],
        "people": [5, 3], "working": [True, False]})}


def install() -> None:
    register(Programme("energy", "Solar lamps", ("admin", "editor"), ("admin", "editor"), demo="tests.throwaway_programme.demo"),
             Tab("solar_lamps", SolarLamp, ("lamp_id",), "energy", "Solar lamps", period="handed_on"))
