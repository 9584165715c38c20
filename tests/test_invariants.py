"""The stream invariants follow from what each payload class declares, not from per-type code."""

from __future__ import annotations

import pytest

from events.catalogue import TYPES
from events.errors import InvalidEvent
from events.invariants import SHAPING, StreamFacts
from tests.helpers import activity, contact, corrected, event, registered, retracted, signed
from tests.lifecycle_events import planned


def _facts(*events) -> StreamFacts:
    facts = StreamFacts()
    for e in events:
        assert facts.check(e) == [], e.type
        facts.advance(e)
    return facts


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_declared_id_names_a_field_of_its_payload(name):
    for use in TYPES[name].ids:
        assert use.envelope or use.field in TYPES[name].__struct_fields__
        assert use.use in ("creates", "assigns", "refers", "removes")


def test_shaping_types_are_exactly_those_that_declare_ids_or_open_a_stream():
    assert "PartnershipRegistered" in SHAPING and "ActivityLogged" in SHAPING
    assert "NoteAdded" in SHAPING and "NoteReviewed" in SHAPING and "StatusAssessed" not in SHAPING


def test_a_removed_contact_can_be_assigned_again_but_not_removed_twice():
    removed = event("kota-bandung-seoul", "ContactRemoved", "2020-02-01", {"contact_id": "putri"})
    facts = _facts(registered(), contact("2020-01-01"), removed)
    assert "closed or removed" in facts.check(removed)[0].reason
    assert facts.check(contact("2020-03-01")) == []


def test_a_correction_of_an_activity_never_logged_is_refused_naming_the_field():
    facts = _facts(registered(), activity("2019-05-01", activity_id="a1"))
    assert facts.check(corrected("a1", "2019-06-01")) == []
    problem = facts.check(corrected("a2", "2019-06-01"))[0]
    assert problem.field == "data.activity_id" and "not in this partnership's record" in problem.reason


def test_facts_rebuilt_from_stored_data_equal_facts_advanced_event_by_event():
    history = [
        registered(),
        signed("2016-10-07", agreement_id="mou-2016"),
        contact("2020-01-01"),
        activity("2019-05-01", activity_id="a1"),
    ]
    advanced = _facts(*history)
    rebuilt = StreamFacts(version=len(history))
    for e in history:
        if e.type in SHAPING:
            rebuilt.take(e.type, e.data)
    assert (rebuilt.registered, rebuilt.known, rebuilt.held) == (advanced.registered, advanced.known, advanced.held)
    assert rebuilt.check(signed("2017-01-01", agreement_id="mou-2016"))[0].field == "data.agreement_id"


def _stepped(*events) -> StreamFacts:
    facts = StreamFacts()
    for e in events:
        assert facts.admit(e) == [], e.type
    return facts


def test_a_run_taken_whole_leaves_the_facts_that_event_by_event_would():
    history = [registered(), planned("2022-12-01", "youth", 2023), contact("2020-01-01")]
    run = [activity(f"2023-0{m}-01", activity_id=f"a{m}") for m in range(1, 8)]
    whole = _stepped(*history)
    assert whole.admit_run(run)
    assert whole == _stepped(*history, *run) == _facts(*history, *run)
    # Judged the same afterwards: an id of the run is taken, a plan item still free to realise.
    assert whole.admit(activity("2023-09-01", activity_id="a3"))[0].field == "data.activity_id"
    assert whole.admit(activity("2023-08-14", "exchange", "a9", plan_id="youth")) == []


@pytest.mark.parametrize(
    "run",
    [
        [activity("2023-01-01", activity_id="a1"), activity("2023-02-01", activity_id="a1")],  # twice in the run
        [activity("2023-01-01", activity_id="a2"), activity("2023-02-01", activity_id="old")],  # taken before
        [activity("2023-01-01", activity_id="a3", plan_id="youth")],  # realises a plan item: the ledger's call
        [activity("2023-01-01", activity_id="a4", plan_id="none-such")],  # names an item not in the record
        [corrected("old", "2023-01-01"), corrected("old", "2023-02-01")],  # not a type judged whole
    ],
)
def test_a_run_that_may_not_fit_is_left_to_the_event_by_event_path_with_nothing_taken(run):
    history = [registered(), planned("2022-12-01", "youth", 2023), activity("2019-05-01", activity_id="old")]
    facts = _stepped(*history)
    assert not facts.admit_run(run)
    assert facts == _stepped(*history)


def test_an_unregistered_stream_is_never_taken_whole():
    facts = StreamFacts()
    assert not facts.admit_run([activity("2023-01-01", activity_id="a1")])
    assert facts == StreamFacts()


def test_a_bulk_append_names_the_event_that_breaks_a_long_run_and_stores_nothing(store):
    run = [activity(f"20{10 + n % 15}-01-01", activity_id=f"a{n}") for n in range(60)]
    run[41] = activity("2020-06-01", activity_id="a7", kind="training")  # a7 is the run's 8th already
    with pytest.raises(InvalidEvent) as refused:
        store.append([registered(), *run])
    assert [(e.index, e.field) for e in refused.value.errors] == [(42, "data.activity_id")]
    assert store.head() == 0


def test_what_follows_a_run_taken_whole_is_judged_as_after_one_taken_event_by_event():
    history = [registered(on="2010-01-01"), planned("2022-12-01", "youth", 2023), planned("2022-12-01", "arts", 2024)]
    run = [activity(f"2023-0{m}-01", activity_id=f"a{m}") for m in range(1, 6)]
    after = [
        corrected("a3", "2023-07-02", plan_id="arts"),  # refused: a3 is dated 2023, the item is for 2024
        corrected("a2", "2023-07-01", plan_id="youth"),  # realises the item
        activity("2023-08-14", "exchange", "a9", plan_id="youth"),  # refused: realised by a2 already
        retracted("a4", "2023-07-03"),
        corrected("a4", "2023-07-04", plan_id="arts"),  # a retracted activity realises nothing
    ]
    whole, stepped = _stepped(*history), _stepped(*history, *run)
    assert whole.admit_run(run)
    verdicts = [[(p.field, p.reason) for p in whole.admit(e)] for e in after]
    assert verdicts == [[(p.field, p.reason) for p in stepped.admit(e)] for e in after]
    assert [[field for field, _ in v] for v in verdicts] == [["data.plan_id"], [], ["data.plan_id"], [], []]
    assert whole == stepped
