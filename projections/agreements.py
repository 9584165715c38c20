"""Agreement validity on a day: valid_from, valid_until, state and days left."""

from __future__ import annotations

from datetime import date

from msgspec import Struct

from events.dates import PartialDate
from events.vocabulary import AGREEMENT_STATES
from projections.calendar import term_end
from projections.partnership import Agreement
from projections.rules import Rules

PENDING, IN_FORCE, LAPSED, TERMINATED = AGREEMENT_STATES  # events/vocabulary.py, in its order


class AgreementStatus(Struct, frozen=True, kw_only=True):
    agreement_id: str
    document: str
    signed_on: date
    valid_until: date | None
    state: str
    days_left: int | None
    valid_from: date


def _end(
    start: date, valid_until: str | None, term_years: int | None, open_ended: bool, document: str, rules: Rules
) -> date | None:
    if valid_until is not None:
        return PartialDate.parse(valid_until).last
    if open_ended:
        return None
    years = term_years if term_years is not None else rules.default_terms.get(document)
    return term_end(start, years) if years else None


def valid_from(agreement: Agreement) -> date:
    """First day in force: `valid_from` when given, else the signing date."""
    return PartialDate.parse(agreement.valid_from).first if agreement.valid_from else agreement.start


def _latest_renewal(agreement: Agreement, day: date):
    renewals = [r for r in agreement.renewals if r.start <= day]
    if not renewals:
        return None
    return max(enumerate(renewals), key=lambda item: (item[1].start, item[0]))[1]


def valid_until(agreement: Agreement, day: date, rules: Rules) -> date | None:
    """Last day in force as known on `day`: the latest renewal dated by then wins."""
    latest = _latest_renewal(agreement, day)
    if latest is not None:
        return _end(latest.start, latest.valid_until, latest.term_years, latest.open_ended, agreement.document, rules)
    return _end(
        valid_from(agreement),
        agreement.valid_until,
        agreement.term_years,
        agreement.open_ended,
        agreement.document,
        rules,
    )


def written_until(agreement: Agreement, day: date) -> str | None:
    """The end in force on `day` as it was written (`2026`, `2026-11`), or None when a term or nothing gives it."""
    latest = _latest_renewal(agreement, day)
    return latest.valid_until if latest is not None else agreement.valid_until


def agreement_status(agreement: Agreement, day: date, rules: Rules) -> AgreementStatus:
    """The agreement as it stands on `day` (it must have been signed by then)."""
    start = valid_from(agreement)
    until = valid_until(agreement, day, rules)
    terminations = [t for t in agreement.terminated_on if t <= day]
    if terminations:
        state = TERMINATED  # a termination ends it on its own date
    elif day < start:
        state = PENDING
    elif until is None or day <= until:
        state = IN_FORCE
    else:
        state = LAPSED
    return AgreementStatus(
        agreement_id=agreement.agreement_id,
        document=agreement.document,
        signed_on=agreement.start,
        valid_until=until,
        state=state,
        days_left=(until - day).days if until is not None else None,
        valid_from=start,
    )
