"""Reading a desk's matrix: the sample's Word and Excel files give the sample's record; other layouts read alike."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from notifications.translations import translator
from projections.rules import Desk, Rules
from service.matrix_in.preview import Preview, read_matrix
from service.matrix_in.problems import MatrixRefused, Problem
from service.matrix_in.reader import read_bytes, read_file
from tests.conftest import DATA, SAMPLE
from tests.helpers import MATRIX_HEADER, matrix_docx, matrix_xlsx

RULES = Rules(
    desks=(
        Desk("kbri-seoul", countries=("KR",)),
        Desk("kbri-tokyo", countries=("JP",)),
        Desk("kbri-pyongyang", countries=("KP",)),
        Desk("kbri-beijing", countries=("CN",)),
    )
)
TODAY = date(2026, 11, 23)
LIMIT = 10 * 1024 * 1024
HEADER = MATRIX_HEADER
T = translator("id")


def preview_of(path, **options) -> Preview:
    return read_matrix(read_file(path, LIMIT), RULES, TODAY, **options)


def record(events) -> dict[str, dict]:
    """What a person compares per partnership: registration, documents and dates, status, contacts."""
    found: dict[str, dict] = {}
    for e in events:
        s = found.setdefault(e["stream"], {"documents": set(), "status": None, "contacts": set()})
        data = e["data"]
        if e["type"] == "PartnershipRegistered":
            s["kind"], s["indonesia"], s["desk"] = data["kind"], data["indonesia"], data.get("desk")
            s["partner"], s["fields"] = data["partner"], data["fields"]
        elif e["type"] == "AgreementSigned":
            s["documents"].add((data["document"], e["occurred_on"]))
        elif e["type"] == "StatusAssessed":
            s["status"] = data["status"]
        elif e["type"] == "ContactAssigned":
            s["contacts"].add((data["contact_id"], data["name"], data.get("phone")))
    return found


SAMPLE_RECORD = record(json.loads(line) for line in SAMPLE.read_text().splitlines())


@pytest.mark.parametrize("name", ["matriks-astim-2021-12-27.docx", "matriks-astim-2021-12-27.xlsx"])
def test_sample_matrix_gives_the_sample_record(name):
    preview = preview_of(DATA / name)
    assert preview.as_of == date(2021, 12, 27)
    assert not preview.errors
    assert record(preview.events()) == SAMPLE_RECORD  # 32 partnerships, documents, statuses, fields, contacts
    assert len(SAMPLE_RECORD) == 32


def test_sample_matrix_rows_without_a_country_are_taken_as_korean_with_a_warning():
    preview = preview_of(DATA / "matriks-astim-2021-12-27.docx")
    warned = {r.stream: [p.said(T) for p in r.warnings] for r in preview.rows if r.warnings}
    assert set(warned) == {"jabar-incheon", "jabar-chungcheongnam-do"}
    assert "Korea Selatan" in warned["jabar-incheon"][0]


def test_development_items_are_notes_on_the_matrix_date_never_activities():
    preview = preview_of(DATA / "matriks-astim-2021-12-27.docx")
    types = Counter(e["type"] for e in preview.events())
    assert "ActivityLogged" not in types
    semarang = [e for e in preview.events() if e["stream"] == "kota-semarang-junggu" and e["type"] == "NoteAdded"]
    assert len(semarang) == 14 and {e["occurred_on"] for e in semarang} == {"2021-12-27"}
    target = [
        e["data"]["text"]
        for e in preview.events()
        if e["stream"] == "jabar-chungcheongnam-do" and e["type"] == "NoteAdded"
    ]
    assert "(Target penandatanganan MOU pada tahun 2021)" in target


def test_same_matrix_gives_the_same_event_ids():
    first = [e["id"] for e in preview_of(DATA / "matriks-astim-2021-12-27.docx").events()]
    again = [e["id"] for e in preview_of(DATA / "matriks-astim-2021-12-27.docx").events()]
    assert first == again and len(set(first)) == len(first)


SHUFFLED = [
    "CONTACT PERSON",
    "STATUS KEAKTIFAN",
    "MITRA",
    "NEGARA",
    "BENTUK DAN TANGGAL DOKUMEN",
    "NAMA DAERAH",
    "KETERANGAN",
    "BIDANG",
]


def test_shuffled_columns_and_other_heading_words_read_the_same(tmp_path):
    rows = [
        [
            "Ibu Sari (sari@jatengprov.go.id)",
            "Aktif",
            "Hubei",
            "RRT",
            "MoU, 14 September 2009\nMoU 2014 (diperpanjang 2019)",
            "Jawa Tengah",
            "• Kunjungan delegasi Hubei pada 12 Mei 2019\n• Pertukaran pelajar",
            "Pendidikan, Pariwisata",
        ],
    ]
    path = matrix_xlsx(
        tmp_path / "jateng.xlsx", ["MATRIKS KERJA SAMA SISTER PROVINCE", "Keadaan 31 Desember 2020"], SHUFFLED, rows
    )
    preview = preview_of(path)
    assert preview.as_of == date(2020, 12, 31) and not preview.errors
    (row,) = preview.rows
    assert row.stream == "jateng-hubei"
    by_type = {e["type"]: e for e in row.events}
    assert by_type["PartnershipRegistered"]["data"]["partner"] == {"name": "Hubei", "level": "city", "country": "CN"}
    assert by_type["PartnershipRegistered"]["data"]["desk"] == "kbri-beijing"
    assert by_type["ContactAssigned"]["data"] == {
        "contact_id": "sari",
        "name": "Ibu Sari",
        "side": "indonesia",
        "email": "sari@jatengprov.go.id",
    }
    signed = sorted((e["data"]["document"], e["occurred_on"]) for e in row.events if e["type"] == "AgreementSigned")
    assert signed == [("MoU", "2009-09-14"), ("MoU", "2014")]
    (renewal,) = [e for e in row.events if e["type"] == "AgreementRenewed"]
    assert renewal["occurred_on"] == "2019" and renewal["data"]["agreement_id"] == "mou-2014"
    notes = [e["data"]["text"] for e in row.events if e["type"] == "NoteAdded"]
    assert notes == ["Kunjungan delegasi Hubei pada 12 Mei 2019", "Pertukaran pelajar"]


def test_region_list_without_an_indonesian_column_takes_the_region_of_its_title(tmp_path):
    header = ["NO", "KOTA MITRA", "NEGARA", "DOKUMEN", "STATUS", "CATATAN"]
    rows = [
        ["1", "Pref. Kumamoto", "Jepang", "LoI, Maret 2019", "PENJAJAKAN", "Rencana MoU tahun 2024"],
        ["2", "Wollongong", "Australia", "MoU, 2012", "TIDAK AKTIF", ""],
    ]
    path = matrix_docx(
        tmp_path / "jatim.docx",
        [(["DAFTAR KERJA SAMA LUAR NEGERI PEMERINTAH PROVINSI JAWA TIMUR", "Per Juni 2023"], header, rows)],
        number_row=True,
    )
    preview = preview_of(path)
    assert preview.as_of == date(2023, 6, 30)
    assert [r.stream for r in preview.rows] == ["jatim-kumamoto", "jatim-wollongong"]
    registered = [e["data"] for e in preview.events() if e["type"] == "PartnershipRegistered"]
    assert {r["indonesia"]["name"] for r in registered} == {"Jawa Timur"}
    assert [r["partner"]["country"] for r in registered] == ["JP", "AU"]
    assert [r["partner"]["level"] for r in registered] == ["province", "city"]
    kumamoto = [e for e in preview.events() if e["stream"] == "jatim-kumamoto"]
    assert ("AgreementSigned", "2019-03") in {(e["type"], e["occurred_on"]) for e in kumamoto}
    assert "ExplorationStarted" in {e["type"] for e in kumamoto}


def test_region_given_on_the_command_line_names_the_indonesian_side(tmp_path):
    path = matrix_xlsx(
        tmp_path / "r.xlsx",
        ["MATRIKS KERJA SAMA", "PER 1 MEI 2022"],
        ["NO", "MITRA", "NEGARA", "STATUS"],
        [["1", "Penang", "Malaysia", "AKTIF"]],
    )
    preview = preview_of(path, region="Sumatera Utara")
    (event,) = [e for e in preview.events() if e["type"] == "PartnershipRegistered"]
    assert event["data"]["indonesia"] == {"name": "Sumatera Utara", "level": "province", "province": "Sumatera Utara"}
    assert event["stream"] == "sumut-penang"


def test_csv_with_semicolons_and_its_header_below_title_rows(tmp_path):
    text = (
        "MATRIKS KERJA SAMA SISTER CITY;;;;\nPER 27 DESEMBER 2021;;;;\n;;;;\n"
        "NO;DAERAH;DAERAH MITRA;DOKUMEN;STATUS KEAKTIFAN\n"
        '1;Kota Medan, Sumatera Utara;"Gwangju, Korea Selatan";MoU, 1 Mei 1997;Kurang Aktif\n'
    )
    path = tmp_path / "medan.csv"
    path.write_text(text, encoding="utf-8")
    preview = preview_of(path)
    (row,) = preview.rows
    assert row.stream == "kota-medan-gwangju" and not row.errors
    registered = row.events[0]["data"]
    assert registered["kind"] == "sister_city"
    assert registered["indonesia"] == {"name": "Kota Medan", "level": "city", "province": "Sumatera Utara"}
    assert {e["data"].get("status") for e in row.events} >= {"kurang_aktif"}


def test_merged_cells_repeat_the_indonesian_side_down_the_rows(tmp_path):
    import openpyxl

    path = matrix_xlsx(
        tmp_path / "m.xlsx",
        ["MATRIKS KERJA SAMA SISTER PROVINCE", "PER 27 DESEMBER 2021"],
        HEADER,
        [
            ["1", "Jawa Barat", "Gyeonggi-do, Korea Selatan", "", "AKTIF", "", "", ""],
            ["2", "", "Jeju, Korea Selatan", "", "AKTIF", "", "", ""],
        ],
    )
    book = openpyxl.load_workbook(path)
    header_row = 4
    book.active.merge_cells(start_row=header_row + 1, start_column=2, end_row=header_row + 2, end_column=2)
    book.save(path)
    preview = preview_of(path)
    assert [r.stream for r in preview.rows] == ["jabar-gyeonggi-do", "jabar-jeju"]


def test_several_tables_each_under_its_own_title_numbered_from_one(tmp_path):
    path = matrix_docx(
        tmp_path / "two.docx",
        [
            (
                ["MATRIKS KERJA SAMA SISTER PROVINCE", "PER 1 JULI 2022"],
                HEADER,
                [["1", "Bali", "Jeju, Korea Selatan", "", "", "", "", ""]],
            ),
            (
                ["MATRIKS KERJA SAMA SISTER CITY"],
                ["NO.", "KOTA/KABUPATEN INDONESIA", *HEADER[2:]],
                [["1", "Kota Denpasar", "Gyeongju, Korea Selatan", "", "", "", "", ""]],
            ),
        ],
    )
    preview = preview_of(path)
    kinds = {e["stream"]: e["data"]["kind"] for e in preview.events() if e["type"] == "PartnershipRegistered"}
    assert kinds == {"bali-jeju": "sister_province", "kota-denpasar-gyeongju": "sister_city"}
    assert preview.as_of == date(2022, 7, 1)


# -- bad input -----------------------------------------------------------------------------------


def refused_key(content: bytes, name: str, limit: int = LIMIT) -> str:
    with pytest.raises(MatrixRefused) as refused:
        grid = read_bytes(content, name, limit)
        read_matrix(grid, RULES, TODAY)
    return refused.value.problem.key


def test_a_file_that_is_no_matrix_is_refused(tmp_path):
    path = matrix_docx(tmp_path / "letter.docx", [(["Surat undangan"], ["Nama", "Alamat"], [["Budi", "Jakarta"]])])
    assert refused_key(path.read_bytes(), "letter.docx") == "mi.no_header"
    assert "baris judul kolom" in Problem("mi.no_header").said(T)


def test_old_word_password_protected_and_oversized_files_are_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert refused_key(ole, "matriks.doc") == "mi.old_format"
    assert refused_key(ole + "EncryptedPackage".encode("utf-16-le"), "matriks.docx") == "mi.password"
    assert refused_key(b"x" * 2048, "matriks.xlsx", limit=1024) == "mi.too_large"
    assert refused_key(b"not a zip at all", "matriks.xlsx") == "mi.damaged"
    assert refused_key(b"%PDF-1.4", "matriks.pdf") == "mi.old_format"


def test_an_empty_table_is_refused(tmp_path):
    path = matrix_xlsx(tmp_path / "e.xlsx", ["MATRIKS"], HEADER, [])
    assert refused_key(path.read_bytes(), "e.xlsx") == "mi.no_rows"


def test_bad_rows_are_named_by_row_and_column_in_indonesian(tmp_path):
    rows = [
        ["1", "Bali", "", "MoU, 2010", "AKTIF", "", "", ""],
        ["2", "Bali", "Jeju, Korea Selatan", "MoU, 31 Februari 2010", "AKTIF", "", "", ""],
        ["3", "Bali", "Atlantis", "", "AKTIF", "", "", ""],
    ]
    header = [*HEADER, "NEGARA"]
    rows[2].append("Narnia")
    rows.append(["4", "", "", "", "", "", "", "", ""])  # a spare numbered row of the template: skipped
    path = matrix_xlsx(tmp_path / "bad.xlsx", ["MATRIKS KERJA SAMA", "PER 1 MEI 2022"], header, rows)
    preview = preview_of(path)
    said = [p.said(T) for p in preview.errors]
    assert said == [
        "baris 5, kolom MITRA: nama mitra tidak diisi",
        "baris 6, kolom DOKUMEN PERJANJIAN: tanggal 31 Februari 2010 tidak ada",
        'baris 7, kolom NEGARA: "Narnia" bukan nama negara',
    ]


def test_a_partner_country_that_is_not_one_is_an_error_when_no_row_names_a_country(tmp_path):
    path = matrix_xlsx(
        tmp_path / "c.xlsx", ["MATRIKS"], HEADER, [["1", "Bali", "Atlantis, Narnia", "", "", "", "", ""]]
    )
    (row,) = preview_of(path).rows
    assert [p.key for p in row.errors] == ["mi.country_unknown"]


def test_separate_province_city_and_date_columns(tmp_path):
    header = [
        "NO",
        "PROVINSI",
        "KOTA/KABUPATEN",
        "KOTA MITRA",
        "NEGARA",
        "JENIS DOKUMEN",
        "TANGGAL PENANDATANGANAN",
        "MASA BERLAKU",
        "STATUS",
    ]
    rows = [
        ["1", "Jawa Barat", "Kota Bandung", "Braunschweig", "Jerman", "MoU", "14/03/2019", "5 tahun", "Aktif"],
        ["2", "Jawa Barat", "", "Gyeonggi-do", "Korea Selatan", "LoI", "Maret 2019", "", "Belum aktif"],
        ["3", "Bali", "Kabupaten Badung", "Kota Nanning", "RRT", "MoA", "2015", "2020", "Kurang Aktif"],
    ]
    path = matrix_xlsx(tmp_path / "cols.xlsx", ["DAFTAR KERJA SAMA", "Keadaan 31 Desember 2022"], header, rows)
    preview = preview_of(path)
    assert not preview.errors
    streams = [r.stream for r in preview.rows]
    assert streams == ["kota-bandung-braunschweig", "jabar-gyeonggi-do", "kabupaten-badung-nanning"]
    registered = {e["stream"]: e["data"] for e in preview.events() if e["type"] == "PartnershipRegistered"}
    assert registered["kota-bandung-braunschweig"]["indonesia"] == {
        "name": "Kota Bandung",
        "level": "city",
        "province": "Jawa Barat",
    }
    assert registered["kota-bandung-braunschweig"]["kind"] == "sister_city"
    assert registered["jabar-gyeonggi-do"]["kind"] == "sister_province"
    assert registered["kabupaten-badung-nanning"]["partner"]["country"] == "CN"
    signed = {e["stream"]: (e["occurred_on"], e["data"]) for e in preview.events() if e["type"] == "AgreementSigned"}
    assert (
        signed["kota-bandung-braunschweig"][0] == "2019-03-14"
        and signed["kota-bandung-braunschweig"][1]["term_years"] == 5
    )
    assert signed["jabar-gyeonggi-do"][0] == "2019-03"
    assert (
        signed["kabupaten-badung-nanning"][1]["document"] == "MoA"
        and signed["kabupaten-badung-nanning"][1]["valid_until"] == "2020"
    )
    statuses = {e["stream"]: e["data"]["status"] for e in preview.events() if e["type"] == "StatusAssessed"}
    assert statuses == {
        "kota-bandung-braunschweig": "aktif",
        "jabar-gyeonggi-do": "tidak_aktif",
        "kabupaten-badung-nanning": "kurang_aktif",
    }


def test_english_headings_and_dates_and_a_span_of_validity(tmp_path):
    header = [
        "No",
        "Province",
        "Partner",
        "Country",
        "Agreement",
        "Status",
        "Remarks",
        "Areas of cooperation",
        "Contact",
    ]
    rows = [
        [
            "1",
            "Sulawesi Utara",
            "Davao City",
            "Philippines",
            "MoU September 14, 2009\nMoU 2016–2021",
            "Active",
            "- Exchange of students",
            "Trade; Tourism",
            "Mr. Budi, budi@sulutprov.go.id",
        ]
    ]
    path = matrix_docx(tmp_path / "en.docx", [(["SISTER PROVINCE MATRIX", "As of 1 June 2023"], header, rows)])
    (row,) = preview_of(path).rows
    assert not row.errors and row.stream == "sulut-davao"
    signed = sorted(
        (e["occurred_on"], e["data"].get("valid_until")) for e in row.events if e["type"] == "AgreementSigned"
    )
    assert signed == [("2009-09-14", None), ("2016", "2021")]
    data = {e["type"]: e["data"] for e in row.events}
    assert data["PartnershipRegistered"]["partner"]["country"] == "PH"
    assert data["PartnershipRegistered"]["fields"] == ["Trade", "Tourism"]
    assert data["ContactAssigned"]["email"] == "budi@sulutprov.go.id" and data["StatusAssessed"]["status"] == "aktif"


def test_group_rows_of_a_province_inside_the_table_name_the_indonesian_side(tmp_path):
    header = ["NO", "DAERAH", "MITRA", "NEGARA", "STATUS"]
    rows = [
        ["", "JAWA TENGAH", "", "", ""],
        ["1", "", "Hubei", "RRT", "AKTIF"],
        ["", "BALI", "", "", ""],
        ["1", "Kota Denpasar", "Mossel Bay", "Afrika Selatan", "AKTIF"],
    ]
    path = matrix_xlsx(tmp_path / "g.xlsx", ["MATRIKS KERJA SAMA", "PER 1 MEI 2022"], header, rows)
    preview = preview_of(path)
    assert [r.stream for r in preview.rows] == ["jateng-hubei", "kota-denpasar-mossel-bay"]
    assert not preview.errors


def test_a_matrix_dated_after_today_is_refused(tmp_path):
    path = matrix_xlsx(
        tmp_path / "f.xlsx",
        ["MATRIKS", "PER 1 JANUARI 2030"],
        HEADER,
        [["1", "Bali", "Jeju, Korea Selatan", "", "", "", "", ""]],
    )
    with pytest.raises(MatrixRefused) as refused:
        preview_of(path)
    assert refused.value.problem.said(T) == "tanggal matriks 2030-01-01 sesudah hari ini"


def test_a_tokyo_desk_matrix_with_its_own_heading_words(tmp_path):
    header = ["No", "Pemda Indonesia", "Pemda Jepang", "Dokumen", "Status", "Keterangan", "Bidang", "Narahubung"]
    rows = [
        [
            "1",
            "Provinsi Jawa Tengah",
            "Prefektur Kumamoto",
            "MoU No. 12/2019 tanggal 3 Maret 2019",
            "Aktif\n(menurut Pantau: KURANG AKTIF)",
            "1. Pertukaran pelajar SMA\n2. Kunjungan Gubernur Kumamoto, Juli 2022",
            "Pendidikan; Pertanian",
            "Sdr. Andi – Kasubbag KSLN – 0812-3456-7890",
        ],
        [
            "2",
            "Kota Surabaya",
            "Kochi-shi, Prefektur Kochi",
            "Letter of Intent (LoI) ditandatangani 5 Mei 2015",
            "Tidak Aktif",
            "",
            "",
            "",
        ],
    ]
    path = matrix_docx(
        tmp_path / "tokyo.docx",
        [(["MATRIKS KERJA SAMA SISTER CITY/PROVINCE INDONESIA – JEPANG", "Update: 30 Juni 2023"], header, rows)],
    )
    preview = preview_of(path)
    assert preview.as_of == date(2023, 6, 30) and not preview.errors
    assert [r.stream for r in preview.rows] == ["jateng-kumamoto", "kota-surabaya-kochi-shi"]
    first = {e["type"]: e for e in preview.rows[0].events}
    assert first["PartnershipRegistered"]["data"]["partner"] == {
        "name": "Prefektur Kumamoto",
        "level": "province",
        "country": "JP",
    }
    assert first["PartnershipRegistered"]["data"]["desk"] == "kbri-tokyo"
    assert first["AgreementSigned"]["occurred_on"] == "2019-03-03"
    assert first["StatusAssessed"]["data"] == {"status": "aktif", "note": "Aktif"}
    assert (
        first["ContactAssigned"]["data"]["name"] == "Sdr. Andi"
        and first["ContactAssigned"]["data"]["role"] == "Kasubbag KSLN"
    )
    notes = [e["data"]["text"] for e in preview.rows[0].events if e["type"] == "NoteAdded"]
    assert notes == ["Pertukaran pelajar SMA", "Kunjungan Gubernur Kumamoto, Juli 2022"]
    second = {e["type"]: e for e in preview.rows[1].events}
    assert second["PartnershipRegistered"]["data"]["partner"]["name"] == "Kochi-shi"
    assert second["PartnershipRegistered"]["data"]["indonesia"]["province"] == "Jawa Timur"
    assert (second["AgreementSigned"]["data"]["document"], second["AgreementSigned"]["occurred_on"]) == (
        "LoI",
        "2015-05-05",
    )


def test_a_regional_bureau_list_naming_the_second_party(tmp_path):
    header = [
        "NO",
        "NAMA KERJA SAMA",
        "PIHAK KEDUA",
        "NEGARA",
        "NOMOR DAN TANGGAL NASKAH",
        "JANGKA WAKTU",
        "STATUS",
        "KETERANGAN",
    ]
    rows = [["1", "Sister Province", "Provinsi Hubei", "Tiongkok (RRT)", "MoU, 15 Juli 2014", "5 tahun", "AKTIF", ""]]
    path = matrix_xlsx(
        tmp_path / "jateng.xlsx",
        ["DAFTAR KERJA SAMA LUAR NEGERI PEMERINTAH PROVINSI JAWA TENGAH", "TAHUN 2023"],
        header,
        rows,
    )
    preview = preview_of(path)
    (row,) = preview.rows
    assert not row.errors and row.stream == "jateng-hubei"
    signed = next(e for e in row.events if e["type"] == "AgreementSigned")
    assert signed["occurred_on"] == "2014-07-15" and signed["data"]["term_years"] == 5
    assert next(e for e in row.events if e["type"] == "PartnershipRegistered")["data"]["partner"]["country"] == "CN"


def test_a_workbook_of_several_sheets_names_the_sheet_of_a_bad_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Provinsi"
    for row in (
        ["MATRIKS KERJA SAMA SISTER PROVINCE"],
        ["PER 1 MEI 2022"],
        HEADER,
        ["1", "Bali", "Jeju, Korea Selatan"],
    ):
        first.append(row)
    second = book.create_sheet("Kota")
    for row in (["MATRIKS KERJA SAMA SISTER CITY"], HEADER, ["1", "Kota Denpasar", ""]):
        second.append(row)
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    preview = preview_of(path)
    assert [r.sheet for r in preview.rows] == ["Provinsi", "Kota"]
    assert [p.said(T) for p in preview.errors] == ["lembar Kota, baris 3, kolom MITRA: nama mitra tidak diisi"]
    assert preview.as_json(T)["rows"][1]["sheet"] == "Kota"


def test_a_desk_given_is_kept_for_every_row_with_a_warning_where_the_rules_say_another(tmp_path):
    preview = preview_of(DATA / "matriks-astim-2021-12-27.docx", desk="kbri-seoul")
    desks = {e["data"]["desk"] for e in preview.events() if e["type"] == "PartnershipRegistered"}
    assert desks == {"kbri-seoul"}
    warned = {r.stream: [p.key for p in r.warnings] for r in preview.rows if r.warnings}
    assert warned["dki-jakarta-tokyo"] == ["mi.other_desk"] and warned["dki-jakarta-pyongyang"] == ["mi.other_desk"]


def test_word_table_with_its_title_in_a_merged_first_row_and_a_province_merged_down(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=5, cols=len(HEADER))
    title = table.cell(0, 0).merge(table.cell(0, len(HEADER) - 1))
    title.text = "MATRIKS KERJA SAMA SISTER PROVINCE PER 1 MEI 2022"
    for i, heading in enumerate(HEADER):
        table.cell(1, i).text = heading
    table.cell(2, 1).merge(table.cell(4, 1)).text = "Jawa Barat"
    for r, partner in ((2, "Gyeonggi-do, Korea Selatan"), (3, "Jeju, Korea Selatan"), (4, "Osaka, Jepang")):
        table.cell(r, 0).text = f"{r - 1}."
        table.cell(r, 2).text = partner
    path = tmp_path / "merged.docx"
    document.save(path)
    preview = preview_of(path)
    assert preview.as_of == date(2022, 5, 1) and not preview.errors
    assert [r.stream for r in preview.rows] == ["jabar-gyeonggi-do", "jabar-jeju", "jabar-osaka"]
    kinds = {e["data"]["kind"] for e in preview.events() if e["type"] == "PartnershipRegistered"}
    assert kinds == {"sister_province"}
