"""The "Derived status" contract of docs/events.md, one rule per test: pure folds, no database."""

from __future__ import annotations

import calendar

import pytest

from projections.calendar import add_months, days_in_month
from projections.partnership import fold
from projections.rules import Desk, Rules
from projections.status import details, status, statuses
from tests.helpers import (
    activity,
    assessed,
    corrected,
    d,
    ended,
    event,
    exploration,
    registered,
    renewed,
    retracted,
    signed,
    terminated,
)

RULES = Rules()


def on(day: str, *events, rules: Rules = RULES):
    """The derived status on `day` of a partnership registered 2010-01-01 with these events."""
    return status(fold([registered(), *events]), d(day), rules)


def agreement(day: str, *events, rules: Rules = RULES, index: int = 0):
    return on(day, *events, rules=rules).agreements[index]


# -- agreements: in force from valid_from through valid_until ---------------------------------

MOU_2016 = signed("2016-10-07", "mou-2016", "MoU", term_years=5)


def test_mou_signed_2016_10_07_is_in_force_on_2021_10_06_with_0_days_left():
    a = agreement("2021-10-06", MOU_2016)
    assert (a.valid_until, a.state, a.days_left) == (d("2021-10-06"), "in_force", 0)
    assert on("2021-10-06", MOU_2016).stage == "formal"


def test_mou_signed_2016_10_07_lapses_on_2021_10_07():
    a = agreement("2021-10-07", MOU_2016)
    assert (a.valid_until, a.state, a.days_left) == (d("2021-10-06"), "lapsed", -1)
    assert on("2021-10-07", MOU_2016).stage == "lapsed"


def test_agreement_is_in_force_from_its_signing_day():
    a = agreement("2016-10-07", MOU_2016)
    assert (a.signed_on, a.state, a.days_left) == (d("2016-10-07"), "in_force", 1825)


def test_agreement_is_pending_before_valid_from_and_in_force_from_it():
    plan = signed("2019-11-20", "ap", "ActionPlan", valid_from="2020-01-01", valid_until="2022-12-31")
    assert agreement("2019-12-31", plan).state == "pending"
    assert agreement("2020-01-01", plan).state == "in_force"


def test_agreement_signed_after_the_date_is_not_listed():
    assert on("2016-10-06", MOU_2016).agreements == []


def test_valid_until_is_the_last_day_in_force_inclusive():
    plan = signed("2019-11-20", "ap", "ActionPlan", valid_from="2020-01-01", valid_until="2022-12-31")
    last = agreement("2022-12-31", plan)
    after = agreement("2023-01-01", plan)
    assert (last.state, last.days_left) == ("in_force", 0)
    assert (after.state, after.days_left) == ("lapsed", -1)


def test_partial_valid_until_stands_for_the_last_day_of_its_period():
    plan = signed("2019-11-20", "ap", "ActionPlan", valid_from="2020", valid_until="2022")
    assert agreement("2020-01-01", plan).state == "in_force"
    assert agreement("2022-12-31", plan).valid_until == d("2022-12-31")
    month = signed("2019-11-20", "ap", "ActionPlan", valid_until="2022-02")
    assert agreement("2022-02-28", month).state == "in_force"
    assert agreement("2022-03-01", month).state == "lapsed"


def test_term_years_is_counted_from_valid_from_not_the_signing_date():
    plan = signed("2019-06-01", "ap", "ActionPlan", valid_from="2020-01-01", term_years=2)
    assert agreement("2021-12-31", plan).valid_until == d("2021-12-31")
    assert agreement("2021-12-31", plan).state == "in_force"
    assert agreement("2022-01-01", plan).state == "lapsed"


def test_term_from_a_leap_day_ends_the_day_before_the_month_end_it_clamps_to():
    # "The same date" a year after 2016-02-29 does not exist; as for windows, it becomes 2017-02-28.
    plan = signed("2016-02-29", "ap", "ActionPlan", term_years=1)
    assert agreement("2017-02-27", plan).state == "in_force"
    assert agreement("2017-02-28", plan).state == "lapsed"


def test_valid_until_wins_over_term_years():
    mou = signed("2016-10-07", "mou", "MoU", term_years=5, valid_until="2018-12-31")
    assert agreement("2019-01-01", mou).valid_until == d("2018-12-31")


def test_open_ended_has_no_end_whatever_the_document_default():
    mou = signed("2016-10-07", "mou", "MoU", open_ended=True)
    a = agreement("2099-12-31", mou)
    assert (a.valid_until, a.state, a.days_left) == (None, "in_force", None)
    assert on("2099-12-31", mou).stage == "formal"


@pytest.mark.parametrize(
    "document, valid_until",
    [
        ("MoU", "2021-10-06"),
        ("MoA", "2019-10-06"),
        ("IA", "2019-10-06"),
        ("ActionPlan", "2019-10-06"),
        ("LoI", None),
        ("JointCommunique", None),
        ("Other", None),
    ],
)
def test_default_term_of_each_document_type(document, valid_until):
    a = agreement("2050-01-01", signed("2016-10-07", "doc", document))
    expected = d(valid_until) if valid_until else None
    assert a.valid_until == expected
    assert a.state == ("lapsed" if valid_until else "in_force")


def test_default_terms_are_configuration():
    rules = Rules(default_terms={"MoU": 2, "LoI": 1, "MoA": None})
    assert agreement("2020-01-01", signed("2016-10-07", "mou", "MoU"), rules=rules).valid_until == d("2018-10-06")
    assert agreement("2020-01-01", signed("2016-10-07", "loi", "LoI"), rules=rules).valid_until == d("2017-10-06")
    assert agreement("2020-01-01", signed("2016-10-07", "moa", "MoA"), rules=rules).valid_until is None


# -- renewals and terminations ------------------------------------------------------------------


def test_renewal_sets_a_new_valid_until_from_its_date_on():
    renewal = renewed("2021-09-01", "mou-2016", valid_until="2026-10-06")
    assert agreement("2021-08-31", MOU_2016, renewal).valid_until == d("2021-10-06")
    a = agreement("2021-10-07", MOU_2016, renewal)
    assert (a.valid_until, a.state, a.days_left) == (d("2026-10-06"), "in_force", 1825)


def test_of_several_renewals_the_latest_by_date_wins_whatever_the_order_recorded():
    later = renewed("2021-09-01", "mou-2016", valid_until="2030-12-31")
    earlier = renewed("2021-06-01", "mou-2016", valid_until="2023-12-31")
    assert agreement("2022-01-01", MOU_2016, later, earlier).valid_until == d("2030-12-31")
    assert agreement("2021-07-01", MOU_2016, later, earlier).valid_until == d("2023-12-31")


def test_renewal_term_years_counts_from_the_renewal_date():
    renewal = renewed("2021-11-15", "mou-2016", term_years=2)
    a = agreement("2021-12-27", MOU_2016, renewal)
    assert (a.valid_until, a.state) == (d("2023-11-14"), "in_force")


def test_renewal_open_ended_removes_the_end():
    renewal = renewed("2021-11-15", "mou-2016", open_ended=True)
    a = agreement("2090-01-01", MOU_2016, renewal)
    assert (a.valid_until, a.state, a.days_left) == (None, "in_force", None)


def test_renewal_without_validity_takes_the_default_term_from_the_renewal_date():
    renewal = renewed("2021-11-15", "mou-2016")
    assert agreement("2021-12-27", MOU_2016, renewal).valid_until == d("2026-11-14")
    rules = Rules(default_terms={"MoU": 1})
    assert agreement("2021-12-27", MOU_2016, renewal, rules=rules).valid_until == d("2022-11-14")


def test_lapsed_agreement_renewed_is_in_force_again_from_the_renewal_date():
    renewal = renewed("2021-11-15", "mou-2016", valid_until="2026-11-14")
    assert on("2021-11-14", MOU_2016, renewal).stage == "lapsed"
    assert on("2021-11-15", MOU_2016, renewal).stage == "formal"


def test_termination_ends_the_agreement_on_its_own_date():
    stop = terminated("2019-03-01", "mou-2016")
    assert agreement("2019-02-28", MOU_2016, stop).state == "in_force"
    assert on("2019-02-28", MOU_2016, stop).stage == "formal"
    assert agreement("2019-03-01", MOU_2016, stop).state == "terminated"
    assert on("2019-03-01", MOU_2016, stop).stage == "lapsed"


def test_agreements_are_listed_in_order_of_signing():
    plan = signed("2019-05-01", "ap-2019", "ActionPlan")
    mou = signed("2016-10-07", "mou-2016", "MoU")
    assert [a.agreement_id for a in on("2020-01-01", plan, mou).agreements] == ["mou-2016", "ap-2019"]


def test_signing_dated_by_year_is_counted_from_its_first_day():
    mou = signed("2012", "mou-2012", "MoU")
    assert on("2011-12-31", mou).agreements == []
    a = agreement("2012-01-01", mou)
    assert (a.signed_on, a.valid_until, a.state) == (d("2012-01-01"), d("2016-12-31"), "in_force")


# -- activities: periods and windows ------------------------------------------------------------


def test_activity_dated_2019_counts_within_24_months_on_2021_12_30():
    s = on("2021-12-30", activity("2019", "visit"))
    assert (s.activeness, s.activities_in_window, s.indicators_in_window) == ("aktif", 1, [3])


def test_activity_dated_2019_does_not_count_within_24_months_on_2021_12_31():
    s = on("2021-12-31", activity("2019", "visit"))
    assert (s.activeness, s.activities_in_window, s.indicators_in_window) == ("kurang_aktif", 0, [])


def test_activity_dated_by_year_has_begun_on_its_first_day_only():
    assert on("2018-12-31", activity("2019", "visit")).last_activity_on is None
    assert on("2019-01-01", activity("2019", "visit")).activeness == "aktif"


def test_activity_dated_2019_12_stands_for_the_whole_month():
    visit = activity("2019-12", "visit")
    assert on("2019-11-30", visit).activeness == "tidak_aktif"
    assert on("2019-12-01", visit).activeness == "aktif"
    assert on("2021-12-30", visit).activeness == "aktif"
    assert on("2021-12-31", visit).activeness == "kurang_aktif"


def test_activity_dated_to_the_day_leaves_the_window_n_months_later():
    visit = activity("2019-12-30", "visit")
    assert on("2021-12-29", visit).activeness == "aktif"
    assert on("2021-12-30", visit).activeness == "kurang_aktif"


def test_ends_on_extends_the_period_to_the_last_day_of_its_own_period():
    programme = activity("2018", "exchange", ends_on="2019")
    assert on("2018-01-01", programme).activeness == "aktif"
    assert on("2021-12-30", programme).activeness == "aktif"
    assert on("2021-12-31", programme).activeness == "kurang_aktif"
    assert on("2018-06-30", programme).last_activity_on == d("2018-06-30")


def test_window_months_are_calendar_months_clamped_to_the_last_day():
    assert add_months(d("2024-02-29"), -24) == d("2022-02-28")
    assert add_months(d("2024-03-31"), -1) == d("2024-02-29")
    # 2024-02-29 minus 24 months is 2022-02-28: an activity must end after it.
    assert on("2024-02-29", activity("2022-02-28", "visit")).activeness == "kurang_aktif"
    assert on("2024-02-29", activity("2022-03-01", "visit")).activeness == "aktif"
    one_month = Rules(active_months=1)
    assert on("2024-03-31", activity("2024-02-29", "visit"), rules=one_month).activeness == "kurang_aktif"
    assert on("2024-03-31", activity("2024-03-01", "visit"), rules=one_month).activeness == "aktif"


def test_month_lengths_agree_with_the_standard_calendar_across_leap_rules():
    # Century years are leap only every 400 years: 1900 and 2100 have no 29 February, 2000 has.
    for year in (1900, 2000, 2023, 2024, 2100):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
    assert add_months(d("2000-01-31"), 1) == d("2000-02-29")
    assert add_months(d("1900-01-31"), 1) == d("1900-02-28")
    assert add_months(d("2100-03-30"), -1) == d("2100-02-28")
    assert add_months(d("2023-10-31"), -1) == d("2023-09-30")
    assert add_months(d("2023-01-28"), 1) == d("2023-02-28")


# -- corrections and retractions apply whatever their own date ----------------------------------


def test_correction_moves_an_activity_date_for_every_as_of_answer():
    visit = activity("2019-06-01", "visit", "v1")
    fix = corrected("v1", "2021-12-27", occurred_on="2020-03-15")
    history = (visit, fix)
    # Before the corrected date the activity has not happened, even before the fix was made.
    assert on("2019-06-01", *history).last_activity_on is None
    assert on("2020-03-14", *history).activeness == "tidak_aktif"
    assert on("2020-03-15", *history).last_activity_on == d("2020-03-15")
    # Before the correction's own date, the answer already uses the corrected date.
    s = on("2021-06-10", *history)
    assert (s.last_activity_on, s.activeness) == (d("2020-03-15"), "aktif")
    assert on("2022-03-14", *history).activeness == "aktif"
    assert on("2022-03-15", *history).activeness == "kurang_aktif"


def test_correction_to_an_earlier_date_counts_before_the_logged_date():
    visit = activity("2021-05-01", "visit", "v1")
    fix = corrected("v1", "2021-05-02", occurred_on="2020-01-10")
    s = on("2020-06-01", visit, fix)
    assert (s.last_activity_on, s.activeness, s.activities_in_window) == (d("2020-01-10"), "aktif", 1)


def test_correction_of_kind_applies_to_earlier_answers():
    call = activity("2020-05-01", "other", "a1")
    fix = corrected("a1", "2021-12-27", kind="training")
    assert on("2020-06-01", call).activeness == "kurang_aktif"
    s = on("2020-06-01", call, fix)
    assert (s.activeness, s.indicators_in_window) == ("aktif", [4])


def test_correction_of_ends_on_extends_the_period():
    visit = activity("2019-03", "visit", "v1")
    fix = corrected("v1", "2021-12-27", ends_on="2019-12")
    assert on("2021-12-30", visit).activeness == "kurang_aktif"
    assert on("2021-12-30", visit, fix).activeness == "aktif"


def test_later_correction_wins():
    visit = activity("2019-06-01", "visit", "v1")
    first = corrected("v1", "2021-01-01", occurred_on="2020-03-15")
    second = corrected("v1", "2021-02-01", occurred_on="2020-04-20")
    assert on("2021-06-10", visit, first, second).last_activity_on == d("2020-04-20")


def test_retraction_removes_an_activity():
    visit = activity("2020-06-01", "visit", "v1")
    gone = retracted("v1", "2021-12-27")
    for day in ("2020-06-01", "2021-01-01", "2021-12-27", "2022-01-01"):
        s = on(day, visit, gone)
        assert (s.activeness, s.last_activity_on, s.activities_in_window) == ("tidak_aktif", None, 0), day
    assert on("2021-01-01", visit).activeness == "aktif"


# -- stage: the first that holds ----------------------------------------------------------------


def test_stage_ended_comes_first_even_with_an_agreement_in_force():
    stop = ended("2018-01-01")
    assert on("2017-12-31", MOU_2016, stop).stage == "formal"
    assert on("2018-01-01", MOU_2016, stop).stage == "ended"


@pytest.mark.parametrize("document", ["MoU", "MoA", "IA", "ActionPlan", "JointCommunique"])
def test_stage_formal_when_a_formal_document_is_in_force(document):
    assert on("2017-01-01", signed("2016-10-07", "doc", document)).stage == "formal"


@pytest.mark.parametrize("document", ["LoI", "Other"])
def test_stage_is_not_formal_for_loi_or_other_in_force(document):
    assert on("2017-01-01", signed("2016-10-07", "doc", document)).stage == "intent"


def test_stage_formal_comes_before_exploring():
    assert on("2018-01-01", MOU_2016, exploration("2017-05-01")).stage == "formal"


def test_stage_exploring_when_no_agreement_was_ever_signed():
    assert on("2015-01-01").stage == "exploring"
    assert on("2016-10-06", MOU_2016).stage == "exploring"  # signed only later


def test_stage_exploring_when_exploration_is_later_than_the_latest_signing():
    explore = exploration("2022-03-01")
    assert on("2022-02-28", MOU_2016, explore).stage == "lapsed"
    s = on("2022-03-01", MOU_2016, explore)
    assert (s.stage, s.matrix_status) == ("exploring", "penjajakan")


def test_stage_exploring_later_than_an_loi():
    loi = signed("2018-05-06", "loi", "LoI")
    assert on("2020-01-01", loi, exploration("2019-01-01")).stage == "exploring"


def test_exploration_on_the_signing_day_is_not_later():
    assert on("2022-01-01", MOU_2016, exploration("2016-10-07")).stage == "lapsed"


def test_exploration_before_the_latest_renewal_is_not_later():
    explore = exploration("2021-11-01")
    renewal = renewed("2021-12-01", "mou-2016", valid_until="2022-01-31")
    assert on("2021-11-15", MOU_2016, explore, renewal).stage == "exploring"
    assert on("2022-02-01", MOU_2016, explore, renewal).stage == "lapsed"


def test_stage_lapsed_when_a_time_limited_agreement_is_no_longer_in_force():
    assert on("2022-01-01", MOU_2016).stage == "lapsed"


def test_stage_lapsed_comes_before_intent():
    loi = signed("2012-03-01", "loi", "LoI")
    assert on("2022-01-01", loi, MOU_2016).stage == "lapsed"


def test_stage_lapsed_when_the_only_time_limited_agreement_is_pending():
    # Literal reading: a time-limited agreement was signed and none is in force.
    plan = signed("2019-11-20", "ap", "ActionPlan", valid_from="2020-01-01")
    assert on("2019-12-01", plan).stage == "lapsed"
    assert on("2020-01-01", plan).stage == "formal"


def test_stage_intent_when_only_an_loi_was_signed():
    loi = signed("2018-05-06", "loi", "LoI")
    s = on("2021-12-27", loi)
    assert (s.stage, s.matrix_status) == ("intent", "kurang_aktif")


# -- activeness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, indicator",
    [
        ("working_group", 2),
        ("visit", 3),
        ("exchange", 3),
        ("training", 4),
        ("scholarship", 4),
        ("grant", 4),
        ("technical_assistance", 4),
        ("festival", 5),
        ("forum", 5),
    ],
)
def test_aktif_with_an_activity_of_indicators_2_to_5_within_the_window(kind, indicator):
    s = on("2021-12-27", activity("2020-01-15", kind))
    assert (s.activeness, s.indicators_in_window, s.activities_in_window) == ("aktif", [indicator], 1)


@pytest.mark.parametrize(
    "kind, indicators",
    [
        ("correspondence", [1]),
        ("video_call", [1]),
        ("meeting", [1]),
        ("other", []),
    ],
)
def test_kurang_aktif_with_only_contact_or_other_within_the_window(kind, indicators):
    s = on("2021-12-27", activity("2021-06-01", kind))
    assert (s.activeness, s.indicators_in_window, s.activities_in_window) == ("kurang_aktif", indicators, 1)


def test_kurang_aktif_when_substantive_activity_is_older_than_a_but_within_q():
    s = on("2021-12-27", activity("2018-06-01", "visit"))
    assert (s.activeness, s.activities_in_window, s.last_activity_on) == ("kurang_aktif", 0, d("2018-06-01"))


def test_other_counts_toward_kurang_aktif_within_q():
    assert on("2021-12-27", activity("2018-06-01", "other")).activeness == "kurang_aktif"


def test_tidak_aktif_when_nothing_within_q():
    visit = activity("2017-12-27", "visit")
    assert on("2021-12-26", visit).activeness == "kurang_aktif"
    assert on("2021-12-27", visit).activeness == "tidak_aktif"
    assert on("2021-12-27").activeness == "tidak_aktif"


@pytest.mark.parametrize(
    "document, indicator, activeness",
    [
        ("MoA", 2, "aktif"),
        ("IA", 2, "aktif"),
        ("ActionPlan", 2, "aktif"),
        ("MoU", 1, "kurang_aktif"),
        ("LoI", 1, "kurang_aktif"),
        ("JointCommunique", 1, "kurang_aktif"),
        ("Other", 1, "kurang_aktif"),
    ],
)
def test_signing_counts_as_activity_on_its_date(document, indicator, activeness):
    doc = signed("2021-03-01", "doc", document)
    assert on("2021-02-28", doc).activeness == "tidak_aktif"
    s = on("2021-03-01", doc)
    assert (s.activeness, s.indicators_in_window, s.activities_in_window) == (activeness, [indicator], 1)
    assert s.last_activity_on == d("2021-03-01")


def test_renewal_counts_as_activity_on_its_date():
    plan = signed("2018-03-01", "ap", "ActionPlan")
    renewal = renewed("2021-03-01", "ap", term_years=3)
    s = on("2021-03-01", plan, renewal)
    assert (s.activeness, s.activities_in_window, s.last_activity_on) == ("aktif", 1, d("2021-03-01"))
    assert on("2021-02-28", plan, renewal).activeness == "kurang_aktif"


def test_termination_exploration_and_end_are_not_activity():
    s = on("2021-12-27", exploration("2021-01-01"), ended("2021-06-01"))
    assert (s.activeness, s.last_activity_on, s.activities_in_window) == ("tidak_aktif", None, 0)


def test_notification_sent_does_not_count_as_activity():
    sent = event(
        "kota-bandung-seoul",
        "NotificationSent",
        "2021-06-01",
        {"key": "renewal:kota-bandung-seoul:mou:2021-10-06:90", "rule": "renewal", "to": ["a@b.go.id"]},
    )
    s = on("2021-12-27", sent)
    assert (s.activeness, s.last_activity_on, s.activities_in_window) == ("tidak_aktif", None, 0)


def test_windows_are_configuration():
    rules = Rules(active_months=6, quiet_months=12)
    visit = activity("2021-01-15", "visit")
    assert on("2021-07-14", visit, rules=rules).activeness == "aktif"
    assert on("2021-07-15", visit, rules=rules).activeness == "kurang_aktif"
    assert on("2022-01-14", visit, rules=rules).activeness == "kurang_aktif"
    assert on("2022-01-15", visit, rules=rules).activeness == "tidak_aktif"
    assert on("2021-07-15", visit, rules=rules).activities_in_window == 0


def test_activities_and_indicators_in_window():
    history = (
        activity("2021-01-01", "forum"),
        activity("2021-02-01", "visit"),
        activity("2021-03-01", "video_call"),
        activity("2021-04-01", "other"),
        activity("2019-01-01", "training"),
        signed("2020-06-01", "moa", "MoA"),
    )
    s = on("2021-12-27", *history)
    assert s.activities_in_window == 5
    assert s.indicators_in_window == [1, 2, 3, 5]


def test_activity_not_begun_by_the_date_does_not_count():
    s = on("2021-12-27", activity("2021-12-28", "visit"))
    assert (s.activeness, s.last_activity_on, s.activities_in_window) == ("tidak_aktif", None, 0)


# -- matrix status, assessed status, last activity ----------------------------------------------


def test_matrix_status_is_penjajakan_when_exploring_else_activeness():
    visit = activity("2021-01-01", "visit")
    exploring = on("2021-12-27", visit)
    assert (exploring.stage, exploring.activeness, exploring.matrix_status) == ("exploring", "aktif", "penjajakan")
    formal = on("2021-12-27", visit, signed("2019-01-01", "mou", "MoU"))
    assert (formal.stage, formal.matrix_status) == ("formal", "aktif")


def test_assessed_status_is_the_latest_dated_on_or_before_the_date():
    history = (
        assessed("2020-12-01", "aktif"),
        assessed("2019-12-01", "tidak_aktif"),
        assessed("2022-06-01", "kurang_aktif"),
    )
    assert on("2019-11-30", *history).assessed_status is None
    assert on("2019-12-01", *history).assessed_status == "tidak_aktif"
    assert on("2021-12-27", *history).assessed_status == "aktif"
    assert on("2022-06-01", *history).assessed_status == "kurang_aktif"


def test_assessed_status_on_the_same_date_the_later_recorded_wins():
    history = (assessed("2021-12-27", "aktif"), assessed("2021-12-27", "penjajakan"))
    assert on("2021-12-27", *history).assessed_status == "penjajakan"


def test_assessed_status_never_overrides_the_computed_status():
    s = on("2021-12-27", assessed("2021-12-27", "aktif"))
    assert (s.activeness, s.matrix_status, s.assessed_status) == ("tidak_aktif", "penjajakan", "aktif")


def test_last_activity_on_is_the_latest_last_day_capped_at_the_date():
    year = activity("2021", "visit")
    assert on("2021-06-15", year).last_activity_on == d("2021-06-15")
    assert on("2022-01-01", year).last_activity_on == d("2021-12-31")
    history = (activity("2018", "visit", ends_on="2019-06"), activity("2019-03-01", "meeting"))
    assert on("2021-12-27", *history).last_activity_on == d("2019-06-30")


# -- desk, kind, registration -------------------------------------------------------------------


def test_desk_is_derived_from_the_partner_country_when_absent():
    rules = Rules(
        desks=(
            Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.go.id", ("KR",)),
            Desk("kbri-tokyo", "KBRI Tokyo", None, ("JP",)),
        )
    )
    tokyo = fold([registered("kota-bandung-hamamatsu", desk=None, country="JP")])
    assert status(tokyo, d("2021-12-27"), rules).desk == "kbri-tokyo"
    assert status(tokyo, d("2021-12-27"), RULES).desk is None
    named = fold([registered("kota-bandung-hamamatsu", desk="kbri-seoul", country="JP")])
    assert status(named, d("2021-12-27"), rules).desk == "kbri-seoul"


def test_details_changed_apply_from_their_date():
    change = event("kota-bandung-seoul", "PartnershipDetailsChanged", "2020-01-01", {"desk": "kbri-tokyo"})
    assert on("2019-12-31", change).desk == "kbri-seoul"
    assert on("2020-01-01", change).desk == "kbri-tokyo"


def test_details_change_of_part_of_a_side_keeps_the_rest_and_moves_the_derived_desk():
    rules = Rules(desks=(Desk("kbri-seoul", countries=("KR",)), Desk("kbri-tokyo", countries=("JP",))))
    change = event("kota-bandung-seoul", "PartnershipDetailsChanged", "2020-01-01", {"partner": {"country": "JP"}})
    state = fold([registered(desk=None), change])
    assert status(state, d("2019-12-31"), rules).desk == "kbri-seoul"
    assert status(state, d("2020-01-01"), rules).desk == "kbri-tokyo"
    assert details(state, d("2020-01-01"), rules)["partner"] == {"name": "Seoul", "level": "si", "country": "JP"}
    renamed = fold(
        [
            registered(),
            event(
                "kota-bandung-seoul",
                "PartnershipDetailsChanged",
                "2020-01-01",
                {"indonesia": {"name": "Kota Bandung Raya"}},
            ),
        ]
    )
    assert details(renamed, d("2020-01-01"), RULES)["indonesia"] == {
        "name": "Kota Bandung Raya",
        "level": "city",
        "province": "Jawa Barat",
    }


def test_kind_comes_from_the_registration():
    state = fold([registered("jabar-gyeongsangbuk-do", kind="sister_province")])
    assert status(state, d("2021-12-27"), RULES).kind == "sister_province"


def test_not_yet_registered_gives_no_status():
    state = fold([registered(on="2017")])
    assert status(state, d("2016-12-31"), RULES) is None
    assert status(state, d("2017-01-01"), RULES).stream == "kota-bandung-seoul"


def test_status_of_an_unregistered_stream_fold_is_none():
    assert fold([activity("2020-01-01", "visit")]) is None


def test_renewal_dated_before_its_signing_counts_only_once_the_agreement_is_signed():
    # A year-precision renewal sorts at 1 January, before a signing later that year.
    loi = signed("2016-10-07", "loi", "LoI")
    renewal = renewed("2016", "loi", term_years=2)
    early = on("2016-06-01", loi, renewal)
    assert (early.agreements, early.stage, early.activeness, early.last_activity_on) == (
        [],
        "exploring",
        "tidak_aktif",
        None,
    )
    signed_day = on("2016-10-07", loi, renewal)
    assert (signed_day.stage, signed_day.activities_in_window) == ("intent", 2)


def test_signing_dated_by_year_counts_as_activity_for_the_whole_year():
    loi = signed("2012", "loi-2012", "LoI")
    mid = on("2012-06-30", loi)
    assert (mid.activeness, mid.last_activity_on, mid.indicators_in_window) == ("kurang_aktif", d("2012-06-30"), [1])
    assert on("2016-12-30", loi).activeness == "kurang_aktif"  # 48 months back is 2012-12-30
    assert on("2016-12-31", loi).activeness == "tidak_aktif"


def test_statuses_filter_by_the_derived_desk():
    rules = Rules(desks=(Desk("kbri-tokyo", countries=("JP",)),))
    states = [
        fold([registered("kota-bandung-hamamatsu", desk=None, country="JP")]),
        fold([registered("kota-bandung-seoul", desk="kbri-seoul")]),
    ]
    assert [s.stream for s in statuses(states, d("2021-12-27"), rules, "kbri-tokyo")] == ["kota-bandung-hamamatsu"]
    assert [s.stream for s in statuses(states, d("2021-12-27"), rules)] == [
        "kota-bandung-hamamatsu",
        "kota-bandung-seoul",
    ]
    assert statuses(states, d("2009-12-31"), rules) == []
