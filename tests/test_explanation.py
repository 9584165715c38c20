"""Why a status is what it is: the counted activities, and the day the activeness would change next."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from notifications.explain_words import _MARKED, KIND_KEYS
from notifications.translations import translations
from projections.explanation import explain
from projections.partnership import fold
from projections.rules import Rules
from projections.status import status
from tests.helpers import activity, d, registered, renewed, retracted, signed

RULES = Rules()


def _state(*events):
    return fold([registered(on="2000-01-01"), *events])


def test_a_training_and_a_visit_make_it_aktif_until_two_years_after_the_later_one():
    state = _state(
        activity("2019-12", "training", "t"),
        activity("2020-10", "visit", "v"),
        activity("2020-11-02", "correspondence", "c"),
    )
    why = explain(state, d("2021-12-27"), RULES)
    assert [(i.id, i.kind, i.indicator, i.makes_aktif) for i in why.counted] == [
        ("t", "training", 4, True),
        ("v", "visit", 3, True),
        ("c", "correspondence", 1, False),
    ]
    # The visit of October 2020 stands for the whole month: within the window until 2022-10-31.
    assert (why.next_change.on, why.next_change.to) == (d("2022-10-31"), "kurang_aktif")


def test_the_day_before_the_next_change_is_still_aktif_and_the_day_of_it_is_not():
    state = _state(activity("2020-03-15", "grant", "g"))
    assert explain(state, d("2022-03-14"), RULES).next_change.on == d("2022-03-15")
    assert status(state, d("2022-03-14"), RULES).activeness == "aktif"
    assert status(state, d("2022-03-15"), RULES).activeness == "kurang_aktif"
    # On the day of the change itself, the next one is the fall to dormant two years later.
    after = explain(state, d("2022-03-15"), RULES).next_change
    assert (after.on, after.to) == (d("2024-03-15"), "tidak_aktif")
    assert status(state, d("2024-03-14"), RULES).activeness == "kurang_aktif"
    assert status(state, d("2024-03-15"), RULES).activeness == "tidak_aktif"


def test_a_leap_day_activity_leaves_the_window_after_the_clamped_day():
    # 24 months before 2022-02-28 is 2020-02-28, before the leap day: still within; out on 1 March.
    state = _state(activity("2020-02-29", "festival", "f"))
    assert explain(state, d("2022-02-27"), RULES).next_change.on == d("2022-03-01")
    assert status(state, d("2022-02-28"), RULES).activeness == "aktif"
    assert status(state, d("2022-03-01"), RULES).activeness == "kurang_aktif"


def test_a_dormant_partnership_never_changes_by_itself_and_lists_nothing():
    why = explain(_state(activity("2010-05-01", "visit", "v")), d("2021-12-27"), RULES)
    assert why.counted == [] and why.next_change is None


def test_signings_and_renewals_are_counted_with_their_document_and_retracted_activities_are_not():
    state = _state(
        signed("2019-06-01", "moa", "MoA"),
        renewed("2021-06-01", "moa", valid_until="2024-05-31"),
        activity("2021-01-01", "visit", "v"),
        retracted("v", "2021-02-01"),
    )
    why = explain(state, d("2021-12-27"), RULES)
    assert [(i.id, i.kind, i.document, i.indicator) for i in why.counted] == [
        ("moa", "signing", "MoA", 2),
        ("moa", "renewal", "MoA", 2),
    ]
    assert why.next_change.on == d("2023-06-01")


def test_nothing_recorded_after_the_as_of_day_is_read():
    state = _state(activity("2015-01-01", "visit", "old"), activity("2021-06-01", "visit", "new"))
    why = explain(state, d("2018-01-01"), RULES)
    assert [i.id for i in why.counted] == ["old"]
    assert (why.next_change.on, why.next_change.to) == (d("2019-01-01"), "tidak_aktif")


def test_the_status_answer_carries_the_explanation():
    state = _state(activity("2020-10", "visit", "v"))
    answer = status(state, d("2021-12-27"), RULES)
    assert answer.explanation == explain(state, d("2021-12-27"), RULES)


KINDS = ["correspondence", "meeting", "visit", "training", "festival", "other"]


@st.composite
def histories(draw):
    events = []
    for index in range(draw(st.integers(0, 5))):
        day = date(2014, 1, 1) + timedelta(days=draw(st.integers(0, 8 * 365)))
        text = draw(st.sampled_from([day.isoformat(), day.isoformat()[:7], str(day.year)]))
        fields = {}
        if draw(st.booleans()) and draw(st.booleans()):
            fields["ends_on"] = str(day.year + draw(st.integers(0, 2)))
        events.append(activity(text, draw(st.sampled_from(KINDS)), f"a{index}", **fields))
    if draw(st.booleans()):
        events.append(
            signed(
                draw(st.sampled_from(["2015-03-31", "2018-08", "2020"])),
                "ag",
                draw(st.sampled_from(["MoU", "MoA", "LoI"])),
            )
        )
    return events


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(0, 9 * 365), st.sampled_from([(24, 48), (12, 36), (1, 2)]))
def test_next_change_is_the_first_day_found_by_folding_day_by_day(events, offset, windows):
    rules = Rules(active_months=windows[0], quiet_months=windows[1])
    day = date(2014, 6, 1) + timedelta(days=offset)
    # Only what had begun by the as-of day: "if nothing more were recorded".
    state = _state(*[e for e in events if e.occurred_on.first <= day])
    now = status(state, day, rules).activeness
    expected, probe = None, day
    # Past the last day any activity could still be within a window nothing changes any more.
    last_end = max([a.end for a in state.activities] + [a.end for a in state.agreements] + [day])
    horizon = last_end + timedelta(days=31 * windows[1] + 5)
    while probe < horizon:
        probe += timedelta(days=1)
        later = status(state, probe, rules).activeness
        if later != now:
            expected = (probe, later)
            break
    found = explain(state, day, rules).next_change
    assert (None if found is None else (found.on, found.to)) == expected


# -- in words: the page, the mails and the digest say the same ------------------------------------


def test_the_words_name_what_makes_it_aktif_and_when_it_would_change():
    from notifications.explain_words import explanation_words

    state = _state(
        activity("2019-12", "training", "t"),
        activity("2020-10", "visit", "v"),
        activity("2020-11-02", "correspondence", "c"),
    )
    why = explain(state, d("2021-12-27"), RULES)
    assert (
        explanation_words(why, "aktif", "id")
        == "Aktif karena pelatihan Des 2019 dan kunjungan Okt 2020; menjadi kurang aktif pada 31 Okt 2022 "
        "jika tidak ada kegiatan."
    )
    assert (
        explanation_words(why, "aktif", "en")
        == "Active because of training Dec 2019 and visit Oct 2020; becomes less active on 31 Oct 2022 "
        "if nothing more is recorded."
    )
    dormant = explain(_state(activity("2010-05-01", "visit", "v")), d("2021-12-27"), RULES)
    assert (
        explanation_words(dormant, "tidak_aktif", "id")
        == "Tidak aktif: tidak ada kegiatan tercatat dalam 48 bulan terakhir."
    )


def test_the_cooling_and_dormancy_warning_mails_say_why_in_each_language():
    from notifications.compose import partnership_context
    from notifications.render import render
    from notifications.rules import Alert

    state = _state(activity("2019-06-10", "meeting", "m"), activity("2018-01-10", "visit", "v"))
    for rule, day in (("cooling", "2020-01-10"), ("dormancy_warning", "2023-04-11")):
        context = partnership_context(
            Alert(rule, f"{rule}:x", d(day), state.stream, "kbri-seoul", {"dormant_on": d("2023-06-10"), "days": 60}),
            state,
            RULES,
        )
        indonesian, english = render(rule, "id", {**context, "key": "k"}), render(rule, "en", {**context, "key": "k"})
        assert "Kurang aktif: tidak ada kerja sama substantif dalam 24 bulan terakhir, hanya" in indonesian.text
        assert "pertemuan 10 Jun 2019" in indonesian.text and "pertemuan 10 Jun 2019" in indonesian.html
        assert "menjadi tidak aktif pada 10 Jun 2023 jika tidak ada kegiatan." in indonesian.text
        assert "becomes dormant on 10 Jun 2023 if nothing more is recorded." in english.text


def test_the_digest_says_why_beside_each_computed_status():
    from notifications.alert_rules import AlertRules
    from notifications.digest import build
    from notifications.render import render

    state = _state(activity("2019-12", "training", "t"))
    context = build([state], "kbri-seoul", d("2021-06-01"), RULES, AlertRules())
    body = render("digest", "id", {**context, "key": "k"})
    sentence = "Aktif karena pelatihan Des 2019; menjadi kurang aktif pada 31 Des 2021 jika tidak ada kegiatan."
    assert sentence in body.text and sentence in body.html


def test_every_counted_kind_has_words_marked_for_the_catalogues_in_each_language():
    assert set(KIND_KEYS.values()) == set(_MARKED)
    for language in ("id", "en"):
        gettext = translations(language).gettext
        assert all(gettext(key) != key for key in _MARKED), language
