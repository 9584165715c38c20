"""Turns an alert into its messages: recipients per language, rendered from one context each."""

from __future__ import annotations

from datetime import date

from notifications import digest, keys, recipients
from notifications.alert_rules import DIGEST, AlertRules
from notifications.links import Links
from notifications.outbox import Message
from notifications.render import render
from notifications.rules import Alert
from notifications.words import desk_name
from projections.activeness import last_activity_written
from projections.partnership import PartnershipState
from projections.rules import Rules
from projections.status import details, status


def address(
    alert: Alert, state: PartnershipState | None, rules: Rules, desk_contacts: list[dict] | None = None
) -> list[recipients.Addressed]:
    """Who gets the alert, one entry per language."""
    desk = rules.desk(alert.desk) if alert.desk else None
    if alert.rule == DIGEST:
        assert desk is not None  # a digest is always a desk's
        return recipients.for_digest(alert.key, desk, desk_contacts or [], alert.rule)
    assert state is not None  # a partnership's alert comes with its record
    return recipients.for_partnership(alert.key, state, alert.day, desk, alert.rule)


def partnership_context(
    alert: Alert,
    state: PartnershipState,
    rules: Rules,
    base_url: str = AlertRules.base_url,
    today: date | None = None,
) -> dict:
    """What the templates of a partnership alert may say, written on `today` (the alert's day unless given).

    A mail written after the days it speaks of (a missed day's, sent late) says them in the past.
    """
    info = details(state, alert.day, rules)
    current = status(state, alert.day, rules)
    assert current is not None  # the rules raise alerts only for partnerships registered by then
    return {
        "day": alert.day,
        "today": max(today or alert.day, alert.day),
        "links": Links(base_url),
        "facts": alert.facts,
        "partnership": {
            "stream": state.stream,
            "name": digest.name(info),
            "kind": info.get("kind"),
            "country": info.get("partner", {}).get("country"),
            # The sides' names as written, and the partner's own (서울특별시), for the partner's letters.
            "indonesia_name": info.get("indonesia", {}).get("name"),
            "partner_name": info.get("partner", {}).get("name"),
            "local_name": info.get("partner", {}).get("local_name"),
        },
        "status": {
            "stage": current.stage,
            "activeness": current.activeness,
            "last_activity_on": current.last_activity_on,
            # What the mails show: the date as written ("2021"), never the last day it stands for.
            "last_activity_written": last_activity_written(state, alert.day, rules),
        },
        "why": digest.why_of(current, rules),
        "desk": {"id": alert.desk, "name": desk_name(rules, alert.desk) or "Pantau"},
        "months": {"active": rules.active_months, "quiet": rules.quiet_months},
    }


def messages(
    alert: Alert,
    states_by_stream: dict[str, PartnershipState],
    all_states,
    rules: Rules,
    alert_rules: AlertRules,
    today: date | None = None,
) -> list[Message]:
    """The rendered messages of one alert, written on `today` (the alert's day unless given)."""
    if alert.rule == DIGEST:
        return digest_messages(alert, digest_context(alert, all_states, rules, alert_rules), rules, today)
    assert alert.stream is not None  # every other alert is a partnership's
    state = states_by_stream[alert.stream]
    context = partnership_context(alert, state, rules, alert_rules.base_url, today)
    return _rendered(alert, context, address(alert, state, rules))


def digest_context(alert: Alert, states, rules: Rules, alert_rules: AlertRules) -> dict:
    """What a digest's templates say, from its desk's partnerships (`states` may hold others)."""
    assert alert.desk is not None  # a digest is always a desk's
    return digest.build(states, alert.desk, alert.facts["month"], rules, alert_rules)


def digest_messages(alert: Alert, context: dict, rules: Rules, today: date | None = None) -> list[Message]:
    """A digest's messages from its context alone, written on `today`: the states it was built from may be let go first."""
    day = max(today or alert.day, alert.day)
    written = {**context, "today": day, "written_late": day > alert.day}
    return _rendered(alert, written, address(alert, None, rules, context["desk_contacts"]))


def _rendered(alert: Alert, context: dict, addressed: list[recipients.Addressed]) -> list[Message]:
    out = []
    for item in addressed:
        body = render(alert.rule, item.language, {**context, "key": item.key, "addressee": item.contact})
        out.append(
            Message(
                key=item.key,
                alert_key=alert.key,
                rule=alert.rule,
                stream=alert.stream,
                desk=alert.desk,
                day=alert.day,
                language=item.language,
                to=item.to,
                cc=item.cc,
                subject=body.subject,
                text=body.text,
                html=body.html,
                message_id=keys.message_id(item.key),
            )
        )
    return out
