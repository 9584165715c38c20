"""The registry's pure parts: withholding in the fold, what a public row holds, the day it next changes, the parameters."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from events.jsonl import decode_lines
from projections.partnership import fold
from projections.registry_row import changes_on, public_row, public_timeline
from projections.rules import Rules
from projections.runner import replay
from service.registry_query import MAX_PAGE, BadParameter, parse
from tests.conftest import SAMPLE
from tests.helpers import activity, contact, event, registered, signed

RULES = Rules()
STREAM = "kota-bandung-seoul"


def _sample_states():
    with SAMPLE.open("rb") as source:
        return replay(e for _, e, _ in decode_lines(source, date(2021, 12, 27)) if e is not None)


def test_a_withheld_partnership_has_no_public_row_until_restored():
    state = fold([registered(), signed("2020-01-10", "mou-2020")])
    assert public_row(state, date(2021, 1, 1), RULES) is not None
    withheld = fold(
        [event(STREAM, "PublicationWithheld", "2021-02-01", {"reason": "nama mitra belum dikonfirmasi"})], state
    )
    assert withheld.withheld == "nama mitra belum dikonfirmasi"
    # At once, whatever the day: even a day before the withholding's own date shows nothing.
    assert public_row(withheld, date(2021, 1, 1), RULES) is None
    restored = fold([event(STREAM, "PublicationRestored", "2021-03-01")], withheld)
    assert restored.withheld is None and public_row(restored, date(2021, 1, 1), RULES) is not None


def test_a_public_row_carries_no_contact_note_or_assessment():
    state = fold(
        [
            registered(),
            signed("2020-01-10", "mou-2020"),
            contact("2020-01-10", email="putri@example.go.id", phone="+62 812 0000 1111"),
            event(STREAM, "NoteAdded", "2020-02-01", {"text": "Catatan internal: jangan dipublikasikan"}),
            activity("2020-03-05", "visit", "a1", title="Kunjungan wali kota"),
        ]
    )
    text = json.dumps([public_row(state, date(2021, 1, 1), RULES), public_timeline(state, date(2021, 1, 1))])
    for secret in ("putri@example.go.id", "+62 812 0000 1111", "Catatan internal", "putri"):
        assert secret not in text
    assert "Kunjungan wali kota" in text and "2020-01-10" in text


def test_mou_signed_2020_reads_formal_until_its_term_ends_then_lapsed():
    state = fold([registered(), signed("2020-01-10", "mou-2020")])
    row = public_row(state, date(2024, 6, 1), RULES)
    assert (row["stage"], row["decade"], row["first_signed_on"]) == ("formal", 2020, "2020-01-10")
    assert row["documents"] == [
        {"document": "MoU", "signed_on": "2020-01-10", "valid_until": "2025-01-09", "terminated": False}
    ]
    assert changes_on(state, date(2024, 6, 1), RULES) <= date(2025, 1, 10)
    assert public_row(state, date(2025, 1, 10), RULES)["stage"] == "lapsed"


def _days(start: date, end: date, step: int):
    day = start
    while day < end:
        yield day
        day += timedelta(days=step)


def test_a_row_never_changes_before_its_changes_on_day_for_any_sample_partnership():
    # Walk each sample partnership from its registration, recomputing only on changes_on as the
    # refresh does; the row on every day in between must equal the one worked out on that day.
    for state in _sample_states():
        day, end = state.registered_on, date(2032, 1, 1)
        while day < end:
            kept = public_row(state, day, RULES)
            upto = changes_on(state, day, RULES) or end
            checked = [*_days(day, min(upto, end), 23), min(upto, end) - timedelta(days=1)]
            for seen in checked:
                if seen >= day:
                    assert public_row(state, seen, RULES) == kept, (state.stream, day, seen)
            day = upto


def test_the_sample_rows_on_2021_12_27_agree_with_the_published_statuses():
    published = {row["stream"]: row for row in json.loads(SAMPLE_STATUS.read_text())}
    rows = {s.stream: public_row(s, date(2021, 12, 27), RULES) for s in _sample_states()}
    assert len(rows) == 32
    assert {k: (r["stage"], r["activeness"]) for k, r in rows.items()} == {
        k: (p["stage"], p["activeness"]) for k, p in published.items()
    }


SAMPLE_STATUS = SAMPLE.parent.parent.parent / "tests" / "data" / "matrix-2021-12-27.status-as-of-2021-12-27.json"


@pytest.mark.parametrize(
    "params, name",
    [
        ({"kind": "twin_town"}, "kind"),
        ({"stage": "aktif"}, "stage"),
        ({"activeness": "dormant"}, "activeness"),
        ({"sort": "random()"}, "sort"),
        ({"country": "Korea"}, "country"),
        ({"country": "K1"}, "country"),
        ({"decade": "2015"}, "decade"),
        ({"decade": "20x0"}, "decade"),
        ({"page": "0"}, "page"),
        ({"page": str(MAX_PAGE + 1)}, "page"),
        ({"page": "9" * 400}, "page"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "bandung\x00"}, "q"),
        ({"province": "Jawa\x1bBarat"}, "province"),
        ({"field": "\u202epariwisata"}, "field"),
    ],
)
def test_a_bad_parameter_is_refused_by_its_name(params, name):
    with pytest.raises(BadParameter) as refused:
        parse(params)
    assert refused.value.name == name


def test_good_parameters_are_read_and_free_values_kept_as_given():
    ask = parse({"country": "kr", "decade": "2010", "page": "3", "q": " seoul ", "sort": "activity", "utm": "x"})
    assert (ask.filters.country, ask.filters.decade, ask.page, ask.filters.q, ask.sort) == (
        "KR",
        2010,
        3,
        "seoul",
        "activity",
    )
    assert parse({"province": ""}).filters.province is None
