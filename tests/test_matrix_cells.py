"""The cells of a matrix read one by one: documents, contacts, partners, the Indonesian side, items."""

from __future__ import annotations

import pytest

from service.matrix_in.contacts import read_contacts
from service.matrix_in.countries import country_code
from service.matrix_in.documents import read_documents
from service.matrix_in.items import items
from service.matrix_in.places import indonesian, partner_level


def signed(*lines: str) -> list[tuple]:
    cell = read_documents(lines)
    return [
        (d.document, str(d.signed_on), d.renewed_on and str(d.renewed_on), d.valid_until and str(d.valid_until))
        for d in cell.documents
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("LoI, 14 September 2009",), [("LoI", "2009-09-14", None, None)]),
        (("MoU, 26 April 2001",), [("MoU", "2001-04-26", None, None)]),
        (("LoI, 2012",), [("LoI", "2012", None, None)]),
        (("MoU 2016 (diperpanjang 2021)",), [("MoU", "2016", "2021", None)]),
        (("LoI, 2010", "MoU, 14/03/2019"), [("LoI", "2010", None, None), ("MoU", "2019-03-14", None, None)]),
        (("MoU No. 12/2019 tanggal 3 Maret 2019",), [("MoU", "2019-03-03", None, None)]),
        (("Nota Kesepahaman, 5 Mei 2015 (berlaku s.d. 2020)",), [("MoU", "2015-05-05", None, "2020")]),
        (("Rencana Aksi 2020-2022",), [("ActionPlan", "2020", None, "2022")]),
        (("(Target penandatanganan MOU pada tahun 2021)",), []),
        (("Persetujuan DPRD 27 Agustus 2021",), []),
        (("sedang dalam proses penyusunan MoU",), []),
    ],
)
def test_documents_named_in_a_cell(lines, expected):
    assert signed(*lines) == expected


def test_targets_and_processes_are_notes_and_a_day_that_does_not_exist_a_problem():
    cell = read_documents(("LoI, 6 Mei 2018", "(sedang dalam proses penyusunan MoU, telah dibahas dalam interkem)"))
    assert cell.notes == ["(sedang dalam proses penyusunan MoU, telah dibahas dalam interkem)"]
    assert [p.key for p in read_documents(("MoU, 31 Februari 2010",)).problems] == ["wd.no_day"]
    assert read_documents(("Penjajakan",)).exploring


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("Ibu Putri", "(+62 812 2272 2353)"), [("putri", "Ibu Putri", "+62 812 2272 2353", None)]),
        (("Rosmelini", "+62 852-2189-4253"), [("rosmelini", "Rosmelini", "+62 852-2189-4253", None)]),
        (
            ("Ibu Ani (ani@jabarprov.go.id, HP 0812-1111-2222); Bapak Budi, budi@x.go.id",),
            [("ani", "Ibu Ani", "0812-1111-2222", "ani@jabarprov.go.id"), ("budi", "Bapak Budi", None, "budi@x.go.id")],
        ),
        (("Dr. Siti Rahma, M.Si", "siti@bali.go.id"), [("siti-rahma", "Dr. Siti Rahma M.Si", None, "siti@bali.go.id")]),
        (("Putri – 081222723353",), [("putri", "Putri", "081222723353", None)]),
    ],
)
def test_contacts_with_name_phone_and_mail_recognised(lines, expected):
    assert [(p.contact_id, p.name, p.phone, p.email) for p in read_contacts(lines)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kota Batam, Kepulauan Riau", ("Kota Batam", "city", "Kepulauan Riau")),
        ("Kab. Minahasa Utara, Sulawesi Utara", ("Kabupaten Minahasa Utara", "regency", "Sulawesi Utara")),
        ("Pemerintah Kota Bandung", ("Kota Bandung", "city", "Jawa Barat")),
        ("Kota Yogyakarta, DIY", ("Kota Yogyakarta", "city", "D.I. Yogyakarta")),
        ("Prov. Jabar", ("Jawa Barat", "province", "Jawa Barat")),
        ("DKI Jakarta", ("DKI Jakarta", "province", "DKI Jakarta")),
        ("Kota Denpasar", ("Kota Denpasar", "city", "Bali")),
    ],
)
def test_the_indonesian_side(text, expected):
    side = indonesian(text)
    assert (side.name, side.level, side.province) == expected


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Jeollabuk-do", "province"),
        ("Pref. Tokyo", "province"),
        ("Negara Bagian Victoria", "province"),
        ("Suwon-si", "city"),
        ("Incheon Metropolitan City", "city"),
        ("Goseong-gun", "regency"),
        ("Jeju", "province"),
        ("Busan", "city"),
    ],
)
def test_the_partners_level_from_its_name(name, level):
    assert partner_level(name) == level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Korea Selatan", "KR"),
        ("Jepang", "JP"),
        ("Tiongkok", "CN"),
        ("RRT", "CN"),
        ("Amerika Serikat", "US"),
        ("Rusia", "RU"),
        ("Palestina", "PS"),
        ("Tiongkok (RRT)", "CN"),
        ("Germany", "DE"),
        ("Narnia", None),
    ],
)
def test_country_names_as_the_matrices_write_them(text, code):
    assert country_code(text) == code


def test_items_start_at_bullets_keep_sub_points_and_join_broken_lines():
    cell = (
        "• Catatan: bantuan KBRI.",
        "- Kepastian LoI",
        "• Kunjungan delegasi",
        "ke Busan pada 2019",
        "Pertukaran pelajar",
    )
    assert items(cell) == [
        "Catatan: bantuan KBRI. - Kepastian LoI",
        "Kunjungan delegasi ke Busan pada 2019",
        "Pertukaran pelajar",
    ]
