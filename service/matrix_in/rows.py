"""One row of a matrix into the catalogue's events (docs/events.md): registration, documents, status, notes, contacts."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from events.vocabulary import PENJAJAKAN
from projections.rules import Rules
from service.matrix_in.contacts import read_contacts
from service.matrix_in.countries import country_code, country_name
from service.matrix_in.documents import read_documents, signing_reported
from service.matrix_in.grid import GridRow
from service.matrix_in.items import items
from service.matrix_in.layout import Table
from service.matrix_in.places import indonesian, partner_level
from service.matrix_in.problems import Problem
from service.record_ids import agreement_id as new_agreement_id
from service.record_ids import stream_base

# The ids of imported events are derived from what they say, so the same matrix twice stores nothing new.
NAMESPACE = uuid.UUID("a9c3e4b2-5d1f-4f0e-9b7a-21c0d6e8f412")

# The published status words, longest first ("TIDAK AKTIF" before "AKTIF").
STATUS_WORDS: tuple[tuple[str, str], ...] = (
    ("TIDAK AKTIF", "tidak_aktif"),
    ("BELUM AKTIF", "tidak_aktif"),
    ("INACTIVE", "tidak_aktif"),
    ("NOT ACTIVE", "tidak_aktif"),
    ("LESS ACTIVE", "kurang_aktif"),
    ("EXPLORATION", "penjajakan"),
    ("EXPLORATORY", "penjajakan"),
    ("NON AKTIF", "tidak_aktif"),
    ("NONAKTIF", "tidak_aktif"),
    ("DORMANT", "tidak_aktif"),
    ("PASIF", "tidak_aktif"),
    ("KURANG AKTIF", "kurang_aktif"),
    ("CUKUP AKTIF", "kurang_aktif"),
    ("POTENSI PENJAJAKAN", "penjajakan"),
    ("PENJAJAKAN", "penjajakan"),
    ("AKTIF", "aktif"),
    ("ACTIVE", "aktif"),
)
_SIDE_WORDS = (("MITRA", "partner"), ("PARTNER", "partner"), ("KBRI", "desk"), ("KJRI", "desk"), ("PERWAKILAN", "desk"))
# A fields cell's line that is a sentence, not a list of fields: a note.
_ONLY_LEVEL = re.compile(
    r"((special|metropolitan|self-governing|autonomous)\s+)*(city|province|prefecture|county|metropolis|state|do|si|gun)",
    re.IGNORECASE,
)
_COMPUTED = re.compile(r"^\s*\(menurut pantau\b", re.IGNORECASE)
_SENTENCE = re.compile(r":|\b(fokus|untuk|adalah|yaitu|telah|sedang|akan)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    """What every row of one matrix shares."""

    as_of: date
    rules: Rules
    desk: str | None = None
    region: str | None = None
    source: str = "matrix"


@dataclass
class RowReading:
    """A row as read: its stream, its events (envelopes as in an export), and what is wrong or doubtful."""

    row: int
    no: str
    sheet: str = ""
    stream: str | None = None
    events: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    key: tuple[str, str] | None = None  # (Indonesian side, partner) for matching stored partnerships


@dataclass(frozen=True)
class TableContext:
    """What the titles of one table say: kind, region, country."""

    kind: str | None
    region: str | None
    country: str | None


def cell(table: Table, grid_row: GridRow, column: str) -> tuple[str, ...]:
    """The lines of a row's cell in `column`, none when the table has no such column."""
    index = table.columns.get(column)
    if index is None or index >= len(grid_row.cells):
        return ()
    return grid_row.cells[index]


def event_id(scope: str, stream: str, type_: str, key: str) -> str:
    """The id of an imported event, from its desk or region, partnership, type and content."""
    return str(uuid.uuid5(NAMESPACE, f"{scope}|{stream}|{type_}|{key}"))


def finish(event: dict, stream: str) -> dict:
    """The envelope of a row's event in `stream`, its id derived from its content."""
    return {
        "id": event_id(event["_scope"], stream, event["type"], event["_key"]),
        "stream": stream,
        "type": event["type"],
        "occurred_on": event["occurred_on"],
        "data": event["data"],
        "meta": event["meta"],
    }


def read_row(table: Table, grid_row: GridRow, titles: TableContext, ctx: Context) -> RowReading:
    """The events one row gives, or its errors."""
    no = " ".join(cell(table, grid_row, "no")).strip().rstrip(".")
    reading = RowReading(grid_row.source, no, grid_row.sheet)

    def problem(key: str, column: str | None, **params) -> Problem:
        return Problem(key, params, grid_row.source, table.headings.get(column or "", column), grid_row.sheet or None)

    partner_text = " ".join(cell(table, grid_row, "partner")).strip()
    if not partner_text:
        reading.errors.append(problem("mi.no_partner", "partner"))
        return reading
    region = ctx.region or titles.region
    side_text = _side_text(table, grid_row)
    side = indonesian(side_text, region) if side_text.strip() else (indonesian(region) if region else None)
    if side is None:
        reading.errors.append(problem("mi.no_indonesia", "indonesia"))
        return reading
    if side.province is None:
        reading.warnings.append(problem("mi.no_province", "indonesia", name=side.name))
    name, country = _partner(table, grid_row, titles, ctx, reading, problem)
    if country is None:
        return reading
    usual = ctx.rules.desk_for_country(country)
    desk = ctx.desk or usual
    if ctx.desk and usual and usual != ctx.desk:  # the given desk is kept: it is the desk's own matrix
        reading.warnings.append(problem("mi.other_desk", "partner", country=country_name(country), desk=usual))
    stream = stream_base(side, name)
    reading.stream, reading.key = stream, (side.name, name)
    scope = ctx.desk or ctx.region or desk or side.province or ""
    _Builder(reading, scope, stream, ctx).build(table, grid_row, titles, side, name, country, desk, problem)
    return reading


def _side_text(table: Table, grid_row: GridRow) -> str:
    """The Indonesian side as one text: a city column's and a province column's cells together."""
    city = ", ".join(cell(table, grid_row, "indonesia_city")).strip()
    province = ", ".join(cell(table, grid_row, "indonesia")).strip()
    return f"{city}, {province}" if city and province else city or province


def _document_lines(table: Table, grid_row: GridRow) -> tuple[str, ...]:
    """The document cell, with the signing date and the end of their own columns put back into it."""
    lines = cell(table, grid_row, "document")
    signed = " ".join(cell(table, grid_row, "signed_on")).strip()
    until = " ".join(cell(table, grid_row, "valid_until")).strip()
    if signed:
        lines = (f"{' '.join(lines) or 'Dokumen'}, {signed}",)
    if until and lines:
        lines = (
            *lines[:-1],
            f"{lines[-1]} (berlaku s.d. {until})"
            if "tahun" not in until.lower()
            else f"{lines[-1]} (jangka waktu {until})",
        )
    return lines


def _partner(table, grid_row, titles, ctx, reading, problem) -> tuple[str, str | None]:
    """The partner's name and country ("Jeollabuk-do, Korea Selatan"; "Pref.Tokyo / Jepang"; a country column)."""
    lines = [
        part.strip()
        for line in cell(table, grid_row, "partner")
        for part in re.split(r",|\s[-–—]\s", line)
        if part.strip()
    ]
    country = None
    if len(lines) > 1 and country_code(lines[-1]):
        country = country_code(lines.pop())
    elif len(lines) > 1 and re.search(r"\(([^)]+)\)\s*$", lines[-1]):
        inside = re.search(r"\(([^)]+)\)\s*$", lines[-1])
        if inside and country_code(inside.group(1)):
            country = country_code(inside.group(1))
            lines[-1] = lines[-1][: inside.start()].strip()
    # "Incheon, Metropolitan City": a level joined to the name; "Suwon, Provinsi Gyeonggi": the name alone.
    lines = lines[:1] + [part for part in lines[1:] if _ONLY_LEVEL.fullmatch(part)]
    name = " ".join(lines).replace(".", ". ").replace(" .", ".")
    name = " ".join(name.split())
    written = " ".join(cell(table, grid_row, "country")).strip()
    if written:
        code = country_code(written)
        if code is None:
            reading.errors.append(problem("mi.no_country", "country", text=written))
            return name, None
        country = code
    if country is None:
        country = titles.country or _desk_country(ctx)
        if country is None:
            reading.errors.append(problem("mi.country_unknown", "partner", text=name))
            return name, None
        reading.warnings.append(problem("mi.country_assumed", "partner", country=country_name(country)))
    return name, country


def _desk_country(ctx: Context) -> str | None:
    if ctx.desk is None:
        return None
    countries = ctx.rules.desk(ctx.desk).countries
    return countries[0] if len(countries) == 1 else None


def status_of(text: str) -> str | None:
    """The published status a status cell says, or None (a line of Pantau's own computed status is read past)."""
    first = next((line for line in text.split("\n") if line.strip() and not _COMPUTED.match(line)), "")
    upper = " ".join(re.sub(r"[^A-Za-z]+", " ", first).upper().split())
    for words, status in STATUS_WORDS:
        if upper.startswith(words):
            return status
    for words, status in STATUS_WORDS:
        if f" {words} " in f" {upper} ":
            return status
    return None


def published(lines: tuple[str, ...]) -> str:
    """The status cell's text without the line of Pantau's computed status."""
    return " ".join(line for line in lines if not _COMPUTED.match(line)).strip()


def fields_of(lines: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The fields of cooperation of a fields cell, and its lines that are sentences (notes)."""
    fields: list[str] = []
    notes: list[str] = []
    for item in items(lines):
        if _SENTENCE.search(item) and len(item.split()) > 6:
            notes.append(item)
            continue
        for part in re.split(r"[,;]", item):
            part = re.sub(r"^(dan|serta|and)\s+", "", part.strip(), flags=re.IGNORECASE).strip(" .")
            if part and part not in fields:
                fields.append(part)
    return fields, notes


class _Builder:
    """Builds one row's events in stream order."""

    def __init__(self, reading: RowReading, scope: str, stream: str, ctx: Context):
        self.reading, self.scope, self.stream, self.ctx = reading, scope, stream, ctx
        self.meta = {"source": ctx.source}

    def add(self, type_: str, on: str, data: dict, key: str) -> None:
        # The id is made when the stream is settled (finish): a stored partnership may hold the row.
        self.reading.events.append(
            {
                "stream": self.stream,
                "type": type_,
                "occurred_on": on,
                "data": data,
                "meta": self.meta,
                "_key": key,
                "_scope": self.scope,
                "_day": self.ctx.as_of.isoformat(),
            }
        )

    def build(self, table, grid_row, titles, side, name, country, desk, problem) -> None:
        ctx, day = self.ctx, self.ctx.as_of.isoformat()
        documents = read_documents(_document_lines(table, grid_row))
        for date_problem in documents.problems:
            self.reading.errors.append(problem(date_problem.key, "document", **date_problem.params))
        for text in documents.undated:
            self.reading.warnings.append(problem("mi.document_undated", "document", text=text))
        development = items(cell(table, grid_row, "development"))
        reported = {text: signing_reported(text) for text in development}
        documents.documents.extend(d for d in reported.values() if d is not None)
        development = [text for text in development if reported[text] is None]
        fields, field_notes = fields_of(cell(table, grid_row, "fields"))
        kind = titles.kind or ("sister_province" if side.level == "province" else "sister_city")
        registration = {
            "kind": kind,
            "indonesia": side.as_json(),
            "partner": {"name": name, "level": partner_level(name), "country": country},
            "fields": fields,
        }
        if desk:
            registration["desk"] = desk
        dated = [d.signed_on for d in documents.documents if d.signed_on.first <= ctx.as_of]
        registered_on = str(min(dated)) if dated else day
        self.add("PartnershipRegistered", registered_on, registration, "")
        self.documents(documents.documents, problem)
        for person in read_contacts(cell(table, grid_row, "contact")):
            self.add("ContactAssigned", day, person.data(_side(table)), f"{person.contact_id}|{day}")
        status_text = published(cell(table, grid_row, "status"))
        status = status_of(status_text) if status_text else None
        if status_text and status is None:
            self.reading.warnings.append(problem("mi.status_unknown", "status", text=status_text))
        if status == PENJAJAKAN or documents.exploring:
            self.add("ExplorationStarted", day, {"note": f"STATUS: {status_text or 'PENJAJAKAN'}"}, day)
        notes = documents.notes + development + field_notes + documents.undated
        for text in dict.fromkeys(notes):
            self.add("NoteAdded", day, {"text": text}, text)
        if status is not None:
            self.add("StatusAssessed", day, {"status": status, "note": status_text}, f"{status}|{day}")

    def documents(self, documents, problem) -> None:
        used: set[str] = set()
        for doc in documents:
            if doc.signed_on.first > self.ctx.as_of:
                self.reading.errors.append(problem("mi.document_future", "document", text=doc.text))
                continue
            agreement_id = new_agreement_id(doc.document, doc.signed_on.first.year, used)
            used.add(agreement_id)
            data: dict = {"agreement_id": agreement_id, "document": doc.document, "note": doc.text}
            if doc.term_years:
                data["term_years"] = doc.term_years
            elif doc.valid_until is not None and doc.valid_until > doc.signed_on:
                data["valid_until"] = str(doc.valid_until)
            self.add("AgreementSigned", str(doc.signed_on), data, f"{doc.document}|{doc.signed_on}")
            if doc.renewed_on is not None and doc.renewed_on.first <= self.ctx.as_of:
                renewal = {"agreement_id": agreement_id, "note": doc.text}
                self.add(
                    "AgreementRenewed", str(doc.renewed_on), renewal, f"{doc.document}|{doc.signed_on}|{doc.renewed_on}"
                )


def _side(table: Table) -> str:
    heading = table.headings.get("contact", "").upper()
    return next((side for word, side in _SIDE_WORDS if word in heading), "indonesia")
