"""Mails and the digest show an agreement's dates as they were written, never a day nobody wrote."""

from __future__ import annotations

from datetime import date

from notifications.alert_rules import DORMANT, RENEWAL, AlertRules
from notifications.compose import messages, partnership_context
from notifications.digest import build
from notifications.render import render
from notifications.rules import activeness_alert, agreement_alerts
from projections.partnership import fold
from projections.rules import Desk, Rules
from projections.status import status
from tests.helpers import activity, contact, registered, signed

RULES = Rules(desks=(Desk("kbri-seoul", "KBRI Seoul", "desk@kbri-seoul.example", ("KR",)),))
# An MoU written as signed in 2021 and valid until the end of 2026: its days are Jan 1 and Dec 31.
YEAR_ONLY = [registered(), signed("2021", "mou-2021", valid_until="2026"), contact("2021", email="putri@example.go.id")]


def test_a_renewal_mail_for_an_mou_ending_in_2026_says_2026_not_31_december():
    state = fold(YEAR_ONLY)
    day = date(2026, 10, 2)  # 90 days before 2026-12-31
    alerts = [a for a in agreement_alerts(state, day, "kbri-seoul", RULES, AlertRules()) if a.rule == RENEWAL]
    assert [a.facts["threshold"] for a in alerts] == [90]
    mails = messages(alerts[0], {state.stream: state}, [state], RULES, AlertRules())
    indonesian = next(m for m in mails if m.language == "id")
    assert indonesian.subject.endswith("berakhir 2026 (90 hari lagi)")
    assert "ditandatangani 2021, berlaku sampai dengan 2026" in indonesian.text
    shown = indonesian.subject + indonesian.text + indonesian.html
    assert "31 Desember 2026" not in shown and "1 Januari 2021" not in shown


def test_the_digest_lists_the_mou_ending_within_its_horizon_as_written():
    context = build([fold(YEAR_ONLY)], "kbri-seoul", date(2026, 10, 1), RULES, AlertRules())
    assert [e["until_written"] for e in context["ending"]] == ["2026"]
    mail = render("digest", "id", {**context, "key": "digest:kbri-seoul:2026-10"})
    assert "MoU 2021 – 2026" in mail.text and "31 Desember 2026" not in mail.text


def _in_both_languages(alert, state) -> dict:
    """The alert's mail in Indonesian (as sent to its contact) and as English readers would get it."""
    [sent] = messages(alert, {state.stream: state}, [state], RULES, AlertRules())
    english = render(alert.rule, "en", {**partnership_context(alert, state, RULES), "key": alert.key})
    return {sent.language: sent, "en": english}


# A partnership whose last activity was written as a year, and one whose last was written as a month.
LAST_IN_2019 = [
    *YEAR_ONLY[:1],
    signed("2016-10-07", "mou-2016", valid_until="2021-10-06"),
    activity("2019", "training"),
]
LAST_IN_NOV_2021 = [registered(), signed("2013-08-17", "mou-2013"), activity("2021-11", "visit")]


def test_a_partnership_last_active_in_2019_reads_2019_in_its_renewal_mail():
    state = fold(LAST_IN_2019)
    day = date(2021, 7, 8)  # 90 days before the MoU ends
    [alert] = [a for a in agreement_alerts(state, day, "kbri-seoul", RULES, AlertRules()) if a.rule == RENEWAL]
    mails = _in_both_languages(alert, state)
    assert "kegiatan terakhir: 2019." in mails["id"].text and "Kegiatan terakhir</td>" in mails["id"].html
    assert "last activity: 2019." in mails["en"].text
    shown = "".join(m.text + m.html for m in mails.values())
    assert "31 Desember 2019" not in shown and "31 December 2019" not in shown


def test_a_partnership_last_active_in_november_2021_reads_november_2021_when_it_falls_dormant():
    state = fold(LAST_IN_NOV_2021)
    dormant = status(state, date(2021, 12, 1), RULES)
    day = dormant.explanation.next_change.on  # kurang_aktif from here on
    day = status(state, day, RULES).explanation.next_change.on  # and tidak_aktif from here
    alert = activeness_alert(state, day, "kbri-seoul", RULES, AlertRules())
    assert alert is not None and alert.rule == DORMANT
    mails = _in_both_languages(alert, state)
    assert "Kegiatan terakhir: November 2021." in mails["id"].text
    assert "Last activity: November 2021." in mails["en"].text
    assert "30 November 2021" not in mails["id"].html + mails["en"].html


def test_the_digest_lists_a_dormant_partnership_by_the_month_its_last_activity_was_written():
    context = build([fold(LAST_IN_NOV_2021)], "kbri-seoul", date(2026, 1, 1), RULES, AlertRules())
    assert [(e["last_activity_on"], e["last_activity_written"]) for e in context["dormant"]] == [
        (date(2021, 11, 30), "2021-11")
    ]
    mail = render("digest", "id", {**context, "key": "digest:kbri-seoul:2026-01"})
    assert "November 2021" in mail.text and "30 November 2021" not in mail.text + mail.html
