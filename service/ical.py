"""An iCalendar feed (RFC 5545) per desk: agreement end dates and the reminder days before them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from events.text import writable
from notifications.translations import format_day
from projections.agreements import IN_FORCE, PENDING, written_until
from projections.calendar import shift
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import ENDED, details, status


def feed(
    states: Iterable[PartnershipState],
    day: date,
    rules: Rules,
    desk: str | None,
    days: tuple[int, ...],
    stamp: datetime,
) -> bytes:
    """The calendar of every in-force or pending agreement with an end, of one desk (or all)."""
    cal = Calendar()
    cal.add("prodid", "-//Pantau//agreement end dates//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ics_text(f"Pantau {desk or 'semua desk'}"))
    for state in states:
        current = status(state, day, rules)
        if current is None or current.stage == ENDED or (desk is not None and current.desk != desk):
            continue
        info = details(state, day, rules)
        name = f"{info['indonesia']['name']} – {info['partner']['name']}"
        for agreement in current.agreements:
            if agreement.valid_until is None or agreement.state not in (IN_FORCE, PENDING):
                continue
            until = agreement.valid_until
            uid = f"{state.stream}/{agreement.agreement_id}/{until.isoformat()}"
            # The event sits on the last day in force; its words give the end as written (`s.d. 2026`).
            kept = next((a for a in state.agreements if a.agreement_id == agreement.agreement_id), None)
            written = format_day((written_until(kept, day) if kept else None) or until, "id")
            cal.add_component(
                _event(
                    f"{uid}/end@pantau",
                    until,
                    stamp,
                    f"{agreement.document} {name}: hari terakhir berlaku",
                    f"{agreement.agreement_id} berlaku s.d. {written}",
                )
            )
            for threshold in days:
                cal.add_component(
                    _event(
                        f"{uid}/{threshold}@pantau",
                        shift(until, -threshold),
                        stamp,
                        f"{agreement.document} {name}: berakhir dalam {threshold} hari",
                        f"{agreement.agreement_id} berlaku s.d. {written}",
                    )
                )
    return cal.to_ical()


def ics_text(value: str) -> str:
    """Text an iCalendar value can hold (RFC 5545 TEXT has no control characters but tab; icalendar
    escapes the newlines): a carriage return becomes a newline, the rest U+FFFD, as in every file."""
    return writable(value.replace("\r\n", "\n").replace("\r", "\n"))


def _event(uid: str, on: date, stamp: datetime, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", ics_text(uid))
    event.add("dtstamp", stamp)
    event.add("dtstart", on)
    if on < date.max:  # a one-day event needs no DTEND (RFC 5545 3.6.1); 9999-12-31 has no next day
        event.add("dtend", on + timedelta(days=1))
    event.add("summary", ics_text(summary))
    event.add("description", ics_text(description))
    event.add("transp", "TRANSPARENT")
    return event
