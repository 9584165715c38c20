"""Properties over random valid histories: one fold, every way of running it; the as-of rule; export/import."""

from __future__ import annotations

import io
import tempfile
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import get_args

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import mapper
from events.catalogue import ActivityKind, Document
from events.database import create_engine
from events.dates import PartialDate
from events.jsonl import ImportRefused, export_events, import_events
from events.model import Event
from events.store import EventStore
from projections.calendar import add_months
from projections.partnership import apply, fold
from projections.readmodel import load_states
from projections.rules import Desk, Rules
from projections.runner import ProjectionRunner, replay
from projections.status import status
from service.bootstrap import migrate

TODAY = date(2026, 11, 23)
FIRST, LAST = date(2000, 1, 1), date(2025, 12, 31)
_NS = uuid.UUID("0e6b1f5e-61a4-4d8b-9b1e-5a4f3f3b2c10")
DOCUMENTS = list(get_args(Document))
KINDS = list(get_args(ActivityKind))
STREAMS = ["kota-bandung-seoul", "jabar-gyeongsangbuk-do", "kota-surabaya-busan"]
DESKS = (Desk("kbri-seoul", countries=("KR",)), Desk("kbri-tokyo", countries=("JP",)))
CLOCK = lambda: datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # noqa: E731


# -- random valid histories ---------------------------------------------------------------------


def text_of(day: date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


@st.composite
def partial(draw, lo: date = FIRST, hi: date = LAST) -> str:
    """A partial date whose last day is on or after `lo` (its first day may be earlier)."""
    hi = max(lo, hi)
    day = lo + timedelta(days=draw(st.integers(0, (hi - lo).days)))
    return text_of(day, draw(st.sampled_from(["day", "day", "day", "month", "year"])))


def first(text: str) -> date:
    return PartialDate.parse(text).first


def later(text: str, years: int = 6) -> date:
    """Some years after the first day of a partial date, for drawing a date that follows it."""
    start = first(text)
    return min(LAST, start.replace(year=min(start.year + years, LAST.year), day=min(start.day, 28)))


@st.composite
def validity(draw, start: str, renewal: bool = False) -> dict:
    """valid_from/valid_until/term_years/open_ended as a signing or renewal may carry them."""
    out: dict = {}
    if not renewal and draw(st.booleans()):
        out["valid_from"] = draw(partial(first(start) - timedelta(days=400), later(start, 2)))
    base = out.get("valid_from", start)
    choice = draw(st.sampled_from(["none", "term", "until", "open"]))
    if choice == "term":
        out["term_years"] = draw(st.integers(1, 6))
    elif choice == "until":
        out["valid_until"] = draw(partial(first(base), later(base, 7)))
    elif choice == "open":
        out["open_ended"] = True
    return out


@st.composite
def stream_history(draw, stream: str) -> list[tuple[str, str, dict]]:
    """(type, occurred_on, data) of one partnership, valid in stream order."""
    out = [
        (
            "PartnershipRegistered",
            draw(partial(FIRST, date(2016, 12, 31))),
            {
                "kind": draw(st.sampled_from(["sister_city", "sister_province"])),
                "indonesia": {"name": "Kota Bandung", "level": "city"},
                "partner": {"name": "Seoul", "level": "si", "country": draw(st.sampled_from(["KR", "JP"]))},
                **({"desk": "kbri-seoul"} if draw(st.booleans()) else {}),
                "fields": [],
            },
        )
    ]
    agreements, activities, contacts = [], [], set()
    for n in range(draw(st.integers(0, 16))):
        op = draw(
            st.sampled_from(
                [
                    "sign",
                    "sign",
                    "renew",
                    "renew",
                    "terminate",
                    "log",
                    "log",
                    "log",
                    "correct",
                    "correct",
                    "correct",
                    "retract",
                    "explore",
                    "assess",
                    "end",
                    "note",
                    "contact",
                    "uncontact",
                    "details",
                    "notify",
                ]
            )
        )
        on = draw(partial())
        if op == "renew" and agreements:
            out.append(
                (
                    "AgreementRenewed",
                    on,
                    {"agreement_id": draw(st.sampled_from(agreements)), **draw(validity(on, renewal=True))},
                )
            )
        elif op == "terminate" and agreements:
            out.append(("AgreementTerminated", on, {"agreement_id": draw(st.sampled_from(agreements))}))
        elif op == "correct" and activities:
            fix: dict = {"activity_id": draw(st.sampled_from(activities))}
            if draw(st.integers(0, 3)):
                fix["occurred_on"] = draw(partial())
            if draw(st.booleans()):
                fix["kind"] = draw(st.sampled_from(KINDS))
            if draw(st.booleans()):
                fix["ends_on"] = draw(partial(first(fix.get("occurred_on", "2000")), LAST))
            if draw(st.booleans()):
                fix["title"] = "corrected"
            out.append(("ActivityCorrected", on, fix))
        elif op == "retract" and activities:
            out.append(("ActivityRetracted", on, {"activity_id": draw(st.sampled_from(activities))}))
        elif op == "sign":
            agreements.append(f"ag-{n}")
            out.append(
                (
                    "AgreementSigned",
                    on,
                    {"agreement_id": f"ag-{n}", "document": draw(st.sampled_from(DOCUMENTS)), **draw(validity(on))},
                )
            )
        elif op == "explore":
            out.append(("ExplorationStarted", on, {"note": "penjajakan"}))
        elif op == "assess":
            out.append(
                (
                    "StatusAssessed",
                    on,
                    {"status": draw(st.sampled_from(["aktif", "kurang_aktif", "tidak_aktif", "penjajakan"]))},
                )
            )
        elif op == "end":
            out.append(("PartnershipEnded", on, {"reason": "discontinued"}))
        elif op == "note":
            out.append(("NoteAdded", on, {"text": f"note {n}"}))
        elif op == "contact":
            contacts.add(f"c{n % 3}")
            out.append(("ContactAssigned", on, {"contact_id": f"c{n % 3}", "name": "Ibu Putri", "side": "indonesia"}))
        elif op == "uncontact" and contacts:
            removed = draw(st.sampled_from(sorted(contacts)))
            contacts.discard(removed)
            out.append(("ContactRemoved", on, {"contact_id": removed}))
        elif op == "details":
            out.append(
                (
                    "PartnershipDetailsChanged",
                    on,
                    draw(
                        st.sampled_from(
                            [{"desk": "kbri-tokyo"}, {"partner": {"country": "JP"}}, {"fields": ["Pariwisata"]}]
                        )
                    ),
                )
            )
        elif op == "notify":
            out.append(("NotificationSent", on, {"key": f"k{n}", "rule": "renewal", "to": ["a@b.go.id"]}))
        else:  # "log", or an operation that needs an id the stream does not have yet
            activities.append(f"act-{n}")
            data = {"activity_id": f"act-{n}", "kind": draw(st.sampled_from(KINDS)), "title": "t"}
            if draw(st.booleans()):
                data["ends_on"] = draw(partial(first(on), later(on, 2)))
            out.append(("ActivityLogged", on, data))
    return out


@st.composite
def histories(draw) -> list[Event]:
    """Valid events of one to three partnerships, interleaved at random (each stream in its order)."""
    streams = draw(st.lists(st.sampled_from(STREAMS), min_size=1, max_size=3, unique=True))
    queues = {s: draw(stream_history(s)) for s in streams}
    order = [s for s in streams for _ in queues[s]]
    draw(st.randoms(use_true_random=False)).shuffle(order)
    events, taken = [], {s: 0 for s in streams}
    for s in order:
        type_, on, data = queues[s][taken[s]]
        taken[s] += 1
        events.append(
            mapper.from_dict(
                {
                    "id": str(uuid.uuid5(_NS, f"{s}:{taken[s]}")),
                    "stream": s,
                    "type": type_,
                    "occurred_on": on,
                    "data": data,
                    "meta": {"n": len(events)},
                },
                TODAY,
            )
        )
    return events


def by_stream(events) -> dict[str, list]:
    out: dict[str, list] = {}
    for e in events:
        out.setdefault(e.stream, []).append(e)
    return out


# -- one fold, every way of running it ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(histories())
def test_folding_one_by_one_equals_replay(events):
    one_by_one = []
    for _stream, stream_events in sorted(by_stream(events).items()):
        state = None
        for e in stream_events:
            state = apply(state, e)
        assert state == fold(stream_events)
        one_by_one.append(state)
    assert replay(events) == one_by_one


def _store(path: Path) -> EventStore:
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    return EventStore(engine, clock=CLOCK)


@pytest.mark.store  # a SQLite file of its own
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=histories(),
    cuts=st.lists(st.integers(1, 12), min_size=1, max_size=8),
    run_between=st.lists(st.booleans(), min_size=8, max_size=8),
    batch=st.integers(1, 9),
)
def test_read_model_after_runs_in_random_batches_and_after_rebuild_equals_the_fold(events, cuts, run_between, batch):
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(Path(tmp) / "a.db")
        try:
            runner = ProjectionRunner(store, batch=batch)
            start = 0
            for cut, run in zip(cuts + [len(events)], run_between + [True]):
                chunk = events[start : start + cut]
                start += len(chunk)
                if chunk:
                    store.append(chunk)
                if run:
                    runner.run()
            if start < len(events):
                store.append(events[start:])
            runner.run()
            stored = store.read()
            assert [e.id for e in stored] == [e.id for e in events]
            folded = [fold(s) for _, s in sorted(by_stream(stored).items())]
            assert replay(stored) == folded
            assert load_states(store.engine) == folded
            assert runner.rebuild() == len(events)
            assert load_states(store.engine) == folded
            assert runner.run() == 0
        finally:
            store.engine.dispose()


def _wire(events) -> list[dict]:
    out = []
    for e in events:
        line = mapper.to_wire(e)
        line.pop("recorded_at")
        out.append(line)
    return out


@pytest.mark.store  # a SQLite file of its own
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=histories(), cut=st.integers(0, 40))
def test_export_then_import_into_an_empty_store_gives_the_same_events(events, cut):
    with tempfile.TemporaryDirectory() as tmp:
        a, b = _store(Path(tmp) / "a.db"), _store(Path(tmp) / "b.db")
        try:
            for chunk in (events[:cut], events[cut:]):
                if chunk:
                    a.append(chunk)
            sink = io.BytesIO()
            assert export_events(a, sink) == len(events)
            sink.seek(0)
            result = import_events(b, sink, TODAY)
            assert (result.added, result.skipped) == (len(events), 0)
            assert _wire(b.read()) == _wire(a.read())
            assert [str(e.occurred_on) for e in b.read()] == [str(e.occurred_on) for e in events]
            sink.seek(0)
            again = import_events(b, sink, TODAY)
            assert (again.added, again.skipped) == (0, len(events))
        finally:
            a.engine.dispose()
            b.engine.dispose()


BAD_LINES = [
    b'{"stream": "kota-bandung-seoul", "type": ',  # not JSON
    b'{"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2021-02-30", "data": {"text": "x"}}',
    b'{"stream": "kota-bandung-seoul", "type": "ActivityRetracted", "occurred_on": "2021", '
    b'"data": {"activity_id": "never-logged"}}',  # valid alone, refused by the stream's record
    b'{"stream": "kota-nowhere", "type": "NoteAdded", "occurred_on": "2021", "data": {"text": "x"}}',
]


@pytest.mark.store  # a SQLite file of its own
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=histories(), bad=st.sampled_from(BAD_LINES), where=st.integers(0, 60))
def test_an_import_with_one_bad_line_anywhere_stores_nothing_and_names_it(events, bad, where):
    lines = [mapper.encode_line(e) for e in events]
    if not any(e.stream == "kota-bandung-seoul" and e.type == "PartnershipRegistered" for e in events):
        bad = BAD_LINES[3]  # the retraction would be refused for the stream instead: keep the reason known
    where = min(where, len(lines))
    lines.insert(where, bad + b"\n")
    with tempfile.TemporaryDirectory() as tmp:
        store = _store(Path(tmp) / "a.db")
        try:
            refused = None
            try:
                import_events(store, io.BytesIO(b"".join(lines)), TODAY)
            except ImportRefused as exc:
                refused = exc
            assert refused is not None
            assert [e.line for e in refused.errors] == [where + 1]
            assert store.head() == 0
            assert load_states(store.engine) == []
        finally:
            store.engine.dispose()


# -- the as-of rule -----------------------------------------------------------------------------


def best_known(events: list[Event]) -> list[Event]:
    """The stream as known now: each ActivityLogged rewritten with its corrections, retracted ones
    dropped, and the corrections and retractions themselves removed (they apply whatever their date)."""
    fixes: dict[str, list[dict]] = {}
    retracted = set()
    for e in events:
        if e.type == "ActivityCorrected":
            fixes.setdefault(e.data["activity_id"], []).append(e.data)
        elif e.type == "ActivityRetracted":
            retracted.add(e.data["activity_id"])
    out = []
    for e in events:
        if e.type in ("ActivityCorrected", "ActivityRetracted"):
            continue
        if e.type == "ActivityLogged":
            if e.data["activity_id"] in retracted:
                continue
            occurred_on, changes = e.occurred_on, {}
            for fix in fixes.get(e.data["activity_id"], []):
                for key, value in fix.items():
                    if key == "occurred_on":
                        occurred_on = PartialDate.parse(value)
                    elif key in ("kind", "ends_on", "title"):
                        changes[key] = value
            e = msgspec.structs.replace(
                e, occurred_on=occurred_on, payload=msgspec.structs.replace(e.payload, **changes)
            )
        out.append(e)
    return out


def as_of_reference(events: list[Event], day: date):
    """A fold that only sees what happened by `day`, on the record as best known now."""
    return fold([e for e in best_known(events) if e.occurred_on.first <= day])


def edges(events: list[Event], months: tuple[int, ...]) -> list[date]:
    """Days where answers change: around every date in the history and the window ends after them."""
    texts = [str(e.occurred_on) for e in events]
    texts += [e.data[k] for e in events for k in ("occurred_on", "ends_on", "valid_from", "valid_until") if k in e.data]
    out = set()
    for text in texts:
        when = PartialDate.parse(text)
        for day in (when.first, when.last):
            out.update((day - timedelta(days=1), day, day + timedelta(days=1)))
            for n in months:
                out.update((add_months(day, n), add_months(day, n) + timedelta(days=1)))
    return sorted(out)


@settings(max_examples=80, deadline=None)
@given(events=histories(), active=st.integers(1, 36), extra=st.integers(0, 36), data=st.data())
def test_status_as_of_a_day_equals_a_fold_of_what_happened_by_then(events, active, extra, data):
    rules = Rules(active_months=active, quiet_months=active + extra, desks=DESKS)
    near = edges(events, (active, active + extra))
    days = data.draw(st.lists(st.sampled_from(near), min_size=1, max_size=12)) + data.draw(
        st.lists(st.dates(date(1999, 6, 1), date(2027, 12, 31)), max_size=3)
    )
    for stream_events in by_stream(events).values():
        state = fold(stream_events)
        for day in days:
            reference = as_of_reference(stream_events, day)
            expected = status(reference, day, rules) if reference is not None else None
            assert status(state, day, rules) == expected, day
