"""The review queue's reading of notes, on real sentences of the sample matrix (KBRI Seoul, 27 Dec 2021)."""

from __future__ import annotations

from datetime import date

import pytest

from projections.notes import (
    ABSENCE,
    ACTIVITY,
    AGREEMENT,
    CONTEXT,
    PLAN,
    classify,
    title,
)
from service.note_dates import NoteDate, note_date

MATRIX_DAY = date(2021, 12, 27)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Pemberian beasiswa ke Seoul untuk 150 orang masyarakat Kota Bau-Bau", "scholarship"),
        ("Pengiriman pelajar/ASN untuk short course di Seoul", "training"),
        (
            "Pengiriman Kepala SDN Kota Surabaya dalam pelatihan pengembangan kapasitas “Principal Capacity "
            "Development Program”.",
            "training",
        ),
        ("Pengiriman guru SMPN Kota Surabaya pada program “Teachers Capacity Development Program”.", "exchange"),
        (
            "Pengiriman 2 orang ASN Jawa Barat ke Jeollanamdo untuk mengikuti program magang di bidang pertanian",
            "exchange",
        ),
        ("Mahasiswa dari Seoul melakukan kegiatan magang di Dinas Informasi dan Komunikasi, Kota Bogor", "exchange"),
        ("Studi tiru pembangunan jembatan Banjir Kanal Barat dengan Water Fountain di Jung-gu.", "visit"),
        ("Pertukaran kunjungan pejabat pemerintahan dan pengusaha lokal.", "visit"),
        ("Bantuan teknis dalam rangka pembangunan pedestrian dan jembatan.", "technical_assistance"),
        ("Pendampingan perencanaan dan pembangunan jalan dan jembatan.", "technical_assistance"),
        ("Saling menghadiri webinar terkait Heritage City", "forum"),
        ("Keikutsertaan Bandung dalam urban workshop.", "forum"),
        ("Pertukaran Budaya melalui Pesta Kesenian Bali dengan menampilkan Tarian Khas Jeju", "festival"),
        ("Kunjungan delegasi kesenian Busan dalam rangka kegiatan Cross Festival di Kota Surabaya.", "festival"),
        (
            "Pertemuan antara Gubernur DKI Jakarta dan Gubernur Gyeonggi dengan minutes of talks berupa tawaran "
            "pelatihan ITC dan pelatihan teknis bagi Eselon 3",
            "meeting",
        ),
        (
            "Telah menyusun Work Plan kegiatan dalam 3 ruang lingkup kerja sama: (1) Pengembangan Ekonomi dan "
            "Pariwisata",
            "working_group",
        ),
    ],
)
def test_a_note_that_records_an_activity_gets_the_kind_its_words_name(text, kind):
    reading = classify(text)
    assert (reading.reading, reading.kind) == (ACTIVITY, kind)


@pytest.mark.parametrize(
    "text, why",
    [
        ("Rencana hibah kendaraan Pemadam Kebakaran dari Provinsi Gyeongsangnam", PLAN),
        ("Akan memproses perpanjangan dokumen perjanjian pada tahun 2022", PLAN),
        ("(Target penandatanganan MOU pada tahun 2021)", PLAN),
        ("Indikasi keinginan Gubernur Gyeongsangnam untuk mengunjungi Jawa Timur", PLAN),
        ("Sebagai follow up akan dibangun smart farming", PLAN),
        (
            "Tidak ada kegiatan kerja sama secara konkrit/belum ada inisiatif dari masing-masing pihak untuk lanjut "
            "ke MoU.",
            ABSENCE,
        ),
        (
            "Tidak ada kegiatan Kerjasama secara konkrit/belum ada inisiatif dari masing-masing pihak untuk lanjut ke "
            "LoI/MoU, namun undangan dari pihak Jeju tetap ada untuk pentas seni dan budaya.",
            ABSENCE,
        ),
        ("Per Oktober 2021, belum ada tindak lanjut.", ABSENCE),
        (
            "Hingga saat ini prosesnya masih tertunda karena kesulitan Pyongyang untuk bawa satwa dari Indonesia.",
            ABSENCE,
        ),
        (
            "3 Sektor Potensial Prov.Chungcheongam: (1) Industri Unggulan [Petrokimia, baja, automobil, dan mesin "
            "layar], (2) Lingkungan Hidup [Pengelolaan Sampah]; dan (3) Pariwisata.",
            CONTEXT,
        ),
        (
            "Fokus Pemda Jabar untuk kerja sama Sister Province Korea Selatan: Gyeongsangbuk-do dan Chungcheongnam-do",
            CONTEXT,
        ),
        ("(sedang dalam proses penyusunan MoU, telah dibahas dalam interkem)", AGREEMENT),
        ("Penandatanganan LOI antara Pemerintah Kota Daegu dan Pemerintah Provinsi Banten", AGREEMENT),
    ],
)
def test_a_plan_an_absence_or_context_gets_no_activity_and_says_which(text, why):
    reading = classify(text)
    assert (reading.reading, reading.kind) == (why, None)
    assert reading.matched  # the reason quotes the words that decided


def test_a_note_with_no_kind_word_reads_as_an_activity_of_kind_other():
    assert classify("Pemberian nama jalan “Surabaya-gil” di Kota Busan.").kind == "other"


def test_a_title_is_the_first_clause_cut_at_a_word():
    assert (
        title("Pemberian beasiswa ke Seoul untuk 150 orang masyarakat Kota Bau-Bau")
        == "Pemberian beasiswa ke Seoul untuk 150 orang masyarakat Kota…"
    )
    assert title("Pengiriman kelompok tari dan kesenian ke Seoul,") == "Pengiriman kelompok tari dan kesenian ke Seoul"
    assert title("Keikutsertaan Bandung dalam urban workshop.") == "Keikutsertaan Bandung dalam urban workshop"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kunjungan delegasi pada 7 Oktober 2016", NoteDate("2016-10-07")),
        ("Pelatihan Oktober 2016 di Seoul", NoteDate("2016-10")),
        ("Pameran dagang tahun 2019", NoteDate("2019")),
        ("Hibah masker Agt 2020", NoteDate("2020-08")),
        ("Program magang 2018–2019", NoteDate("2018", "2019")),
        ("Program magang 2018-2019", NoteDate("2018", "2019")),
    ],
)
def test_a_date_is_read_only_where_the_text_gives_one(text, expected):
    assert note_date(text, MATRIX_DAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Pemberian beasiswa ke Seoul untuk 150 orang masyarakat Kota Bau-Bau",  # no date at all
        "Per Oktober 2021, belum ada tindak lanjut.",  # a cut-off, not when it happened
        "Penataan dan penanganan Kawasan Kumuh (Sarpras) menuju Kota Semarang 0% Kawasan Kumuh pada tahun 2019.",
        "Kunjungan 12 Mei 2013 dan kunjungan balasan Juni 2014",  # two dates: which one?
        "Akan memproses perpanjangan dokumen perjanjian pada tahun 2022",  # after the matrix's day
        "Pelatihan 31 Februari 2019",  # no such day
        "Program 2019–2018",  # a span running backwards
    ],
)
def test_an_ambiguous_or_impossible_date_gives_none_rather_than_a_wrong_one(text):
    assert note_date(text, MATRIX_DAY) is None


def test_a_hostile_megabyte_of_note_is_read_by_its_beginning_only():
    text = "Pengiriman " * 100_000 + "pelajar 2019"
    # The tail (the pupils and the year) is never read: no exchange, no date.
    assert classify(text).kind == "other" and note_date(text, MATRIX_DAY) is None
