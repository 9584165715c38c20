"""The stream invariants follow from what each payload class declares, not from per-type code."""

from __future__ import annotations

import pytest

from events.catalogue import TYPES
from events.invariants import SHAPING, StreamFacts
from tests.helpers import activity, contact, corrected, event, registered, signed


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
