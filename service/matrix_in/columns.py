"""The columns of a matrix, found by their heading words in any order; the synonyms are data."""

from __future__ import annotations

import re
import unicodedata

# Each column and the headings desks write for it. A heading is matched by its longest synonym at
# its start ("CONTACT PERSON PEMPROV" is `contact`, "PROVINSI MITRA" is `partner`, not `indonesia`).
HEADINGS: dict[str, tuple[str, ...]] = {
    "no": ("NO", "NOMOR", "NO URUT", "#"),
    "indonesia": (
        "PROVINSI",
        "PROVINSI INDONESIA",
        "DAERAH",
        "DAERAH INDONESIA",
        "PEMDA",
        "PEMDA INDONESIA",
        "NAMA DAERAH",
        "PEMERINTAH DAERAH",
        "PIHAK INDONESIA",
        "PROVINSI/KOTA/KABUPATEN",
        "PROVINSI/KABUPATEN/KOTA",
        "INDONESIA",
        "PROVINCE",
        "INDONESIAN PROVINCE",
        "INDONESIAN SIDE",
        "LOCAL GOVERNMENT",
        "REGION",
    ),
    # A city or regency column of its own (beside a province column, or alone in a sister-city table).
    "indonesia_city": (
        "KOTA/KABUPATEN",
        "KABUPATEN/KOTA",
        "KAB/KOTA",
        "KOTA/KAB",
        "KOTA",
        "KABUPATEN",
        "PEMKOT/PEMKAB",
        "CITY/REGENCY",
        "INDONESIAN CITY",
    ),
    "partner": (
        "MITRA",
        "KOTA MITRA",
        "DAERAH MITRA",
        "PROVINSI MITRA",
        "PEMDA MITRA",
        "NAMA MITRA",
        "MITRA LUAR NEGERI",
        "MITRA KERJA SAMA",
        "PARTNER",
        "PARTNER CITY",
        "PARTNER PROVINCE",
        "PIHAK MITRA",
        "SISTER CITY",
        "SISTER PROVINCE",
    ),
    "country": ("NEGARA", "NEGARA MITRA", "COUNTRY", "ASAL NEGARA", "PARTNER COUNTRY"),
    "document": (
        "DOKUMEN",
        "DOKUMEN PERJANJIAN",
        "BENTUK DAN TANGGAL DOKUMEN",
        "BENTUK DOKUMEN",
        "BENTUK KERJA SAMA",
        "NASKAH PERJANJIAN",
        "PERJANJIAN",
        "DASAR KERJA SAMA",
        "JENIS DOKUMEN",
        "DOCUMENT",
        "AGREEMENT",
    ),
    # The signing date and the end, when a matrix gives them columns of their own.
    "signed_on": (
        "TANGGAL PENANDATANGANAN",
        "TGL PENANDATANGANAN",
        "TANGGAL DITANDATANGANI",
        "TAHUN PENANDATANGANAN",
        "TAHUN",
        "TANGGAL",
        "DATE SIGNED",
        "SIGNED",
    ),
    "valid_until": (
        "MASA BERLAKU",
        "BERLAKU HINGGA",
        "BERLAKU SAMPAI",
        "TANGGAL BERAKHIR",
        "JANGKA WAKTU",
        "VALID UNTIL",
    ),
    "status": ("STATUS", "STATUS KEAKTIFAN", "KEAKTIFAN", "STATUS KERJA SAMA"),
    "development": (
        "PERKEMBANGAN",
        "PERKEMBANGAN TERAKHIR",
        "KETERANGAN",
        "CATATAN",
        "KEGIATAN",
        "REALISASI KEGIATAN",
        "TINDAK LANJUT",
        "PROGRESS",
        "DEVELOPMENTS",
        "REMARKS",
        "NOTES",
        "ACTIVITIES",
    ),
    "fields": (
        "BIDANG",
        "BIDANG KERJA SAMA",
        "RUANG LINGKUP",
        "LINGKUP KERJA SAMA",
        "FIELDS",
        "AREAS OF COOPERATION",
        "SCOPE",
    ),
    "contact": ("CONTACT PERSON", "NARAHUBUNG", "NARA HUBUNG", "KONTAK", "CP", "PENANGGUNG JAWAB", "PIC", "CONTACT"),
}

# A column is found when this many headings of a row are known, the partner among them.
HEADER_MINIMUM = 3

_NUMBER_ROW = re.compile(r"^\(?\s*\d{1,2}\s*\)?\.?$")


def normal(text: str) -> str:
    """Upper case, accents and punctuation other than "/" and "#" dropped, spaces single."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9/#]+", " ", text).upper()
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split())


_SYNONYMS = sorted(
    ((normal(words), key) for key, synonyms in HEADINGS.items() for words in synonyms), key=lambda pair: -len(pair[0])
)
# Words that make a heading the partner's, whatever it starts with.
_FOREIGN = re.compile(
    r"\b(MITRA|PARTNER|LUAR NEGERI|ASING|PIHAK KEDUA|JEPANG|KOREA|TIONGKOK|CHINA|RRT|AUSTRALIA|AMERIKA|BELANDA"
    r"|JERMAN|RUSIA|PERANCIS|PRANCIS|INGGRIS|MALAYSIA|THAILAND|VIETNAM|FILIPINA|TURKI)\b"
)
_DOCUMENT = re.compile(r"\b(DOKUMEN|NASKAH|PERJANJIAN|MOU|LOI)\b")
# The synonyms by their first word, longest first: a cell is compared with a few, not all.
_BY_FIRST_WORD: dict[str, list[tuple[str, str]]] = {}
for _words, _key in _SYNONYMS:
    _BY_FIRST_WORD.setdefault(_words.split(" ", 1)[0], []).append((_words, _key))
# Longer than any heading: a data cell, not looked up (a 2,000-row matrix has 16,000 of them).
_LONGEST_HEADING = 80
_EXTRA_WORDS = 3  # "CONTACT PERSON PEMPROV", "MITRA ASTIMPAS": a synonym and a few words of the desk's own


def column_of(heading: str) -> str | None:
    """The column a heading names, or None."""
    return _column(heading)[0]


def _column(heading: str) -> tuple[str | None, bool]:
    """The column a heading names, and whether surely: by a synonym followed by at most a few words.

    Data cells look like headings now and then ("Kota Batam, Kepulauan Riau" starts like "KOTA"),
    so a cell with a digit is never one, and the words that only hint at a column are weak.
    """
    if len(heading) > _LONGEST_HEADING or any(ch.isdigit() for ch in heading):
        return None, False
    text = normal(heading)
    if not text:
        return None, False
    candidates = _BY_FIRST_WORD.get(text.split(" ", 1)[0], ())
    match = next(((key, words) for words, key in candidates if text == words or text.startswith(words + " ")), None)
    found = match[0] if match else None
    if found in (None, "indonesia", "indonesia_city", "no") and _FOREIGN.search(text):
        return "partner", False  # "PEMDA JEPANG", "KOTA/PROVINSI MITRA", "PIHAK KEDUA"
    if found in (None, "no") and _DOCUMENT.search(text):
        return "document", False  # "NOMOR DAN TANGGAL NASKAH"
    if match is None:
        return None, False
    extra = len(text.split()) - len(match[1].split())
    return found, extra <= _EXTRA_WORDS


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column -> cell index when `cells` is a header row (enough sure headings, the partner among them)."""
    found: dict[str, int] = {}
    sure = 0
    for index, cell in enumerate(cells):
        key, certain = _column(cell)
        if key is not None and key not in found:
            found[key] = index
            sure += certain
    if "partner" in found and sure >= HEADER_MINIMUM:
        return found
    return None


def is_number_row(cells: list[str]) -> bool:
    """Whether a row only numbers the columns: "(1) (2) (3) …" or "1 2 3 …"."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(_NUMBER_ROW.match(c) for c in filled)
