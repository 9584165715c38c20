"""The notes review as history: accepting or dismissing a note appends events; a second review is refused."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from events.errors import InvalidEvent
from events.invariants import StreamFacts
from projections.notes import pending
from projections.partnership import fold
from projections.rules import Rules
from projections.status import status
from service.notes import (
    NOTE_TYPES,
    NoteRefused,
    accept_events,
    append_review,
    dismiss_events,
    queue,
)
from tests.api_fixtures import build
from tests.helpers import activity, d, event, registered
from tests.test_cli import pantau as run_pantau
from tests.test_pages import csrf_of, login

STREAM = "kota-bandung-seoul"
SCHOLARSHIP = "Pemberian beasiswa ke Seoul untuk 150 orang masyarakat Kota Bandung"


def note(text: str = SCHOLARSHIP, on: str = "2021-12-27", stream: str = STREAM):
    return event(stream, "NoteAdded", on, {"text": text}, id=str(uuid.uuid4()))


def reviewed(note_id: str, outcome: str = "dismissed", **data):
    return event(
        STREAM, "NoteReviewed", "2022-01-05", {"note_id": note_id, "outcome": outcome, **data}, id=str(uuid.uuid4())
    )


def test_a_note_is_named_by_its_event_id_and_a_second_review_of_it_is_refused():
    added = note()
    facts = StreamFacts()
    for e in (registered(), added):
        facts.advance(e)
    first = reviewed(added.id)
    assert facts.check(first) == []
    facts.advance(first)
    problem = facts.check(reviewed(added.id))[0]
    assert problem.field == "data.note_id" and "closed or removed" in problem.reason
    assert facts.check(reviewed(str(uuid.uuid4())))[0].reason.endswith("is not in this partnership's record")


def test_facts_rebuilt_from_stored_rows_know_the_notes_by_their_envelope_ids():
    added = note()
    facts = StreamFacts(version=2)
    facts.take("PartnershipRegistered", registered().data)
    facts.take("NoteAdded", added.data, added.id)
    assert facts.holds("note", added.id)


def test_an_accepted_review_must_name_the_activity_it_became():
    with pytest.raises(InvalidEvent, match="activity_id"):
        reviewed(str(uuid.uuid4()), "accepted")


def test_the_queue_is_every_note_not_reviewed():
    first, second = note("Kunjungan ke Seoul"), note("Rencana hibah")
    assert [n.event_id for n in pending([registered(), first, second, reviewed(first.id)])] == [second.id]


def test_accepting_a_note_appends_an_activity_naming_it_and_takes_it_off_the_queue(store):
    added = note()
    store.append([registered(), added])
    [item] = queue(store)
    assert item.as_json() == {
        "event_id": added.id,
        "stream": STREAM,
        "text": SCHOLARSHIP,
        "proposal": {"kind": "scholarship", "title": item.proposal.title, "occurred_on": None},
        "reason": item.reason,
    }
    with pytest.raises(NoteRefused, match="occurred_on is required.*2021-12-27, the latest"):
        accept_events(store, added.id, d("2022-01-05"), "tester")
    activity_event, review = append_review(
        store, accept_events(store, added.id, d("2022-01-05"), "tester", occurred_on="2020")
    )
    assert activity_event.meta["note_id"] == added.id and str(activity_event.occurred_on) == "2020"
    assert review.payload.activity_id == activity_event.payload.activity_id
    assert queue(store) == []
    state = fold(store.stream(STREAM))
    assert status(state, d("2021-12-27"), Rules()).activeness == "aktif"


def test_a_note_reviewed_meanwhile_is_refused_whole_and_nothing_is_stored(store):
    added = note()
    store.append([registered(), added])
    late = accept_events(store, added.id, d("2022-01-05"), "late", occurred_on="2019")
    append_review(store, dismiss_events(store, added.id, d("2022-01-05"), "first", "not an activity"))
    head = store.head()
    with pytest.raises(NoteRefused, match=f"note {added.id}: already reviewed") as refused:
        append_review(store, late)
    assert refused.value.conflict and store.head() == head


def test_a_date_after_the_note_was_recorded_is_refused(store):
    added = note(on="2021-12-27")
    store.append([registered(), added])
    with pytest.raises(NoteRefused, match="after 2021-12-27"):
        accept_events(store, added.id, d("2022-06-01"), "tester", occurred_on="2022-01")


def test_an_unknown_or_non_note_id_is_refused_naming_it(store):
    store.append([registered(), activity("2020-01-01", activity_id="a1")])
    for bad in (str(uuid.uuid4()), "not-a-uuid", registered().id):
        with pytest.raises(NoteRefused, match=re.escape(f"note {bad}: no such note")):
            dismiss_events(store, bad, d("2022-01-05"), "tester")
    assert not store.of_types(NOTE_TYPES)


# -- the command line ------------------------------------------------------------------------------


@pytest.mark.service  # a child process
def test_cli_lists_the_queue_accepts_one_note_with_a_date_and_refuses_it_twice(tmp_path):
    db = tmp_path / "pantau.db"
    events = tmp_path / "events.jsonl"
    added = note()
    events.write_text(
        "\n".join(
            json.dumps(
                {"id": e.id, "stream": e.stream, "type": e.type, "occurred_on": str(e.occurred_on), "data": e.data}
            )
            for e in (registered(), added)
        )
        + "\n"
    )
    run_pantau(db, "import", str(events))
    [item] = json.loads(run_pantau(db, "notes", "review", "--format", "json").stdout)
    assert item["proposal"]["kind"] == "scholarship" and item["event_id"] == added.id
    missing = run_pantau(db, "notes", "accept", added.id, check=2)
    assert "occurred_on is required" in missing.stderr
    done = run_pantau(db, "notes", "accept", added.id, "--occurred-on", "2019-10", "--title", "Beasiswa 2019")
    assert "accepted" in done.stdout
    again = run_pantau(db, "notes", "dismiss", added.id, check=2)
    assert f"note {added.id}: already reviewed" in again.stderr
    assert json.loads(run_pantau(db, "notes", "review", "--format", "json").stdout) == []
    exported = [json.loads(line) for line in run_pantau(db, "export").stdout.splitlines()]
    assert [e["type"] for e in exported[-2:]] == ["ActivityLogged", "NoteReviewed"]
    assert exported[-2]["data"]["title"] == "Beasiswa 2019" and exported[-2]["occurred_on"] == "2019-10"
    [row] = json.loads(run_pantau(db, "status", "--as-of", "2020-06-01", "--format", "json").stdout)
    assert row["explanation"] == {
        "counted": [
            {
                "id": f"note-{added.id}",
                "kind": "scholarship",
                "document": None,
                "occurred_on": "2019-10",
                "ends_on": None,
                "indicator": 4,
                "makes_aktif": True,
            }
        ],
        "next_change": {"on": "2021-10-31", "to": "kurang_aktif"},
    }


# -- the API and the page -------------------------------------------------------------------------


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock)
    with api.client:
        yield api


def test_api_review_accept_and_409_for_a_reviewed_note(site):
    added = note(on="2020-01-10")
    site.pantau.store.append([added])
    [item] = site.get("/api/notes/review").json()
    assert set(item) == {"event_id", "stream", "text", "proposal", "reason"}
    assert site.post(f"/api/notes/{added.id}/accept", {"occurred_on": "2019"}, who="viewer").status_code == 403
    assert site.post(f"/api/notes/{added.id}/accept", {"occurred_on": "2019"}, who="tokyo").status_code == 403
    accepted = site.post(f"/api/notes/{added.id}/accept", {"occurred_on": "2019"}, who="seoul")
    assert accepted.status_code == 201, accepted.text
    assert [e["type"] for e in accepted.json()] == ["ActivityLogged", "NoteReviewed"]
    again = site.post(f"/api/notes/{added.id}/dismiss", {"reason": "twice"}, who="seoul")
    assert again.status_code == 409 and added.id in again.json()["error"]["message"]
    assert site.get("/api/notes/review").json() == []
    [row] = site.get("/api/status?as_of=2020-01-10").json()
    assert [(i["kind"], i["occurred_on"], i["makes_aktif"]) for i in row["explanation"]["counted"]] == [
        ("scholarship", "2019", True),
        ("signing", "2020-01-10", False),
    ]


def test_the_page_lists_a_note_and_accepts_it_in_one_step(site):
    added = note(on="2020-01-10")
    site.pantau.store.append([added])
    login(site)
    page = site.client.get("/notes/review")
    assert SCHOLARSHIP in page.text and "paling lambat" in page.text
    answer = site.client.post(
        f"/notes/{added.id}/accept",
        data={"csrf": csrf_of(page.text), "kind": "scholarship", "title": "Beasiswa", "occurred_on": "2019"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    after = site.client.get(answer.headers["location"])
    assert SCHOLARSHIP not in after.text and "Catatan diterima" in after.text
    partnership = site.client.get(f"/partnerships/{STREAM}?as_of=2020-06-01")
    assert "Mengapa status ini" in partnership.text and "Aktif karena beasiswa 2019;" in partnership.text


def test_the_page_refuses_a_form_without_its_csrf_token(site):
    added = note(on="2020-01-10")
    site.pantau.store.append([added])
    login(site)
    answer = site.client.post(f"/notes/{added.id}/dismiss", data={"csrf": "forged"}, follow_redirects=False)
    assert answer.status_code == 403 and queue(site.pantau.store)


def test_a_reviewer_title_or_reason_over_the_length_limit_is_refused_and_nothing_is_stored(store):
    added = note()
    store.append([registered(), added])
    before = store.head()
    with pytest.raises(NoteRefused, match=r"title: is 201 characters long; at most 200"):
        accept_events(store, added.id, d("2022-01-05"), "tester", occurred_on="2020", title_="x" * 201, max_length=200)
    with pytest.raises(NoteRefused, match=r"reason: is 201 characters long; at most 200"):
        dismiss_events(store, added.id, d("2022-01-05"), "tester", "y" * 201, max_length=200)
    assert store.head() == before and [i.note.event_id for i in queue(store)] == [added.id]
