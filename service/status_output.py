"""`pantau status` output: JSON exactly as `docs/interfaces.md` writes it, CSV and a terminal table."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import NamedTuple

import msgspec

from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.scorecard import scorecard
from projections.status import Status, status
from service.cells import CSV_BOM, csv_cell

CSV_COLUMNS = [
    "stream",
    "desk",
    "kind",
    "stage",
    "activeness",
    "matrix_status",
    "assessed_status",
    "last_activity_on",
    "activities_in_window",
    "indicators_in_window",
    "agreements",
]


def as_json_objects(rows: list[Status]) -> list[dict]:
    """Plain JSON objects (dates as YYYY-MM-DD)."""
    return msgspec.to_builtins(rows)


class StatusLine(NamedTuple):
    """One partnership's line of the status list for a day: what the list filters on, and its JSON."""

    stream: str
    desk: str | None
    stage: str
    activeness: str
    json: bytes  # the object of docs/interfaces.md, with the year's scorecard (docs/lifecycle.md)


def status_line(state: PartnershipState, day: date, rules: Rules) -> StatusLine | None:
    """The partnership's line on `day`, or None when it was not registered yet."""
    current = status(state, day, rules)
    if current is None:
        return None
    body = {**msgspec.to_builtins(current), "scorecard": scorecard(state, day.year, rules)}
    return StatusLine(current.stream, current.desk, current.stage, current.activeness, msgspec.json.encode(body))


def to_json(rows: list[Status]) -> str:
    """The JSON array of `status --format json`."""
    return json.dumps(as_json_objects(rows), ensure_ascii=False, indent=1) + "\n"


def agreement_summary(agreement: dict) -> str:
    """`mou-2016 MoU lapsed (-82 d)`: one agreement in a cell."""
    days = agreement["days_left"]
    left = "" if days is None else f" ({days:+d} d)"
    return f"{agreement['agreement_id']} {agreement['document']} {agreement['state']}{left}"


def to_csv(rows: list[Status]) -> str:
    """One line per partnership; agreements joined with '; '."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in as_json_objects(rows):
        row["indicators_in_window"] = " ".join(map(str, row["indicators_in_window"]))
        row["agreements"] = "; ".join(agreement_summary(a) for a in row["agreements"])
        writer.writerow({k: ("" if row[k] is None else csv_cell(row[k])) for k in CSV_COLUMNS})
    return out.getvalue()
