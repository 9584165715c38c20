"""The document cell: each agreement named ("LoI, 14 September 2009", "MoU 2016 (diperpanjang 2021)"), targets and processes as notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from events.dates import PartialDate
from service.matrix_in.items import items
from service.written_dates import DateProblem, find_dates

# The catalogue's document types and the words desks write for them, first match wins.
DOCUMENT_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bletter of intent\b|\bloi\b|surat pernyataan kehendak|pernyataan kehendak|\bspk\b", "LoI"),
    (r"memorandum of understanding|\bmou\b|nota kesepahaman|\bmsp\b|memorandum saling pengertian", "MoU"),
    (r"memorandum of agreement|\bmoa\b|perjanjian kerja ?sama|\bpks\b", "MoA"),
    (r"implementing arrangement|pengaturan pelaksanaan|\bia\b", "IA"),
    (r"action plan|rencana aksi|work ?plan|rencana kerja", "ActionPlan"),
    (r"joint communiqu[eé]|komunike bersama|joint statement|pernyataan bersama", "JointCommunique"),
    (r"sister (city|province) agreement|agreement|persetujuan|perjanjian", "Other"),
)
# A line that says what is to come, not what was signed: a note.
_NOT_SIGNED = re.compile(
    r"\b(target|rencana(?!\s+(aksi|kerja))|direncanakan|akan|sedang|proses|draft|draf|rancangan|belum|usulan"
    r"|diusulkan|menunggu|penjajakan|persiapan|dalam pembahasan|dprd|interkem|kemendagri|kemlu)\b",
    re.IGNORECASE,
)
_EXPLORING = re.compile(r"^\W*(potensi\s+)?penjajakan\W*$", re.IGNORECASE)
_RENEWED = re.compile(
    r"\b(diperpanjang|perpanjangan|diperbaharui|diperbarui|renewed|renewal|addendum)\b", re.IGNORECASE
)
# A document's number ("No. 120/45/2019") is no date.
_NUMBER = re.compile(r"\b(no|nomor|nomer|number)\.?\s*:?\s*[\w./-]*\d[\w./-]*", re.IGNORECASE)
# The end of its validity: "(berlaku s.d. 2025)", "MoU 2016–2021".
_UNTIL = re.compile(
    r"\b(s\.?\s?d\.?|sampai|hingga|berlaku s\.?\s?d\.?|berlaku hingga|berlaku sampai|until)\b", re.IGNORECASE
)
_SPAN = re.compile(r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b")
_TERM = re.compile(
    r"\b(?:jangka waktu|berlaku(?: selama)?|masa berlaku)\s*(\d{1,3}|lima|tiga|dua|sepuluh)\s*tahun", re.IGNORECASE
)
_NUMBER_WORDS = {"dua": 2, "tiga": 3, "lima": 5, "sepuluh": 10}


@dataclass(frozen=True)
class Document:
    """One agreement named in the cell, with its date as written and its renewal if said."""

    document: str
    signed_on: PartialDate
    text: str
    renewed_on: PartialDate | None = None
    term_years: int | None = None
    valid_until: PartialDate | None = None


@dataclass
class DocumentCell:
    """What the document cell says: agreements, notes, whether it is still being explored, problems."""

    documents: list[Document] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exploring: bool = False
    problems: list[DateProblem] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)


def document_type(text: str) -> str | None:
    """The catalogue's document type a text names, or None."""
    for pattern, code in DOCUMENT_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return code
    return None


def read_documents(lines: tuple[str, ...]) -> DocumentCell:
    """Read the document cell's lines (several documents, renewals, targets)."""
    cell = DocumentCell()
    for text in items([part for line in lines for part in line.split(";")]):
        if _EXPLORING.match(text):
            cell.exploring = True
        elif _RENEWED.match(text.lstrip("( ")) and cell.documents:
            _renew_last(cell, text)  # "(diperpanjang 2021)" on its own line: the document above
        elif _NOT_SIGNED.search(text) and not _signed_first(text):
            cell.notes.append(text)
        else:
            _document(cell, text)
    return cell


def _signed_first(text: str) -> bool:
    """Whether a line names a dated document before any target word ("MoU, 2016 (perpanjangan dalam proses)")."""
    kind = document_type(text)
    target = _NOT_SIGNED.search(text)
    dates = [f for f in find_dates(text) if f.value is not None]
    return kind is not None and bool(dates) and target is not None and dates[0].start < target.start()


def _document(cell: DocumentCell, text: str) -> None:
    kind = document_type(text)
    renewal = _RENEWED.search(text)
    signing_part = _NUMBER.sub(" ", text[: renewal.start()] if renewal else text)
    until_at = _UNTIL.search(signing_part)
    span = _SPAN.search(signing_part)
    valid_until = None
    if until_at is not None:
        valid_until = next((f.value for f in find_dates(signing_part[until_at.end() :]) if f.value), None)
        signing_part = signing_part[: until_at.start()]
    elif span is not None:  # "MoU 2016–2021": signed 2016, in force through 2021
        valid_until = next((f.value for f in find_dates(span.group(2)) if f.value), None)
        signing_part = signing_part[: span.start()] + span.group(1) + signing_part[span.end() :]
    found = list(find_dates(signing_part))
    bad = [f.problem for f in found if f.problem is not None]
    if bad:
        cell.problems.extend(bad)
        return
    dated = [f.value for f in found if f.value is not None]
    if not dated:
        if kind is None:
            cell.notes.append(text)
        else:
            cell.undated.append(text)
        return
    renewed_on = None
    if renewal:
        after = list(find_dates(text[renewal.end() :]))
        cell.problems.extend(f.problem for f in after if f.problem is not None)
        renewed_on = next((f.value for f in after if f.value is not None), None)
    term = _TERM.search(text)
    years = None
    if term:
        years = int(term.group(1)) if term.group(1).isdigit() else _NUMBER_WORDS[term.group(1).lower()]
    cell.documents.append(Document(kind or "Other", dated[0], text, renewed_on, years, valid_until))


def _renew_last(cell: DocumentCell, text: str) -> None:
    found = list(find_dates(text))
    cell.problems.extend(f.problem for f in found if f.problem is not None)
    on = next((f.value for f in found if f.value is not None), None)
    if on is None:
        cell.notes.append(text)
        return
    last = cell.documents[-1]
    cell.documents[-1] = Document(
        last.document, last.signed_on, f"{last.text} {text}", on, last.term_years, last.valid_until
    )


# A development item that reports a signing with its date ("Penandatanganan LOI Desember 2020").
_SIGNING = re.compile(r"^\W*(penandatanganan|telah ditandatangani|ditandatangani|signing of|signed)\b", re.IGNORECASE)


def signing_reported(text: str) -> Document | None:
    """The document a development item says was signed, on the one date it gives; None otherwise."""
    if not _SIGNING.match(text) or _NOT_SIGNED.search(text):
        return None
    kind = document_type(text)
    found = list(find_dates(text))
    if kind is None or len(found) != 1 or found[0].value is None:
        return None
    return Document(kind, found[0].value, text)
