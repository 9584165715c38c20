"""Small event builders so tests read like the domain."""

from __future__ import annotations

import threading
import uuid
from datetime import date

import msgspec

from events import mapper
from events.model import Event

FAR_FUTURE = date(2100, 1, 1)
_NS = uuid.UUID("6f1c1c2e-8a8e-4a55-9f3a-6d1f0e1b2c3d")


def event(
    stream: str, type_: str, on: str, data: dict | None = None, meta: dict | None = None, id: str | None = None
) -> Event:
    """A validated event; its id is derived from its content unless given."""
    data = data or {}
    event_id = id or str(uuid.uuid5(_NS, f"{stream}|{type_}|{on}|{sorted(data.items())!r}"))
    return mapper.from_dict(
        {"id": event_id, "stream": stream, "type": type_, "occurred_on": on, "data": data, "meta": meta or {}},
        FAR_FUTURE,
    )


def registered(
    stream: str = "kota-bandung-seoul",
    on: str = "2010-01-01",
    *,
    desk: str | None = "kbri-seoul",
    country: str = "KR",
    kind: str = "sister_city",
) -> Event:
    data = {
        "kind": kind,
        "indonesia": {"name": "Kota Bandung", "level": "city", "province": "Jawa Barat"},
        "partner": {"name": "Seoul", "level": "si", "country": country},
        "fields": [],
    }
    if desk:
        data["desk"] = desk
    return event(stream, "PartnershipRegistered", on, data)


def signed(
    on: str, agreement_id: str = "mou", document: str = "MoU", stream: str = "kota-bandung-seoul", **validity
) -> Event:
    return event(stream, "AgreementSigned", on, {"agreement_id": agreement_id, "document": document, **validity})


def renewed(on: str, agreement_id: str = "mou", stream: str = "kota-bandung-seoul", **validity) -> Event:
    return event(stream, "AgreementRenewed", on, {"agreement_id": agreement_id, **validity})


def terminated(on: str, agreement_id: str = "mou", stream: str = "kota-bandung-seoul") -> Event:
    return event(stream, "AgreementTerminated", on, {"agreement_id": agreement_id, "reason": "test"})


def activity(
    on: str, kind: str = "visit", activity_id: str | None = None, stream: str = "kota-bandung-seoul", **fields
) -> Event:
    return event(
        stream,
        "ActivityLogged",
        on,
        {"activity_id": activity_id or f"{on}-{kind}", "kind": kind, "title": kind, **fields},
    )


def corrected(activity_id: str, on: str, stream: str = "kota-bandung-seoul", **fields) -> Event:
    return event(stream, "ActivityCorrected", on, {"activity_id": activity_id, **fields})


def retracted(activity_id: str, on: str, stream: str = "kota-bandung-seoul") -> Event:
    return event(stream, "ActivityRetracted", on, {"activity_id": activity_id, "reason": "entered twice"})


def exploration(on: str, stream: str = "kota-bandung-seoul") -> Event:
    return event(stream, "ExplorationStarted", on, {"note": "penjajakan"})


def assessed(on: str, status: str, stream: str = "kota-bandung-seoul") -> Event:
    return event(stream, "StatusAssessed", on, {"status": status})


def ended(on: str, stream: str = "kota-bandung-seoul") -> Event:
    return event(stream, "PartnershipEnded", on, {"reason": "discontinued"})


def contact(on: str, contact_id: str = "putri", stream: str = "kota-bandung-seoul", **fields) -> Event:
    return event(
        stream, "ContactAssigned", on, {"contact_id": contact_id, "name": "Ibu Putri", "side": "indonesia", **fields}
    )


def d(text: str) -> date:
    return date.fromisoformat(text)


def assert_matches_published(rows: list[dict], expected: list[dict]) -> None:
    """Status rows equal the published answer on every field it gives (they may carry more)."""
    assert [row["stream"] for row in rows] == [row["stream"] for row in expected]
    for got, want in zip(rows, expected):
        for field, value in want.items():
            if field == "agreements":
                assert len(got[field]) == len(value), want["stream"]
                for got_agreement, want_agreement in zip(got[field], value):
                    for key, item in want_agreement.items():
                        assert got_agreement[key] == item, (want["stream"], key)
            else:
                assert got[field] == value, (want["stream"], field)


def at_once(target, arguments) -> None:
    """Call `target(*args)` for each tuple of `arguments`, each in a thread of its own, and wait for all."""
    threads = [threading.Thread(target=target, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# Two sample partnerships with a contact on the partner's side each (docs/partner.md): Jawa Barat –
# Gyeongsangbuk-do with a Korean person, DKI Jakarta – Tokyo with a Japanese office; each has an MoU
# in force until 8 July 2024, so on 9 April 2024 each is 90 days from its end.
PARTNER_STREAMS = ("jabar-gyeongsangbuk-do", "dki-jakarta-tokyo")
PARTNER_REMINDER_DAY = date(2024, 4, 9)


def partner_sample_events() -> list[Event]:
    """What the tests add to the sample matrix: local names, MoUs with an end, the partners' contacts."""
    out = []
    for stream, local_name in zip(PARTNER_STREAMS, ("경상북도", "東京都")):
        out.append(event(stream, "PartnershipDetailsChanged", "2021-12-27", {"partner": {"local_name": local_name}}))
        out.append(
            event(
                stream,
                "AgreementSigned",
                "2019-07-09",
                {"agreement_id": "mou-2019", "document": "MoU", "valid_until": "2024-07-08"},
            )
        )
    out.append(
        contact(
            "2022-01-05",
            "kim",
            stream=PARTNER_STREAMS[0],
            name="김민지",
            side="partner",
            role="국제통상과 주무관",
            email="kim@gb.example.kr",
            phone="+82 54 880 1234",
            language="ko",
        )
    )
    out.append(
        contact(
            "2022-01-05",
            "kokusai",
            stream=PARTNER_STREAMS[1],
            name="生活文化局 国際交流課",
            side="partner",
            email="kokusai@metro.example.jp",
            phone="+81 3 5321 1111",
            language="ja",
        )
    )
    out.append(
        contact(
            "2022-01-05",
            "tanaka",
            stream=PARTNER_STREAMS[1],
            name="田中 花子",
            side="partner",
            email="tanaka@metro.example.jp",
            phone="+81 3 5321 2222",
            language="en",
        )
    )
    return out


def as_stored(event_: Event, data: dict) -> Event:
    """`event_` holding `data` as an earlier release may have stored it, unchecked by today's input rules."""
    from events.catalogue import TYPES

    return msgspec.structs.replace(
        event_, data_json=msgspec.json.encode(data).decode(), payload=msgspec.convert(data, TYPES[event_.type])
    )


# The Seoul desk's column headings, as its matrix of 27 December 2021 writes them.
MATRIX_HEADER = [
    "NO.",
    "PROVINSI INDONESIA",
    "MITRA",
    "DOKUMEN PERJANJIAN",
    "STATUS",
    "PERKEMBANGAN",
    "BIDANG KERJA SAMA",
    "CONTACT PERSON",
]


def matrix_docx(path, tables: list[tuple[list[str], list[str], list[list[str]]]], number_row: bool = False):
    """A Word matrix: for each table its title lines, header and rows; a cell's lines split on "\\n"."""
    import docx
    from docx.enum.section import WD_ORIENT

    document = docx.Document()
    document.sections[0].orientation = WD_ORIENT.LANDSCAPE
    for titles, header, rows in tables:
        for title in titles:
            document.add_paragraph(title)
        extra = 1 if number_row else 0
        table = document.add_table(rows=1 + extra + len(rows), cols=len(header))
        for i, heading in enumerate(header):
            table.cell(0, i).text = heading
            if number_row:
                table.cell(1, i).text = f"({i + 1})"
        for r, row in enumerate(rows, start=1 + extra):
            for i, value in enumerate(row):
                lines = value.split("\n")
                cell = table.cell(r, i)
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        document.add_paragraph("Sumber: Biro Pemerintahan")
    document.save(path)
    return path


def matrix_xlsx(path, titles: list[str], header: list[str], rows: list[list[str]], blank_rows: int = 1):
    """An Excel matrix: title rows merged across the width, blank rows, the header, then the rows."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    width = len(header)
    for title in titles:
        sheet.append([title] + [None] * (width - 1))
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    for _ in range(blank_rows):
        sheet.append([None] * width)
    sheet.append(header)
    for row in rows:
        sheet.append([value or None for value in row])
    book.save(path)
    return path


def migrate_to(engine, action: str, target: str) -> None:
    """Run Alembic's `action` ("upgrade" or "downgrade") to `target` on the test engine."""
    from alembic import command
    from alembic.config import Config

    from service.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)
        config.attributes["connection"] = conn
        getattr(command, action)(config, target)
        conn.commit()
