"""Every event type has its words in both languages, and summaries read only fields it has."""

from __future__ import annotations

from string import Formatter

import pytest

from events.catalogue import TYPES
from notifications import words
from service.api.i18n import translator


def test_every_catalogue_type_has_its_words_and_nothing_else_does():
    assert set(words.EVENT_WORDS) == set(TYPES)


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_each_type_reads_in_bahasa_indonesia_and_english(type_name):
    # The words live in the gettext catalogues: a type without them would show its code.
    for lang in ("id", "en"):
        assert words.label(type_name, lang) != type_name, (lang, "label")
        assert words.noun(type_name, lang) != type_name, (lang, "noun")
    assert words.label(type_name, "id") != words.label(type_name, "en") or type_name == "NotificationSent"
    entry = words.EVENT_WORDS[type_name]
    fields = set(TYPES[type_name].__struct_fields__)
    for template in entry["summary"] or ():
        named = {field.split("[")[0] for _, field, _, _ in Formatter().parse(template) if field}
        assert named <= fields, template


def test_the_page_shows_the_type_in_the_readers_language_and_codes_as_words():
    assert translator("id")("AgreementRenewed") == "Dokumen diperpanjang"
    assert translator("en")("AgreementRenewed") == "Agreement renewed"
    data = {"activity_id": "a1", "kind": "working_group", "title": "JWG ke-3", "description": ""}
    assert words.summary("ActivityLogged", data, translator("en")) == "Joint working group — JWG ke-3"
    assert words.summary("ActivityLogged", data, translator("id")) == "Kelompok kerja bersama — JWG ke-3"


def test_a_summary_leaves_out_what_the_event_does_not_carry():
    t = translator("id")
    signed = {"agreement_id": "mou-2016", "document": "MoU", "valid_until": "2021-10-06"}
    assert words.summary("AgreementSigned", signed, t) == "MoU — mou-2016 — s.d. 6 Okt 2021"
    assert words.summary("AgreementSigned", signed, translator("en"), "en") == "MoU — mou-2016 — until 6 Oct 2021"
    assert (
        words.summary("AgreementTerminated", {"agreement_id": "mou-2016", "reason": "tidak diperpanjang"}, t)
        == "mou-2016 — tidak diperpanjang"
    )
    assert words.summary("ContactRemoved", {"contact_id": "putri"}, t) == "putri"
