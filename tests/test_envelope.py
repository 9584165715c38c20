"""The envelope of docs/events.md: what decode/from_dict accept and refuse, and the stream rules of the store."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from events import mapper
from events.errors import Conflict, InvalidEvent
from tests.helpers import activity, contact, corrected, event, registered, renewed, retracted, signed

TODAY = date(2021, 12, 27)
STREAM = "kota-bandung-seoul"
REGISTRATION = {
    "kind": "sister_city",
    "indonesia": {"name": "Kota Bandung", "level": "city", "province": "Jawa Barat"},
    "partner": {"name": "Seoul", "level": "si", "country": "KR"},
    "desk": "kbri-seoul",
}


def envelope(**changes) -> dict:
    base = {
        "stream": STREAM,
        "type": "NoteAdded",
        "occurred_on": "2021-12-27",
        "data": {"text": "catatan"},
        "meta": {"actor": "putri@jabarprov.go.id"},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def refused(obj: dict, today: date = TODAY) -> dict[str, str]:
    """The field -> reason map of an envelope the mapper must refuse."""
    with pytest.raises(InvalidEvent) as caught:
        mapper.from_dict(obj, today)
    return {e.field: e.reason for e in caught.value.errors}


# -- id -----------------------------------------------------------------------------------------


def test_id_is_optional_and_assigned_as_a_fresh_uuid():
    first = mapper.from_dict(envelope(), TODAY)
    second = mapper.from_dict(envelope(), TODAY)
    assert str(uuid.UUID(first.id)) == first.id
    assert first.id != second.id


def test_id_given_is_kept():
    given = "0b7f5c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"
    assert mapper.from_dict(envelope(id=given), TODAY).id == given
    assert json.loads(mapper.encode_line(mapper.from_dict(envelope(id=given), TODAY)))["id"] == given


@pytest.mark.parametrize(
    "bad", ["abc", "0b7f…", "1234", "0b7f5c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e\n", "0b7f5c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5", ""]
)
def test_id_must_be_a_uuid_when_given(bad):
    errors = refused(envelope(id=bad))
    assert set(errors) == {"id"}
    assert "UUID" in errors["id"]


def test_id_of_the_wrong_json_type_is_refused():
    assert "id" in refused(envelope(id=12345))


# -- stream -------------------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["abc", "a-b", "0ab", "kota-bandung-seoul", "a" * 80, "a--"])
def test_stream_slug_accepted(good):
    assert mapper.from_dict(envelope(stream=good), TODAY).stream == good


@pytest.mark.parametrize(
    "bad", ["ab", "-abc", "Kota-bandung", "kota_bandung", "kota bandung", "a" * 81, "abc\n", "kota-bandung-é", ""]
)
def test_stream_slug_refused(bad):
    errors = refused(envelope(stream=bad))
    assert set(errors) == {"stream"}
    assert "partnership id" in errors["stream"]


def test_missing_stream_is_named():
    assert refused(envelope(stream=...)) == {"stream": "required field is missing"}


# -- type -----------------------------------------------------------------------------------------


def test_unknown_type_is_refused_with_a_clear_message():
    errors = refused(envelope(type="ActivityDeleted"))
    assert set(errors) == {"type"}
    assert "unknown event type 'ActivityDeleted'" in errors["type"]
    assert "ActivityLogged" in errors["type"]  # the message lists the known types


def test_type_names_are_case_sensitive():
    assert set(refused(envelope(type="noteadded"))) == {"type"}


# -- occurred_on --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, first, precision",
    [
        ("2012", date(2012, 1, 1), "year"),
        ("2020-12", date(2020, 12, 1), "month"),
        ("2020-10-05", date(2020, 10, 5), "day"),
    ],
)
def test_occurred_on_precision_is_kept(text, first, precision):
    e = mapper.from_dict(envelope(occurred_on=text), TODAY)
    assert (e.occurred_on.first, e.occurred_on.precision, str(e.occurred_on)) == (first, precision, text)
    assert mapper.to_wire(e)["occurred_on"] == text


@pytest.mark.parametrize(
    "bad",
    [
        "2021-02-30",
        "2021-13",
        "2021-00",
        "2021-1-5",
        "20211005",
        "21",
        "2021-12-27T08:00",
        "2021-12-27\n",
        "27-12-2021",
        "",
    ],
)
def test_occurred_on_invalid_is_refused(bad):
    assert set(refused(envelope(occurred_on=bad))) == {"occurred_on"}


def test_occurred_on_after_the_recording_day_is_refused():
    errors = refused(envelope(occurred_on="2021-12-28"))
    assert "2021-12-28" in errors["occurred_on"] and "2021-12-27" in errors["occurred_on"]
    assert set(refused(envelope(occurred_on="2022"))) == {"occurred_on"}
    assert set(refused(envelope(occurred_on="2022-01"))) == {"occurred_on"}


def test_occurred_on_the_recording_day_or_a_period_that_has_begun_is_accepted():
    for text in ("2021-12-27", "2021-12", "2021"):
        assert str(mapper.from_dict(envelope(occurred_on=text), TODAY).occurred_on) == text


def test_correction_date_in_the_future_is_refused():
    fix = envelope(type="ActivityCorrected", data={"activity_id": "a1", "occurred_on": "2021-12-28"})
    assert set(refused(fix)) == {"data.occurred_on"}


# -- data -----------------------------------------------------------------------------------------


def test_unknown_data_keys_are_kept():
    data = {"text": "catatan", "source_row": 17, "extra": {"nested": [1, "two"]}}
    e = mapper.from_dict(envelope(data=data), TODAY)
    assert e.data == data
    assert json.loads(mapper.encode_line(e))["data"] == data


def test_meta_is_free_form_and_kept():
    meta = {"actor": "putri@jabarprov.go.id", "source": "matrix 2021-12-27", "anything": [1]}
    assert mapper.from_dict(envelope(meta=meta), TODAY).meta == meta


@pytest.mark.parametrize(
    "data, field",
    [
        ({k: v for k, v in REGISTRATION.items() if k != "kind"}, "data.kind"),
        ({**REGISTRATION, "kind": "twin_town"}, "data.kind"),
        ({**REGISTRATION, "partner": {"name": "Seoul", "level": "si", "country": "Korea"}}, "data.partner.country"),
        ({**REGISTRATION, "partner": {"name": "Seoul", "level": "si", "country": "KR\n"}}, "data.partner.country"),
        ({**REGISTRATION, "partner": {"name": "Seoul", "level": "si"}}, "data.partner.country"),
        ({**REGISTRATION, "indonesia": {"name": "Kota Bandung", "level": "village"}}, "data.indonesia.level"),
        ({**REGISTRATION, "fields": ["Pendidikan", 3]}, "data.fields[1]"),
        ({**REGISTRATION, "indonesia": "Kota Bandung"}, "data.indonesia"),
    ],
)
def test_registration_payload_errors_name_the_field_path(data, field):
    errors = refused(envelope(type="PartnershipRegistered", data=data))
    assert set(errors) == {field}
    assert errors[field]


@pytest.mark.parametrize(
    "type_, data, field",
    [
        ("ActivityLogged", {"activity_id": "a1"}, "data.kind"),
        ("ActivityLogged", {"activity_id": "a1", "kind": "party"}, "data.kind"),
        ("ActivityLogged", {"kind": "visit"}, "data.activity_id"),
        ("ActivityLogged", {"activity_id": "a1", "kind": "visit", "ends_on": "2021-02-30"}, "data.ends_on"),
        ("ActivityLogged", {"activity_id": "a1", "kind": "visit", "direction": "sideways"}, "data.direction"),
        ("AgreementSigned", {"agreement_id": "m", "document": "Treaty"}, "data.document"),
        ("AgreementSigned", {"agreement_id": "m", "document": "MoU", "term_years": "5"}, "data.term_years"),
        ("AgreementSigned", {"agreement_id": "m", "document": "MoU", "valid_until": "2022-13"}, "data.valid_until"),
        ("AgreementSigned", {"agreement_id": "m", "document": "MoU", "valid_from": "next year"}, "data.valid_from"),
        (
            "ContactAssigned",
            {"contact_id": "p", "name": "Ibu Putri", "side": "indonesia", "email": "putri"},
            "data.email",
        ),
        ("StatusAssessed", {"status": "active"}, "data.status"),
        ("NoteAdded", {}, "data.text"),
    ],
)
def test_payload_errors_name_the_field_path(type_, data, field):
    assert set(refused(envelope(type=type_, data=data))) == {field}


def test_data_that_is_not_an_object_is_refused():
    assert "data" in refused(envelope(data=["text"]))


def test_every_problem_is_reported_at_once():
    errors = refused(envelope(id="nope", stream="X", occurred_on="2021-02-30", type="Nope"))
    assert set(errors) == {"id", "stream", "occurred_on", "type"}


def test_correction_may_set_ends_on_earlier_than_its_own_date():
    # The correction's own date is when the record was fixed; its ends_on belongs to the activity.
    fix = envelope(type="ActivityCorrected", occurred_on="2021-12-27", data={"activity_id": "a1", "ends_on": "2019"})
    assert mapper.from_dict(fix, TODAY).data["ends_on"] == "2019"


def test_decode_reads_json_text_and_names_bad_json():
    line = json.dumps(envelope(occurred_on="2020-12")).encode()
    assert str(mapper.decode(line, TODAY).occurred_on) == "2020-12"
    with pytest.raises(InvalidEvent) as caught:
        mapper.decode(b'{"stream": "abc", ', TODAY)
    assert caught.value.errors[0].field == "json"
    with pytest.raises(InvalidEvent) as caught:
        mapper.decode(json.dumps(envelope(type=...)).encode(), TODAY)
    assert [(e.field, e.reason) for e in caught.value.errors] == [("type", "required field is missing")]


def test_decode_ignores_store_assigned_fields_on_input():
    line = json.dumps({**envelope(), "position": 9, "version": 4, "recorded_at": "2021-12-27T01:00:00Z"})
    e = mapper.decode(line, TODAY)
    assert (e.position, e.version, e.recorded_at) == (None, None, None)


# -- stream invariants, through the store (SQLite and PostgreSQL) --------------------------------


def refused_by_store(store, batch) -> list[tuple[int | None, str]]:
    """Append a batch the store must refuse; returns (index, field) of each reason, checking nothing was written."""
    head = store.head()
    with pytest.raises(InvalidEvent) as caught:
        store.append(batch)
    assert store.head() == head
    return [(e.index, e.field) for e in caught.value.errors]


def test_first_event_of_a_stream_must_be_the_registration(store):
    assert refused_by_store(store, [activity("2020-01-01", "visit", "a1")]) == [(0, "stream")]
    assert refused_by_store(store, [event(STREAM, "NoteAdded", "2020-01-01", {"text": "x"}), registered()]) == [
        (0, "stream")
    ]
    assert store.read() == []


def test_a_stream_is_registered_once(store):
    store.append([registered()])
    second = registered(on="2011-01-01")
    assert refused_by_store(store, [second]) == [(0, "type")]


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: corrected("nope", "2021-01-01", occurred_on="2020-01-01"), "data.activity_id"),
        (lambda: retracted("nope", "2021-01-01"), "data.activity_id"),
        (lambda: renewed("2021-01-01", "nope", term_years=5), "data.agreement_id"),
        (lambda: event(STREAM, "AgreementTerminated", "2021-01-01", {"agreement_id": "nope"}), "data.agreement_id"),
        (lambda: event(STREAM, "ContactRemoved", "2021-01-01", {"contact_id": "nope"}), "data.contact_id"),
    ],
)
def test_an_event_naming_an_unknown_id_is_refused_and_nothing_is_written(store, build, field):
    store.append(
        [
            registered(),
            activity("2020-01-01", "visit", "a1"),
            signed("2016-10-07", "mou"),
            contact("2020-01-01", "putri"),
        ]
    )
    valid = event(STREAM, "NoteAdded", "2021-01-01", {"text": "written with the bad one?"})
    assert refused_by_store(store, [valid, build()]) == [(1, field)]
    assert store.version(STREAM) == 4


def test_an_event_naming_an_id_created_earlier_in_the_same_batch_is_accepted(store):
    batch = [
        registered(),
        activity("2020-01-01", "visit", "a1"),
        retracted("a1", "2021-01-01"),
        signed("2016-10-07", "mou"),
        renewed("2021-09-01", "mou", term_years=5),
        contact("2020-01-01", "putri"),
        event(STREAM, "ContactRemoved", "2021-01-01", {"contact_id": "putri"}),
    ]
    assert store.append(batch).added == 7


def test_removed_contact_cannot_be_removed_again(store):
    removal = event(STREAM, "ContactRemoved", "2021-01-01", {"contact_id": "putri"})
    store.append([registered(), contact("2020-01-01", "putri"), removal])
    again = event(STREAM, "ContactRemoved", "2021-02-01", {"contact_id": "putri"})
    assert refused_by_store(store, [again]) == [(0, "data.contact_id")]


def test_second_activity_logged_with_the_same_activity_id_is_refused(store):
    store.append([registered(), activity("2020-01-01", "visit", "a1")])
    assert refused_by_store(store, [activity("2020-02-01", "forum", "a1")]) == [(0, "data.activity_id")]
    # Within one batch too, and the first of the two is not written either.
    assert refused_by_store(store, [activity("2020-03-01", "visit", "a2"), activity("2020-04-01", "visit", "a2")]) == [
        (1, "data.activity_id")
    ]
    assert store.version(STREAM) == 2


def test_second_agreement_signed_with_the_same_agreement_id_is_refused(store):
    store.append([registered(), signed("2016-10-07", "mou-2016")])
    assert refused_by_store(store, [signed("2016-11-01", "mou-2016", "MoA")]) == [(0, "data.agreement_id")]


def test_same_activity_id_on_another_stream_is_fine(store):
    other = "kota-bandung-suwon-si"
    store.append(
        [
            registered(),
            activity("2020-01-01", "visit", "a1"),
            registered(other),
            activity("2020-01-01", "visit", "a1", stream=other),
        ]
    )
    assert store.version(other) == 2


def test_every_refused_event_of_a_batch_is_named(store):
    store.append([registered()])
    batch = [
        retracted("x", "2021-01-01"),
        activity("2020-01-01", "visit", "a1"),
        renewed("2021-01-01", "y"),
        activity("2020-02-01", "visit", "a1"),
    ]
    assert refused_by_store(store, batch) == [
        (0, "data.activity_id"),
        (2, "data.agreement_id"),
        (3, "data.activity_id"),
    ]


def test_same_id_twice_is_stored_once_and_a_different_body_is_a_conflict(store):
    first = registered()
    assert store.append([first]).added == 1
    again = store.append([first])
    assert (again.added, again.skipped) == (0, 1)
    other_body = mapper.from_dict(
        {"id": first.id, "stream": STREAM, "type": "NoteAdded", "occurred_on": "2020-01-01", "data": {"text": "x"}},
        TODAY,
    )
    with pytest.raises(Conflict):
        store.append([activity("2020-01-01", "visit", "a1"), other_body])
    assert store.head() == 1


def test_store_keeps_precision_unknown_keys_and_meta(store):
    data = {**REGISTRATION, "fields": ["Pendidikan"], "legacy_code": "KB-01"}
    registration = mapper.from_dict(
        {
            "stream": STREAM,
            "type": "PartnershipRegistered",
            "occurred_on": "2012",
            "data": data,
            "meta": {"source": "matrix"},
        },
        TODAY,
    )
    store.append([registration, activity("2019-12", "visit", "a1", note_from_matrix="dup?")])
    stored = store.stream(STREAM)
    assert [str(e.occurred_on) for e in stored] == ["2012", "2019-12"]
    assert stored[0].data == data and stored[0].meta == {"source": "matrix"}
    assert stored[1].data["note_from_matrix"] == "dup?"
    assert [(e.position, e.version) for e in stored] == [(1, 1), (2, 2)]
