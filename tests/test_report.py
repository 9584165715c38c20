"""The yearly report (Laporan Hasil Kerja Sama) and the scorecard beside it, opened as a reader would."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from projections.partnership import fold
from projections.rules import Desk, Region, Rules
from projections.scorecard import scorecard
from service.report import HEADINGS, NUMBERED, build, tanggal, to_docx, uang
from tests.api_fixtures import build as build_api
from tests.helpers import activity, contact, registered, retracted, signed
from tests.lifecycle_events import draft, note, planned, step

RULES = Rules(desks=(Desk("kbri-seoul", "KBRI Seoul", None, ("KR",)),))
HISTORY = [
    registered(),
    signed("2016-10-07", "mou-2016"),
    signed("2022-03-01", "moa-2022", "MoA", term_years=3),
    contact("2020-01-01", email="putri@example.go.id"),
    draft("2023-01-10", draft_id="mou-2023", title="MoU kota cerdas"),
    step("2023-02-01", "kajian", draft_id="mou-2023"),
    planned("2022-12-01", "2023-youth", 2023, budget={"amount": 150000000, "currency": "IDR", "source": "APBD"}),
    planned("2022-12-01", "2023-expo", 2023, "festival"),
    activity(
        "2023-08-14",
        "exchange",
        "a-youth",
        plan_id="2023-youth",
        results="24 siswa belajar di Seoul",
        beneficiaries="siswa SMA",
        beneficiary_count=24,
        funding={"amount": 150000000, "currency": "IDR", "source": "APBD"},
    ),
    activity("2023-03-02", "meeting", "a-meet", funding={"amount": 20000000, "currency": "IDR", "source": "APBD"}),
    activity("2023-04-02", "forum", "a-gone"),
    retracted("a-gone", "2023-04-03"),
    note("2023-10-01", "Visa peserta terlambat", "obstacle"),
    note("2023-11-01", "Ekspo dipindah ke 2024", "follow_up"),
]


def _opened(history, year: int) -> Document:
    return Document(io.BytesIO(to_docx(build(fold(history), year, RULES))))


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def _text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_indonesian_dates_and_amounts():
    assert tanggal("2016-10-07") == "7 Oktober 2016" and tanggal("2023-08") == "Agustus 2023"
    assert uang(150000000.0, "IDR") == "Rp 150.000.000"


def test_the_nine_headings_in_order_and_the_year_filled_from_the_record():
    document = _opened(HISTORY, 2023)
    assert _headings(document) == list(NUMBERED) and len(HEADINGS) == 9
    text = _text(document)
    assert "Kota Bandung (Jawa Barat) – Seoul (Korea Selatan) Tahun 2023" in text
    assert "diikuti oleh KBRI Seoul" in text
    assert "7 Oktober 2016" in text and "telah berakhir" in text and "berlaku" in text  # mou lapsed, moa in force
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert rows[1:] == [
        ["2 Maret 2023", "Pertemuan", "meeting", "—"],
        ["14 Agustus 2023", "Pertukaran", "exchange", "24 siswa belajar di Seoul"],
    ]
    assert "tingkat realisasi 50%" in text
    assert "Jumlah penerima manfaat yang tercatat: 24 orang." in text
    assert "Rp 170.000.000" in text  # the year's funding from APBD, summed
    assert "1 Oktober 2023: Visa peserta terlambat" in text
    assert "1 November 2023: Ekspo dipindah ke 2024" in text and "2023-expo" in text
    assert "bagian ini perlu dilengkapi oleh biro" in text  # the aims the record cannot give


def test_a_year_without_events_gives_a_report_that_says_so():
    document = _opened(HISTORY, 2019)
    assert _headings(document) == list(NUMBERED)
    text = _text(document)
    assert "tidak memuat peristiwa apa pun pada tahun 2019" in text
    assert "Tidak ada kegiatan yang tercatat pada tahun 2019." in text


def test_a_desk_without_a_configured_name_is_named_not_coded():
    text = _text(Document(io.BytesIO(to_docx(build(fold(HISTORY), 2023, Rules())))))
    assert "diikuti oleh KBRI Seoul" in text and "kbri-seoul" not in text


def test_the_report_converts_to_pdf_with_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed here: the conversion to PDF cannot be checked")
    source = tmp_path / "laporan.docx"
    source.write_bytes(to_docx(build(fold(HISTORY), 2023, RULES)))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "laporan.pdf").read_bytes().startswith(b"%PDF")


def test_the_scorecard_states_facts_with_their_sources_and_no_single_score():
    lines = {line["indicator"]: line for line in scorecard(fold(HISTORY), 2023, RULES)["lines"]}
    assert [line["dimension"] for line in scorecard(fold(HISTORY), 2023, RULES)["lines"]] == ["input"] * 3 + [
        "process"
    ] * 2 + ["output"] * 3
    assert lines["agreements_in_force"]["value"] == 1
    assert lines["agreements_in_force"]["sources"] == [
        {"type": "AgreementSigned", "id": "moa-2022", "on": "2022-03-01"}
    ]
    assert lines["plan_items"]["value"] == 2
    assert lines["planned_budget"]["value"] == [{"currency": "IDR", "source": "APBD", "amount": 150000000.0}]
    assert [s["id"] for s in lines["meetings_held"]["sources"]] == ["a-meet"]
    assert lines["contacts_current"]["sources"] == [{"type": "ContactAssigned", "id": "putri", "on": "2020-01-01"}]
    assert lines["activities_realised"]["value"] == 2 and lines["activities_realised"]["realisation_rate"] == 0.5
    assert lines["beneficiaries"]["value"] == 24 and lines["results_recorded"]["value"] == 1
    assert "score" not in scorecard(fold(HISTORY), 2023, RULES)


@pytest.fixture
def api(database, engine, clock):
    client = build_api(database, engine, clock)
    client.pantau.store.append(HISTORY[3:])
    with client.client:
        yield client


def test_the_api_serves_the_report_and_adds_the_scorecard_to_the_status(api):
    response = api.get("/api/partnerships/kota-bandung-seoul/report/2023.docx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "laporan-kota-bandung-seoul-2023.docx" in response.headers["content-disposition"]
    assert _headings(Document(io.BytesIO(response.content))) == list(NUMBERED)
    assert api.get("/api/partnerships/no-such-thing/report/2023.docx").status_code == 404
    [row] = api.get("/api/status", params={"as_of": "2023-12-31"}).json()
    assert row["scorecard"]["year"] == 2023 and row["stage"] == "formal"  # the existing keys stay
    assert api.get("/api/partnerships/kota-bandung-seoul/scorecard/2023").json() == row["scorecard"]


JABAR = Region(
    "Kota Bandung",
    government="Pemerintah Kota Bandung",
    office="Sekretariat Daerah, Bagian Kerja Sama",
    address="Jalan Wastukancana No. 2, Bandung 40117",
    place="Bandung",
    signer="Kepala Bagian Kerja Sama",
    signer_name="Dra. Siti Rahayu",
    number="000.5.5/17/Bag.KS/{year}",
)
SIGNED_RULES = Rules(desks=RULES.desks, regions=(JABAR,))


def _signed_report(history=HISTORY, rules=SIGNED_RULES) -> Document:
    return Document(io.BytesIO(to_docx(build(fold(history), 2023, rules, date(2024, 1, 15)))))


def test_the_report_is_an_a4_letter_with_letterhead_title_number_and_numbered_sections():
    document = _signed_report()
    page = document.sections[0]
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    lines = [p.text for p in document.paragraphs]
    assert lines[:4] == [
        "PEMERINTAH KOTA BANDUNG",
        "Sekretariat Daerah, Bagian Kerja Sama",
        "Jalan Wastukancana No. 2, Bandung 40117",
        "Laporan Hasil Kerja Sama Kota Kembar (Sister City) Kota Bandung (Jawa Barat) – Seoul (Korea Selatan) Tahun 2023",
    ]
    first_heading = next(p for p in document.paragraphs if p.style.name.startswith(("Title", "Heading")))
    assert first_heading.text.startswith("Laporan Hasil Kerja Sama") and first_heading.style.name == "Title"
    assert "Nomor: 000.5.5/17/Bag.KS/2024" in lines
    assert _headings(document) == [f"{n}. {h}" for n, h in enumerate(HEADINGS, 1)]


def test_the_report_ends_with_place_date_and_the_signature_block():
    lines = [p.text for p in _signed_report().paragraphs]
    tail = lines[lines.index("Bandung, 15 Januari 2024") :]
    assert tail == [
        "Bandung, 15 Januari 2024",
        "Kepala Bagian Kerja Sama,",
        "",
        "",
        "",
        "Dra. Siti Rahayu",
        "NIP. …………………",
    ]


def test_a_region_without_rules_gets_a_letterhead_written_from_its_name():
    lines = [p.text for p in _signed_report(rules=RULES).paragraphs]
    assert lines[0] == "PEMERINTAH KOTA BANDUNG" and "Bandung, 15 Januari 2024" in lines
    assert "Wali Kota Bandung," in lines and "Nomor: …………………/…………………/2024" in lines


def test_the_document_is_written_by_pantau_or_the_desk_never_the_library():
    properties = _signed_report().core_properties
    assert properties.author == "KBRI Seoul" and properties.last_modified_by == "KBRI Seoul"
    assert "python-docx" not in " ".join([properties.author, properties.comments, properties.last_modified_by])
    assert _signed_report(rules=Rules(regions=(JABAR,))).core_properties.author == "KBRI Seoul"  # named from its id


def test_plan_items_by_name_and_participants_counted_as_beneficiaries():
    history = [
        *HISTORY,
        planned("2022-12-01", "rkt-2023-03", 2023, "training", title="Pelatihan tata kota"),
        activity("2023-09-01", "visit", "a-visit", title="Kunjungan delegasi Seoul", participants=13),
    ]
    text = _text(_signed_report(history))
    assert "Pelatihan tata kota" in text and "rkt-2023-03" not in text
    assert "Kunjungan delegasi Seoul" in text and "peserta kegiatan" in text
    assert "Jumlah penerima manfaat yang tercatat: 37 orang." in text  # 24 named + 13 who took part
    assert "a-meet" not in text and "mou-2016" not in text  # activities and agreements by name, not id
