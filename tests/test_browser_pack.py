"""In a real browser: the Overview prepares the donor pack when asked and the PDF and the XLSX download."""
from __future__ import annotations

import openpyxl

from tests.factories import open_page, pdf_images, pdf_text, sheet_blocks


def test_the_overview_downloads_the_donor_pack_as_pdf_and_xlsx(browser, app_url, tmp_path):
    page = open_page(browser, app_url)
    page.get_by_text("11,618 patients assessed", exact=False).first.wait_for(timeout=90_000)
    page.get_by_text("Donor pack (PDF, XLSX, Markdown)").click()
    page.get_by_role("button", name="Prepare donor pack").click()
    saved = {}
    for fmt in ("PDF", "XLSX"):
        button = page.get_by_role("button", name=f"Download donor pack ({fmt})")
        button.wait_for(timeout=180_000)
        with page.expect_download(timeout=60_000) as download:
            button.click()
        saved[fmt] = tmp_path / download.value.suggested_filename
        download.value.save_as(saved[fmt])
    page.close()
    assert saved["PDF"].name == "ccpcr-donor-pack-2018-en.pdf"
    text = pdf_text(saved["PDF"])
    assert "11,618 patients assessed" in text and "139,791,300 riel" in text
    assert len(pdf_images(saved["PDF"])) == 5
    book = openpyxl.load_workbook(saved["XLSX"])
    figures = {r[0]: r[1] for r in sheet_blocks(book["Clinic"])["Figures"][1:]}
    assert figures["Patients assessed (visits)"] == 11_618
