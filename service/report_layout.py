"""The yearly report's page and the parts a bureau's letter has around its sections (python-docx).

A4 with the margins of official letters, the document's properties (its author Pantau or the desk,
never the library), the letterhead of the Indonesian party's government ruled off below, the
report's title as the first heading and its number; after the sections, place, date and the
signature block. Loaded only when a Word document is written.
"""

from __future__ import annotations

from typing import Protocol

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from service.docx_text import core_property
from service.letterhead import Letterhead


class Report(Protocol):
    """What the layout reads of service.report's Report (named here: the report module imports this one)."""

    title: str
    author: str
    letterhead: Letterhead | None

    @property
    def place_and_date(self) -> str: ...


_BLACK = RGBColor(0, 0, 0)


def front(document, report: Report) -> None:
    """A4 page, properties and styles, then the letterhead, the title and the number."""
    _page(document)
    _properties(document, report)
    _styles(document)
    head = report.letterhead
    if head is not None:
        _centred(document, head.government.upper(), size=14, bold=True)
        _centred(document, head.office, size=12, bold=True)
        last = _centred(document, head.address, size=10) if head.address else None
        _rule_below(last or document.paragraphs[-1])
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if head is not None:
        _centred(document, f"Nomor: {head.number}", size=12)


def signature(document, report: Report) -> None:
    """Place and date, the signer's office, room to sign, name and NIP, on the right half of the page."""
    head = report.letterhead
    lines = [report.place_and_date, f"{head.signer}," if head else "", "", "", ""]
    if head is not None:
        lines += [head.signer_name, f"NIP. {head.signer_id}"]
    document.add_paragraph()
    for text in lines:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.left_indent = Cm(9)
        paragraph.paragraph_format.space_after = Pt(0)


def _page(document) -> None:
    # A4 with the margins of Indonesian official letters (Permendagri 1/2023): 3 cm left, 2 cm elsewhere.
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)


def _properties(document, report: Report) -> None:
    properties = document.core_properties
    properties.title = core_property(report.title)  # a core property holds 255 characters at most
    properties.language = "id-ID"
    properties.author = properties.last_modified_by = report.author
    properties.subject = "Laporan Hasil Kerja Sama"
    properties.comments = properties.keywords = properties.category = ""
    properties.revision = 1


def _styles(document) -> None:
    # The template's blue, large headings read as a draft: black, the letter's sizes.
    for name, size in (("Title", 14), ("Heading 1", 12)):
        font = document.styles[name].font
        font.size, font.bold, font.color.rgb, font.name = Pt(size), True, _BLACK, "Arial"
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)


def _centred(document, text: str, *, size: int, bold: bool = False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    return paragraph


def _rule_below(paragraph) -> None:
    """A double line under the letterhead, as government letters draw it."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
