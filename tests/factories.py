"""Test data shared by several test files: a small consistent book, written as an .xlsx, and the people
who edit it. Test modules import from here, never from each other."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from connectors.access import User

EDITOR = User("sokha@ccpcr.org", "editor", "Sokha")
VIEWER = User("dara@ccpcr.org", "viewer", "Dara")


def small_book() -> dict[str, list[list[Any]]]:
    """{tab: [header, *rows]}: two villages, three households, one rice bank and its ledger, settings."""
    return {
        "villages": [
            ["village_code", "village", "commune_code", "commune", "district_code", "district", "province_code", "province",
             "latitude", "longitude", "target_village"],
            ["12010101", "Krol Kor", "120101", "Chak Angrae Leu", "1201", "Mean Chey", "12", "Phnom Penh", 11.5, 104.9, True],
            ["12010102", "Prek Ta Kov", "120101", "Chak Angrae Leu", "1201", "Mean Chey", "12", "Phnom Penh", 11.51, 104.91, False],
        ],
        "households": [
            ["household_id", "head_name", "head_sex", "village_code", "members", "children", "phone", "poverty_level", "survivor", "enrolled_on"],
            ["HH-0041", "Sok Dara", "female", "12010101", 5, 2, "", "id_poor_1", False, dt.date(2017, 2, 1)],
            ["HH-0042", "Chan Vanna", "male", "12010101", 4, 1, "", "id_poor_2", False, dt.date(2017, 3, 1)],
            ["HH-0043", "Keo Srey", "female", "12010102", 6, 3, "", "near_poor", True, dt.date(2017, 4, 1)],
        ],
        "rice_banks": [
            ["bank_id", "name", "village_code", "established_on", "capacity_kg", "interest_pct"],
            ["RB-01", "Krol Kor", "12010101", dt.date(2016, 1, 10), 5000, 10],
        ],
        "rice_ledger": [
            ["entry_id", "date", "bank_id", "kind", "kg", "household_id", "loan_id", "note"],
            ["RL-000121", dt.date(2017, 1, 5), "RB-01", "donation", 1000, "", "", "Opening stock"],
            ["RL-000122", dt.date(2017, 2, 5), "RB-01", "loan", 100, "HH-0041", "RL-000122", ""],
            ["RL-000123", dt.date(2017, 6, 5), "RB-01", "repayment", 50, "HH-0041", "RL-000122", ""],
        ],
        "settings": [["key", "value", "note"], ["riel_per_usd", "4000", "Exchange rate"]],
        "users": [["email", "name", "role"], ["sokha@ccpcr.org", "Sokha", "editor"], ["dara@ccpcr.org", "Dara", "viewer"]],
        "audit_log": [["at", "user", "tab", "row_key", "column", "old", "new", "via"]],
    }


def write_xlsx(book: dict[str, list[list[Any]]], path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in book.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path
