"""Storing a matrix: all or nothing, nothing twice, and a later version records only what changed."""

from __future__ import annotations

import copy

import pytest

from events.jsonl import import_events
from projections.readmodel import read
from projections.rules import Desk, Rules
from service.matrix_in.preview import Preview, RowsRefused, read_matrix, recorded_texts, store_preview
from service.matrix_in.reader import read_file
from tests.conftest import DATA, SAMPLE
from tests.helpers import MATRIX_HEADER, matrix_xlsx

RULES = Rules(
    desks=(
        Desk("kbri-seoul", countries=("KR",)),
        Desk("kbri-tokyo", countries=("JP",)),
        Desk("kbri-pyongyang", countries=("KP",)),
    )
)
LIMIT = 10 * 1024 * 1024
HEADER = MATRIX_HEADER
BALI = [
    "1",
    "Bali",
    "Jeju, Korea Selatan",
    "MoU, 15 Oktober 2001",
    "TIDAK AKTIF",
    "• Pertukaran budaya",
    "Pariwisata, Kebudayaan",
    "Ibu Ratna (+62 812 3620 2858)",
]
DIY = [
    "2",
    "D.I. Yogyakarta",
    "Gyeongsangbuk-do, Korea Selatan",
    "MoU, 24 Februari 2005",
    "AKTIF",
    "• Magang ASN",
    "Pertanian",
    "",
]


def preview_of(pantau, path) -> Preview:
    return read_matrix(
        read_file(path, LIMIT), RULES, pantau.today(), read(pantau.engine).states, texts=recorded_texts(pantau.store)
    )


def version(tmp_path, name: str, day: str, rows: list[list[str]]):
    return matrix_xlsx(tmp_path / name, ["MATRIKS KERJA SAMA SISTER PROVINCE", f"PER {day}"], HEADER, rows)


def test_sample_matrix_stored_once_and_nothing_the_second_time(pantau):
    first = preview_of(pantau, DATA / "matriks-astim-2021-12-27.docx")
    stored = store_preview(pantau.store, first, pantau.today())
    assert stored.added == len(first.events()) and stored.added > 150
    again = preview_of(pantau, DATA / "matriks-astim-2021-12-27.xlsx")
    assert {r.action for r in again.rows} == {"same"} and again.events() == []
    assert store_preview(pantau.store, again, pantau.today()).added == 0
    assert pantau.store.head() == stored.added


def test_a_row_with_an_error_stores_nothing_of_any_row(pantau, tmp_path):
    bad = [*DIY[:3], "MoU, 31 Februari 2005", *DIY[4:]]
    preview = preview_of(pantau, version(tmp_path, "bad.xlsx", "27 DESEMBER 2021", [BALI, bad]))
    assert [p.key for p in preview.errors] == ["wd.no_day"]
    with pytest.raises(RowsRefused):
        store_preview(pantau.store, preview, pantau.today())
    assert pantau.store.head() == 0


def test_later_version_records_exactly_what_changed(pantau, tmp_path):
    store_preview(
        pantau.store, preview_of(pantau, version(tmp_path, "v1.xlsx", "27 DESEMBER 2021", [BALI, DIY])), pantau.today()
    )
    bali = copy.copy(BALI)
    bali[1], bali[2] = "Provinsi Bali", "JEJU-DO , korea selatan"  # spelled otherwise: the same partnership
    bali[3] = "MoU, 15 Oktober 2001\nMoU, 20 Juni 2022"
    bali[4] = "AKTIF"
    bali[5] = "• Pertukaran budaya\n• Kunjungan Gubernur Jeju pada 12 Mei 2022"
    bali[7] = "Bapak Made (+62 811 3333 4444)"
    new = ["3", "Jawa Timur", "Gyeongsangnam-do, Korea Selatan", "", "PENJAJAKAN", "", "", ""]
    later = preview_of(pantau, version(tmp_path, "v2.xlsx", "30 JUNI 2022", [bali, DIY, new]))
    actions = {r.stream: r.action for r in later.rows}
    assert actions == {"bali-jeju": "changed", "diy-gyeongsangbuk-do": "same", "jatim-gyeongsangnam-do": "new"}
    changed = {(e["type"], e["occurred_on"]) for e in later.rows[0].events}
    assert changed == {
        ("AgreementSigned", "2022-06-20"),
        ("StatusAssessed", "2022-06-30"),
        ("NoteAdded", "2022-06-30"),
        ("ContactRemoved", "2022-06-30"),
        ("ContactAssigned", "2022-06-30"),
    }
    removed = next(e for e in later.rows[0].events if e["type"] == "ContactRemoved")
    assert removed["data"] == {"contact_id": "ratna"}
    before = pantau.store.head()
    stored = store_preview(pantau.store, later, pantau.today())
    assert stored.added == len(later.events()) == pantau.store.head() - before
    assert preview_of(pantau, version(tmp_path, "v3.xlsx", "30 JUNI 2022", [bali, DIY, new])).events() == []


def test_partnership_missing_from_a_later_version_is_a_warning_never_an_ending(pantau, tmp_path):
    store_preview(
        pantau.store, preview_of(pantau, version(tmp_path, "v1.xlsx", "27 DESEMBER 2021", [BALI, DIY])), pantau.today()
    )
    later = preview_of(pantau, version(tmp_path, "v2.xlsx", "30 JUNI 2022", [BALI]))
    assert [(p.key, p.params) for p in later.warnings] == [
        ("mi.missing", {"stream": "diy-gyeongsangbuk-do", "name": "D.I. Yogyakarta – Gyeongsangbuk-do"})
    ]
    assert all(e["type"] != "PartnershipEnded" for e in later.events())


def test_sample_matrix_against_the_hand_made_record_finds_it_all_recorded(pantau):
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    preview = preview_of(pantau, DATA / "matriks-astim-2021-12-27.docx")
    # The record turned items into activities, signings and an approval by hand: they are not new
    # notes. Only the lead-in of a list, which the hand-made record left out, is.
    assert [(e["stream"], e["type"], e["data"]) for e in preview.events()] == [
        ("dki-jakarta-seoul", "NoteAdded", {"text": "Program unggulan, yaitu:"})
    ]
    assert {r.stream for r in preview.rows} == {s.stream for s in read(pantau.engine).states}
    assert not preview.warnings


def test_fields_changed_back_and_forth_over_three_versions_each_recorded(pantau, tmp_path):
    bali = list(BALI)
    for day, fields in (
        ("27 DESEMBER 2021", "Pariwisata"),
        ("30 JUNI 2022", "Pendidikan"),
        ("31 DESEMBER 2022", "Pariwisata"),
    ):
        bali[6] = fields
        preview = preview_of(pantau, version(tmp_path, f"{day}.xlsx", day, [bali]))
        store_preview(pantau.store, preview, pantau.today())
    changes = [e for e in pantau.store.stream("bali-jeju") if e.type == "PartnershipDetailsChanged"]
    assert [(str(e.occurred_on), e.data["fields"]) for e in changes] == [
        ("2022-06-30", ["Pendidikan"]),
        ("2022-12-31", ["Pariwisata"]),
    ]


def test_a_preview_gone_stale_is_refused_whole(pantau, tmp_path):
    preview = preview_of(pantau, version(tmp_path, "v1.xlsx", "27 DESEMBER 2021", [BALI]))
    other = copy.deepcopy(preview)
    other.rows[0].events[-1]["data"]["note"] = "edited meanwhile"  # the same id, another body
    store_preview(pantau.store, other, pantau.today())
    with pytest.raises(RowsRefused) as refused:
        store_preview(pantau.store, preview, pantau.today())
    assert [p.key for p in refused.value.problems] == ["mi.conflict"]


def test_imported_items_reach_the_review_queue_a_dated_one_proposed_with_its_date(pantau, tmp_path):
    from service.notes import queue

    bali = list(BALI)
    bali[5] = "• Kunjungan Gubernur Jeju ke Bali pada 12 Mei 2021\n• Pertukaran budaya"
    store_preview(
        pantau.store, preview_of(pantau, version(tmp_path, "v.xlsx", "27 DESEMBER 2021", [bali])), pantau.today()
    )
    proposals = {item.note.text: item.proposal for item in queue(pantau.store, "bali-jeju")}
    visit = proposals["Kunjungan Gubernur Jeju ke Bali pada 12 Mei 2021"]
    assert visit is not None and visit.kind == "visit" and visit.occurred_on == "2021-05-12"
    assert not [e for e in pantau.store.stream("bali-jeju") if e.type == "ActivityLogged"]
