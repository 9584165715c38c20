"""Catalogue additions of the partner's side: a contact's language, the partner's own name, the partner_report topic."""

from __future__ import annotations

import pytest

from events.errors import InvalidEvent
from projections.partnership import fold
from projections.rules import Rules
from projections.status import contacts, details
from tests.helpers import contact, d, event, registered


def _seoul_with_local_name(local_name: str = "서울특별시"):
    reg = registered()
    data = {**reg.data, "partner": {**reg.data["partner"], "local_name": local_name}}
    return event("kota-bandung-seoul", "PartnershipRegistered", "2010-01-01", data)


def test_the_partner_keeps_its_own_name_from_registration_and_a_change_replaces_it():
    state = fold(
        [
            _seoul_with_local_name(),
            event("kota-bandung-seoul", "PartnershipDetailsChanged", "2020-01-01", {"partner": {"local_name": "서울"}}),
        ]
    )
    assert details(state, d("2019-12-31"), Rules())["partner"]["local_name"] == "서울특별시"
    later = details(state, d("2020-01-02"), Rules())["partner"]
    assert later["local_name"] == "서울" and later["name"] == "Seoul"  # the names it leaves out stay


@pytest.mark.parametrize("language", ["ko", "ja", "zh", "en", "id"])
def test_a_contact_may_read_korean_japanese_simplified_chinese_english_or_indonesian(language):
    state = fold([registered(), contact("2020-01-01", "kim", side="partner", language=language)])
    assert contacts(state, d("2020-01-02"))[0]["language"] == language


@pytest.mark.parametrize("language", ["kr", "zh_Hant", "jp", "KO"])
def test_a_language_the_catalogue_does_not_name_is_refused(language):
    with pytest.raises(InvalidEvent):
        contact("2020-01-01", "kim", side="partner", language=language)


def test_a_partner_report_is_a_note_topic():
    note = event("kota-bandung-seoul", "NoteAdded", "2024-05-02", {"text": "Delegasi", "topic": "partner_report"})
    assert fold([registered(), note]).filed_notes[0].topic == "partner_report"
