"""A line of the desks' matrix: who, with whom, which documents, status computed and published, notes.

The matrix page, its exports and the monthly digest make their lines here, so they agree (one
rule of when the published status differs from the computed one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from projections.agreements import written_until
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import Status, contacts, details, status

# Provinces first, then cities and regencies, as the desks' document lists them.
_KIND_ORDER = {"sister_province": 0, "sister_city": 1}


@dataclass(frozen=True)
class Agreement:
    """One agreement in a matrix cell."""

    agreement_id: str
    document: str
    signed_on: str
    valid_until: str | None
    state: str
    days_left: int | None
    # What people read (pages, the exports' cells): the dates as written, `2016` or `Nov 2026`,
    # never the first or last day they stand for; the machine formats keep the ISO days above.
    signed_written: str = ""
    until_written: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    """A line of the matrix: who, with whom, which documents, status computed and published, notes."""

    no: int
    stream: str
    desk: str | None
    kind: str
    indonesia: str
    province: str | None
    partner: str
    country: str
    agreements: list[Agreement]
    stage: str
    activeness: str
    matrix_status: str
    assessed_status: str | None
    differs: bool
    last_activity_on: str | None
    developments: list[str]
    fields: list[str]
    contacts: list[str]


def _contact_text(contact: dict) -> str:
    parts = [contact.get("name", "")]
    parts += [contact[k] for k in ("role", "phone", "email") if contact.get(k)]
    return ", ".join(p for p in parts if p)


def matrix_row(
    no: int, state: PartnershipState, day: date, rules: Rules, current: Status | None = None
) -> MatrixRow | None:
    """The partnership's matrix line on `day`, or None when it was not registered yet.

    `current`, its status on `day` when the caller has it already, is not worked out again.
    """
    current = current or status(state, day, rules)
    if current is None:
        return None
    info = details(state, day, rules)
    indonesia, partner = info.get("indonesia") or {}, info.get("partner") or {}
    recorded = {a.agreement_id: a for a in state.agreements}
    agreements = []
    for a in current.agreements:
        until = a.valid_until.isoformat() if a.valid_until else None
        kept = recorded.get(a.agreement_id)
        # An end worked out from a term is a real day; only a written end can be partial.
        written = written_until(kept, day) if kept is not None and until else None
        agreements.append(
            Agreement(
                a.agreement_id,
                a.document,
                a.signed_on.isoformat(),
                until,
                a.state,
                a.days_left,
                signed_written=kept.signed_on if kept else a.signed_on.isoformat(),
                until_written=written or until,
            )
        )
    return MatrixRow(
        no=no,
        stream=state.stream,
        desk=current.desk,
        kind=current.kind,
        indonesia=indonesia.get("name", ""),
        province=indonesia.get("province"),
        partner=partner.get("name", ""),
        country=partner.get("country", ""),
        agreements=agreements,
        stage=current.stage,
        activeness=current.activeness,
        matrix_status=current.matrix_status,
        assessed_status=current.assessed_status,
        differs=current.differs,
        last_activity_on=current.last_activity_on.isoformat() if current.last_activity_on else None,
        developments=[n.value for n in state.notes if n.on <= day],
        fields=list(info.get("fields") or []),
        contacts=[_contact_text(c) for c in contacts(state, day)],
    )


def matrix_order(row: MatrixRow) -> tuple:
    """The key of the matrix's order, which numbers its rows: kind, region, partner (the stream last)."""
    return (_KIND_ORDER.get(row.kind, 9), row.indonesia, row.partner, row.stream)
