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
@pytest.mark.usefixtures("app_env")
def test_the_overview_prepares_the_donor_pack_for_the_signed_in_role(pack_downloads, demo_frames, role):
    _at, files = _prepare(EMAIL[role], pack_downloads)
    assert sorted(files) == ["md", "pdf", "xlsx"]
    assert files["pdf"].startswith(b"%PDF-")
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    if role == "clinic":  # a clinic user's pack holds the clinic's own work only, as their Overview does
        assert book.sheetnames == ["About", "Clinic", "Health education"]
    else:
        assert {"Prevention", "Clinic", "Cow bank", "Rice bank", "Household hygiene"} <= set(book.sheetnames)
        born = {r[0]: r[1] for r in sheet_blocks(book["Cow bank"])["Figures"][1:]}["Calves born"]
        assert born == "<5"
    everything = files["md"].decode() + " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row if c.value is not None)
    assert not sorted(v for v in all_personal_values(demo_frames) if v in everything)[:10]


@pytest.mark.usefixtures("app_env")
def test_a_pack_prepared_on_a_khmer_page_is_khmer_and_named_km(pack_downloads, monkeypatch):
    from tests.catalogs import build_assets

    build_assets()
    monkeypatch.setenv("BACKOFFICE_LANGUAGE", "km")  # the page shows Khmer (the pack has no language of its own to pick)
    at = signed_in(EMAIL["viewer"])
    at.switch_page("pages/overview.py").run()
    assert at.title[0].value == "CCPCR — លទ្ធផលប្រចាំឆ្នាំ"
    at.button(key="pack_prepare").click().run()
    assert not at.exception, at.exception
    names = sorted(name for name in pack_downloads if name.startswith("ccpcr-donor-pack-"))
    assert names == ["ccpcr-donor-pack-2018-km.md", "ccpcr-donor-pack-2018-km.pdf", "ccpcr-donor-pack-2018-km.xlsx"]
    markdown = pack_downloads["ccpcr-donor-pack-2018-km.md"].decode()
    assert "# លទ្ធផលរបស់ CCPCR សម្រាប់ឆ្នាំ 2018" in markdown and "## ធនាគារគោ" in markdown
    book = openpyxl.load_workbook(io.BytesIO(pack_downloads["ccpcr-donor-pack-2018-km.xlsx"]))
    assert "ធនាគារគោ" in book.sheetnames


@pytest.mark.usefixtures("app_env")
def test_a_pack_that_cannot_be_made_is_a_message_not_a_traceback(pack_downloads, monkeypatch, caplog):
    import vl_convert

    def broken(*_args, **_kwargs):
        raise ValueError("renderer failed on /srv/app/secret/path")

    monkeypatch.setattr(vl_convert, "vegalite_to_png", broken)  # the chart renderer (a third-party library) fails
    at = signed_in(EMAIL["viewer"])
    at.switch_page("pages/overview.py").run()
    at.button(key="pack_prepare").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("The donor pack could not be made (reference ") and "/srv" not in errors[0]
    assert not [name for name in pack_downloads if "donor-pack" in name]  # nothing half-made offered
    reference = errors[0].split("reference ")[1][:8]
    assert any(reference in record.getMessage() for record in caplog.records)  # the details are in the log
