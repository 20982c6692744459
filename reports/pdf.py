"""The pack as a PDF (fpdf2): per programme its sentences, what they left out and its chart as an image;
what the figures leave out first and where they come from last, all in the pack's language. Every text is
set in Noto Sans Khmer (it holds Latin too), embedded, with HarfBuzz shaping on (`set_text_shaping`), so Khmer clusters - subscript consonants,
vowels written before the consonant - come out as a reader writes them.

fpdf2 guesses a run's script from its first letters, so "Language: ខ្មែរ" would be shaped as Latin (the
Khmer left unshaped): a text holding any Khmer is shaped as Khmer (HarfBuzz sets its Latin letters as
they are). Every text is XML-safe first ("?" for what cannot be shown: the font has no U+FFFD)."""
from __future__ import annotations

import io
import re

from fpdf import FPDF

from reports.charts import FONT_FILE, chart_png
from reports.pack import Pack
from schemas.i18n import gettext as _
from schemas.safe_text import xml_safe

FAMILY = "NotoSansKhmer"
TEXT_WIDTH_MM = 180  # A4 less the margins
CHART_WIDTH_MM = 170
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")


class _PackPDF(FPDF):
    def __init__(self, pack: Pack) -> None:
        super().__init__(format="A4")
        self.pack = pack
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        # One file, two instances of its weight axis (fpdf2 reads the variable font itself).
        self.add_font(FAMILY, "", str(FONT_FILE), variations={"wght": 400})
        self.add_font(FAMILY, "B", str(FONT_FILE), variations={"wght": 700})
        self.set_title(_("CCPCR results for {year}").format(year=pack.year))
        self.set_lang(pack.language)
        self.set_creator("CCPCR Back Office")

    def write_text(self, text: str, size: float) -> None:
        text = xml_safe(text, "?")
        if KHMER.search(text):
            self.set_text_shaping(True, script="khmr", language="km")
        else:
            self.set_text_shaping(True)
        self.multi_cell(TEXT_WIDTH_MM, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_shaping(True)
        self.cell(0, 6, f"CCPCR — {self.pack.year} — {self.page_no()}", align="C")

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(FAMILY, "B", size)
        self.write_text(text, size)
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10.5, bullet: bool = False) -> None:
        self.set_font(FAMILY, "", size)
        self.write_text(f"• {text}" if bullet else text, size)
        self.ln(0.8)


def pdf_bytes(pack: Pack) -> bytes:
    pdf = _PackPDF(pack)
    pdf.add_page()
    pdf.heading(_("CCPCR results for {year}").format(year=pack.year), 18)
    if pack.place:
        pdf.paragraph(f"{_('Place')}: {pack.place}", 9.5)
    pdf.paragraph(pack.privacy_note(), 9.5)
    if pack.problems:
        pdf.heading(_("What the figures leave out"))
        pdf.paragraph(_("Some of the programme's records could not be used; the figures below leave them out:"))
        for problem in pack.problems:
            pdf.paragraph(problem, bullet=True)
    for programme in pack.programmes:
        if programme.chart is not None and pdf.get_y() > pdf.h - 110:  # a heading, its lines and its chart on one page
            pdf.add_page()
        pdf.heading(programme.title)
        for sentence in programme.sentences:
            pdf.paragraph(sentence, bullet=True)
        for note in programme.notes:
            pdf.paragraph(note, 9.5)
        if programme.chart is not None:
            png = chart_png(programme.chart, programme.title)
            if pdf.get_y() + _height_mm(png) > pdf.h - 15:  # the chart goes whole to the next page
                pdf.add_page()
            pdf.image(io.BytesIO(png), w=CHART_WIDTH_MM, title=xml_safe(programme.title, "?"),
                      alt_text=xml_safe(f"{_('Chart')}: {programme.title}", "?"))
            if _hides_small_counts(programme):
                pdf.paragraph(_("A count below {n} shows as \"<{n}\" where its bar would be.").format(n=pack.threshold), 8.5)
            pdf.ln(3)
    pdf.heading(_("About these figures"))
    for line in pack.provenance():
        pdf.paragraph(line, bullet=True)
    return bytes(pdf.output())


def _height_mm(png: bytes) -> float:
    """How tall the chart is drawn CHART_WIDTH_MM wide (a PNG's size is in its IHDR chunk, bytes 16-24)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return CHART_WIDTH_MM * height / max(width, 1)


def _hides_small_counts(programme) -> bool:
    table = programme.tables.get(programme.chart_table)
    return table is not None and any(isinstance(v, str) and v[:1] == "<" and v[1:].isdigit() for v in table.to_numpy().ravel())
