"""Mails and the digest show an agreement's dates as they were written, never a day nobody wrote."""

from __future__ import annotations

from datetime import date

from notifications.alert_rules import RENEWAL, AlertRules
from notifications.compose import messages
from notifications.digest import build
from notifications.render import render
from notifications.rules import agreement_alerts
from projections.partnership import fold
from projections.rules import Desk, Rules
from tests.helpers import contact, registered, signed

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
