"""What the title lines above a table say: the matrix's date, the kind of partnership, the region, the country."""

from __future__ import annotations

import re
from datetime import date

from events.dates import DAY, PartialDate
from service.matrix_in.countries import find_country
from service.matrix_in.places import find_province, province_named
from service.written_dates import find_dates

# A line that dates the matrix: "PER 27 DESEMBER 2021", "Keadaan 31 Desember 2020", "Update: Juni 2023".
_AS_OF = re.compile(
    r"\b(per|keadaan|posisi|status|update|pembaruan|pemutakhiran|tanggal|tgl|as of|s\.?d\.?)\b", re.IGNORECASE
)
_SISTER_CITY = re.compile(r"sister\s*city|kota\s+kembar|kota\s+bersaudara", re.IGNORECASE)
_SISTER_PROVINCE = re.compile(
    r"sister\s*province|sister\s*state|provinsi\s+kembar|provinsi\s+bersaudara", re.IGNORECASE
)
_REGION_WORDS = re.compile(r"\b(pemerintah|pemprov|provinsi|prov\.?)\b", re.IGNORECASE)


def as_of(lines: list[str], today: date) -> date | None:
    """The matrix's date from its title lines: a dated "PER …" line, else a line that is only a date."""
    for line in lines:
        if _AS_OF.search(line) or len(line) < 40:
            for found in find_dates(line):
                if found.value is not None:
                    return _last_day(found.value, today)
    return None


def _last_day(value: PartialDate, today: date) -> date:
    """A day for a date written to the month or year ("PER JUNI 2023"): its last, not after today."""
    if value.precision == DAY or value.first > today:
        return value.first  # a day after today is refused by the caller, not moved
    return min(value.last, today)


def kind(titles: tuple[str, ...]) -> str | None:
    """sister_city or sister_province when the titles say so."""
    text = " ".join(titles)
    if _SISTER_PROVINCE.search(text) and not _SISTER_CITY.search(text):
        return "sister_province"
    if _SISTER_CITY.search(text) and not _SISTER_PROVINCE.search(text):
        return "sister_city"
    return None


def region(titles: tuple[str, ...]) -> str | None:
    """The province a region's own list names in its title ("… PEMERINTAH PROVINSI JAWA TENGAH")."""
    for line in titles:
        if province_named(line):  # a group heading inside the table: "JAWA BARAT"
            return province_named(line)
        if _REGION_WORDS.search(line):
            found = find_province(_REGION_WORDS.split(line, maxsplit=1)[-1])
            if found:
                return found
    return None


def country(titles: tuple[str, ...]) -> str | None:
    """The partner country a title names ("… DENGAN MITRA NEGARA JEPANG")."""
    for line in titles:
        found = find_country(line)
        if found:
            return found
    return None
