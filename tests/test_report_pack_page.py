"""The Overview's donor pack under the real runtime: nothing is built until asked; then the PDF, XLSX and
Markdown downloads hold the role's programmes only, small counts hidden, no personal value."""
from __future__ import annotations

import io

import openpyxl
import pytest

from tests.factories import EMAIL, all_personal_values, sheet_blocks, signed_in


@pytest.fixture
def pack_downloads(monkeypatch) -> dict[str, bytes]:
    import streamlit

    seen: dict[str, bytes] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        seen[kwargs.get("file_name") or label] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return seen


def _prepare(email: str, pack_downloads: dict[str, bytes]):
    at = signed_in(email)
    at.switch_page("pages/overview.py").run()
    assert not at.exception, at.exception
    assert not [name for name in pack_downloads if "donor-pack" in name]  # built only when asked
    at.button(key="pack_prepare").click().run()
    assert not at.exception, at.exception
    return at, {name.rsplit(".", 1)[1]: data for name, data in pack_downloads.items() if name.startswith("ccpcr-donor-pack-2018-en.")}


@pytest.mark.parametrize("role", ["clinic", "viewer"])
def test_the_overview_prepares_the_donor_pack_for_the_signed_in_role(app_env, pack_downloads, demo_frames, role):
    at, files = _prepare(EMAIL[role], pack_downloads)
    assert sorted(files) == ["md", "pdf", "xlsx"]
    assert files["pdf"].startswith(b"%PDF-")
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    if role == "clinic":  # a clinic user's pack holds the clinic's own work only, as their Overview does
        assert book.sheetnames == ["About", "Clinic", "Health education"]
    else:
        assert {"Prevention", "Clinic", "Cow bank", "Rice bank", "Household hygiene"} <= set(book.sheetnames)
        born = {r[0]: r[1] for r in sheet_blocks(book["Cow bank"])["Figures"][1:]}["Born"]
        assert born == "<5"
    everything = files["md"].decode() + " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row if c.value is not None)
    assert not sorted(v for v in all_personal_values(demo_frames) if v in everything)[:10]
