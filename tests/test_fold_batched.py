"""The batched fold gives exactly the states of applying each event in turn, for any interleaving."""

from __future__ import annotations

import random

from events.jsonl import parse_lines
from projections.partnership import apply, apply_all, fold
from tests import helpers as h
from tests.conftest import SAMPLE


def one_at_a_time(states: dict, events) -> dict:
    for event in events:
        states[event.stream] = apply(states.get(event.stream), event)
    return states


def stored(events):
    """The events with positions and versions, as the store hands them out."""
    import msgspec
    versions: dict[str, int] = {}
    out = []
    for position, event in enumerate(events, 1):
        versions[event.stream] = versions.get(event.stream, 0) + 1
        out.append(msgspec.structs.replace(event, position=position, version=versions[event.stream]))
    return out


def test_the_sample_matrix_folds_to_the_same_states_either_way():
    with SAMPLE.open("rb") as source:
        events, _, errors = parse_lines(source, h.FAR_FUTURE)
    assert not errors
    events = stored(events)
    assert apply_all({}, events) == one_at_a_time({}, events)


def test_notes_interleaved_with_every_other_kind_of_event_fold_the_same():
    rng = random.Random(9)
    kinds = [lambda i: h.event(h.registered().stream, "NoteAdded", "2021-01-01", {"text": f"n{i}"}),
             lambda i: h.activity("2021-01-02", activity_id=f"a{i}"),
             lambda i: h.contact("2021-01-03", f"c{i}"),
             lambda i: h.event("kota-bandung-seoul", "StatusAssessed", "2021-01-04", {"status": "aktif"}),
             lambda i: h.signed("2021-01-05", f"mou{i}")]
    base = [h.registered(), h.registered("kota-bogor-suwon"), h.activity("2021-01-01", activity_id="first")]
    tail = []
    for i in range(400):
        tail.append(rng.choice(kinds)(i))
        if rng.random() < 0.05:
            tail.append(h.retracted("first", "2021-02-01"))
        if rng.random() < 0.05:
            tail.append(h.event("kota-bogor-suwon", "NoteAdded", "2021-01-01", {"text": f"b{i}"}))
    events = stored(base + tail)
    assert apply_all({}, events) == one_at_a_time({}, events)
    assert fold([e for e in events if e.stream == "kota-bandung-seoul"]) == \
        one_at_a_time({}, events)["kota-bandung-seoul"]
    # what a reader does: some states already past part of the tail
    half = one_at_a_time({}, events[:200])
    assert apply_all(dict(half), events, skip_applied=True) == one_at_a_time({}, events)
