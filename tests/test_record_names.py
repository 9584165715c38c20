"""Names instead of ids and codes: documents in words, a correction as what it changed (pure)."""

from __future__ import annotations

from notifications.record_names import correction_words, corrections, document_word, names_of
from notifications.translations import translator
from projections.partnership import fold
from tests.helpers import activity, corrected, registered


def test_document_types_read_in_words_and_a_title_is_left_as_typed():
    t = translator("id")
    assert [document_word(d, t) for d in ("ActionPlan", "JointCommunique", "Other", "MoU")] == [
        "Rencana Aksi",
        "Komunike Bersama",
        "Lainnya",
        "MoU",
    ]
    assert document_word("Pertukaran pelajar", t) == "Pertukaran pelajar"


def test_a_correction_of_title_and_date_says_both_from_what_to_what():
    events = [
        registered(),
        activity("2026-03-10", "exchange", "act-1", title="Pertukran pelajar"),
        corrected("act-1", "2026-03-12", title="Pertukaran pelajar", occurred_on="2026-03-11"),
    ]
    t = translator("id")
    names = names_of(fold(events), t, "id")
    said = correction_words(corrections(events)[events[2].id], t, "id", names)
    assert "Judul diubah dari “Pertukran pelajar” menjadi “Pertukaran pelajar”" in said
    assert "diubah dari “10 Mar 2026” menjadi “11 Mar 2026”" in said
    assert names.activity("act-1") == "Pertukaran pelajar (11 Mar 2026)"
    assert names.activity("act-unknown") == "kegiatan"  # never the id
