"""Every rule of docs/alerts.md, on folded records and a day (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from notifications.alert_rules import AlertRules
from notifications.rules import activeness_alert
from notifications.simulate import simulate
from projections.partnership import fold
from projections.rules import Desk, Rules
from service.config import alert_rules
from service.settings import SettingsError
from tests import helpers as h
from tests.helpers import d

S = "kota-bandung-seoul"
RULES = Rules()
ALERTS = AlertRules()


def record(*events, stream=S, on="2016-01-01", desk="kbri-seoul"):
    return fold([h.registered(stream, on, desk=desk), *events])


def alerts(states, start, end, rules=RULES, alert_rules_=ALERTS, only=None):
    planned = simulate(states, d(start), d(end), rules, alert_rules_)
    return [(p.day.isoformat(), p.key) for p in planned if only is None or p.rule in only]


MOU_2016 = h.signed("2016-10-07", "mou-2016", stream=S)  # in force through 2021-10-06


def test_reminders_go_out_at_180_90_and_30_days_and_the_lapse_the_day_after():
    assert alerts([record(MOU_2016)], "2021-01-01", "2021-12-31", only={"renewal", "lapsed"}) == [
        ("2021-04-09", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180"),
        ("2021-07-08", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"),
        ("2021-09-06", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:30"),
        ("2021-10-07", "lapsed:kota-bandung-seoul:mou-2016:2021-10-06"),
    ]


def test_an_agreement_first_recorded_at_50_days_left_gets_the_90_day_reminder_and_never_the_180():
    late = record(h.signed("2021-06-01", "ia-2021", "IA", stream=S, valid_until="2021-07-21"))
    assert alerts([late], "2021-05-01", "2021-08-31", only={"renewal", "lapsed"}) == [
        ("2021-06-01", "renewal:kota-bandung-seoul:ia-2021:2021-07-21:90"),
        ("2021-06-21", "renewal:kota-bandung-seoul:ia-2021:2021-07-21:30"),
        ("2021-07-22", "lapsed:kota-bandung-seoul:ia-2021:2021-07-21"),
    ]


def test_a_lapse_is_announced_up_to_30_days_late_and_older_ones_are_left_to_the_digest():
    assert alerts([record(MOU_2016)], "2021-11-05", "2021-12-31", only={"lapsed"}) == [
        ("2021-11-05", "lapsed:kota-bandung-seoul:mou-2016:2021-10-06")
    ]
    assert alerts([record(MOU_2016)], "2021-11-06", "2021-12-31", only={"lapsed"}) == []


def test_a_renewal_moves_valid_until_so_the_next_cycle_has_new_keys():
    renewed = record(MOU_2016, h.renewed("2021-09-01", "mou-2016", stream=S, valid_until="2026-10-06"))
    assert alerts([renewed], "2021-01-01", "2021-12-31", only={"renewal", "lapsed"}) == [
        ("2021-04-09", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180"),
        ("2021-07-08", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"),
    ]
    assert alerts([renewed], "2026-04-01", "2026-04-30", only={"renewal"}) == [
        ("2026-04-09", "renewal:kota-bandung-seoul:mou-2016:2026-10-06:180")
    ]


def test_a_terminated_agreement_gets_no_more_reminders():
    ended = record(MOU_2016, h.terminated("2021-08-01", "mou-2016", stream=S))
    assert [k for _, k in alerts([ended], "2021-01-01", "2021-12-31", only={"renewal", "lapsed"})] == [
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180",
        "renewal:kota-bandung-seoul:mou-2016:2021-10-06:90",
    ]


def test_an_ended_partnership_gets_no_alert_of_any_kind():
    quiet = record(MOU_2016, h.activity("2019-06-15", "visit", stream=S), h.ended("2021-06-01", stream=S))
    assert (
        alerts(
            [quiet], "2021-06-01", "2025-12-31", only={"renewal", "lapsed", "cooling", "dormant", "dormancy_warning"}
        )
        == []
    )
    assert alerts([quiet], "2021-01-01", "2021-05-31", only={"renewal"}) == [
        ("2021-04-09", "renewal:kota-bandung-seoul:mou-2016:2021-10-06:180")
    ]


VISIT = h.activity("2019-06-15", "visit", stream=S)  # indicator 3: aktif through 2021-06-14


def test_cooling_then_a_warning_60_days_ahead_then_dormant():
    s = record(VISIT, on="2019-01-01")
    assert alerts([s], "2021-01-01", "2023-12-31", only={"cooling", "dormant", "dormancy_warning"}) == [
        ("2021-06-15", "cooling:kota-bandung-seoul:2021-06-15"),
        ("2023-04-16", "dormancy_warning:kota-bandung-seoul:2023-06-15"),
        ("2023-06-15", "dormant:kota-bandung-seoul:2023-06-15"),
    ]


def test_activity_recorded_after_a_warning_moves_dormancy_and_so_the_next_warning_key():
    s = record(VISIT, h.activity("2023-05-01", "meeting", stream=S), on="2019-01-01")
    assert alerts([s], "2023-01-01", "2027-12-31", only={"dormant", "dormancy_warning"}) == [
        ("2023-04-16", "dormancy_warning:kota-bandung-seoul:2023-06-15"),
        ("2027-03-02", "dormancy_warning:kota-bandung-seoul:2027-05-01"),
        ("2027-05-01", "dormant:kota-bandung-seoul:2027-05-01"),
    ]


def test_only_the_most_severe_activeness_alert_of_a_day_is_queued():
    # With A = 47 and Q = 48 months, the cooling day (2023-05-15) falls inside the warning's 60 days.
    close = Rules(active_months=47, quiet_months=48)
    s = record(VISIT, on="2019-01-01")
    found = activeness_alert(s, d("2023-05-15"), "kbri-seoul", close, ALERTS)
    assert (found.rule, found.key) == ("dormancy_warning", "dormancy_warning:kota-bandung-seoul:2023-06-15")
    assert alerts([s], "2023-01-01", "2023-12-31", close, only={"cooling", "dormant", "dormancy_warning"}) == [
        ("2023-04-16", "dormancy_warning:kota-bandung-seoul:2023-06-15"),
        ("2023-06-15", "dormant:kota-bandung-seoul:2023-06-15"),
    ]
    # Without the warning rule in reach, the cooling would have gone out that day.
    no_warning = AlertRules(dormancy_warning_days=0)
    assert ("2023-05-15", "cooling:kota-bandung-seoul:2023-05-15") in alerts(
        [s], "2023-01-01", "2023-12-31", close, no_warning, only={"cooling"}
    )


def test_dormant_outranks_cooling_when_both_happen_the_same_day():
    same = Rules(active_months=48, quiet_months=48)  # aktif straight to tidak_aktif
    s = record(VISIT, on="2019-01-01")
    assert alerts([s], "2023-06-01", "2023-06-30", same, only={"cooling", "dormant"}) == [
        ("2023-06-15", "dormant:kota-bandung-seoul:2023-06-15")
    ]


def test_a_partnership_registered_without_activity_is_not_announced_as_turning_dormant():
    s = record(on="2021-03-01")
    assert alerts([s], "2021-01-01", "2021-12-31", only={"cooling", "dormant", "dormancy_warning"}) == []


def test_a_digest_per_desk_on_the_first_for_desks_with_a_partnership_registered_by_then():
    seoul = record(on="2016-01-01")
    tokyo = fold([h.registered("dki-jakarta-tokyo", "2021-03-15", desk="kbri-tokyo", country="JP")])
    got = alerts([seoul, tokyo], "2021-02-01", "2021-05-31", only={"digest"})
    assert got == [
        ("2021-02-01", "digest:kbri-seoul:2021-01"),
        ("2021-03-01", "digest:kbri-seoul:2021-02"),
        ("2021-04-01", "digest:kbri-seoul:2021-03"),
        ("2021-04-01", "digest:kbri-tokyo:2021-03"),
        ("2021-05-01", "digest:kbri-seoul:2021-04"),
        ("2021-05-01", "digest:kbri-tokyo:2021-04"),
    ]


def test_recipients_are_the_contacts_with_an_email_on_that_day_indonesia_first_and_the_desk_in_copy():
    rules = Rules(desks=(Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",)),))
    s = record(
        MOU_2016,
        h.contact("2016-01-01", "kim", stream=S, side="partner", email="kim@seoul.example"),
        h.contact("2016-01-01", "putri", stream=S, email="putri@bandung.example"),
        h.contact("2016-01-01", "nophone", stream=S),
        h.contact("2021-08-01", "rizki", stream=S, email="rizki@bandung.example"),
    )
    planned = {p.key: p.recipients for p in simulate([s], d("2021-07-08"), d("2021-09-06"), rules, ALERTS)}
    assert planned["renewal:kota-bandung-seoul:mou-2016:2021-10-06:90"] == (
        "putri@bandung.example",
        "kim@seoul.example",
        "seoul@kemlu.example",
    )
    assert planned["renewal:kota-bandung-seoul:mou-2016:2021-10-06:30"] == (
        "putri@bandung.example",
        "rizki@bandung.example",
        "kim@seoul.example",
        "seoul@kemlu.example",
    )


def test_thresholds_and_windows_come_from_the_alerts_table_of_the_rules_document():
    rules = alert_rules(
        {
            "alerts": {
                "renewal_days": [60, 14],
                "lapsed_days": 7,
                "dormancy_warning_days": 30,
                "digest_day": 2,
                "horizon_months": 3,
                "retry_first_minutes": 2,
            }
        }
    )
    assert (
        rules.renewal_days,
        rules.lapsed_days,
        rules.dormancy_warning_days,
        rules.digest_day,
        rules.horizon_months,
    ) == ((60, 14), 7, 30, 2, 3)
    assert alert_rules({}) == AlertRules()
    got = alerts([record(MOU_2016)], "2021-01-01", "2021-12-31", alert_rules_=rules, only={"renewal", "lapsed"})
    assert [day for day, _ in got] == ["2021-08-07", "2021-09-22", "2021-10-07"]


@pytest.mark.parametrize(
    "table, message",
    [
        ({"renewal_days": "180"}, "renewal_days"),
        ({"digest_day": 31}, "digest_day"),
        ({"thresholds": []}, "unknown keys: thresholds"),
        ({"sender": "nobody"}, "sender"),
    ],
)
def test_a_bad_alerts_table_is_refused_naming_the_key(table, message):
    with pytest.raises(SettingsError, match=message):
        alert_rules({"alerts": table})


def test_backoff_starts_at_a_minute_doubles_and_stops_at_six_hours():
    assert [ALERTS.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 9, 10, 50)] == [1, 2, 4, 256, 360, 360]


def test_a_day_before_registration_has_no_alerts():
    assert alerts([record(MOU_2016, on="2021-06-01")], "2021-01-01", "2021-05-31") == []


def test_dates_are_days_not_datetimes():
    assert isinstance(simulate([record(MOU_2016)], d("2021-04-09"), d("2021-04-09"), RULES, ALERTS)[0].day, date)
