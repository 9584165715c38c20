"""Ids people need not type: made from the two sides' names and from a document's type and year."""

from __future__ import annotations

from service.matrix_in.places import Indonesian
from service.record_ids import FALLBACK, LONGEST, agreement_id, stream_id, unique

BANDUNG = Indonesian("Kota Bandung", "city", "Jawa Barat")


def test_a_partnership_is_named_by_both_sides_as_the_matrix_import_names_it():
    assert stream_id(BANDUNG, "Seoul", lambda _: False) == "kota-bandung-seoul"
    assert stream_id(Indonesian("Jawa Barat", "province", "Jawa Barat"), "Gyeongsangbuk-do", lambda _: False) == (
        "jabar-gyeongsangbuk-do"
    )


def test_a_taken_id_gets_the_next_number():
    taken = {"kota-bandung-seoul", "kota-bandung-seoul-2"}
    assert stream_id(BANDUNG, "Seoul", taken.__contains__) == "kota-bandung-seoul-3"
    assert agreement_id("MoU", 2024, {"mou-2024"}) == "mou-2024-2"
    assert agreement_id("LoI", 2019, set()) == "loi-2019"


def test_names_without_latin_letters_still_give_a_valid_id():
    assert stream_id(Indonesian("東京", "city", None), "大阪", lambda _: False) == FALLBACK
    assert stream_id(Indonesian("東京", "city", None), "大阪", {FALLBACK}.__contains__) == f"{FALLBACK}-2"


def test_a_numbered_id_stays_within_the_longest_allowed():
    base = "kota-" + "a" * (LONGEST - 5)
    found = unique(base, {base}.__contains__)
    assert found.endswith("-2") and len(found) == LONGEST
