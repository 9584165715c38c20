"""The Indonesian side of a row (province, city or regency, and its province) and the partner's name and level."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The provinces as the record spells them, each with the other ways matrices write it; the first
# short form is the one a stream id starts with ("jabar-…"), as the sample record's ids do.
PROVINCES: dict[str, tuple[str, ...]] = {
    "Aceh": ("NAD", "Nanggroe Aceh Darussalam", "Provinsi Aceh"),
    "Sumatera Utara": ("sumut", "Sumatra Utara"),
    "Sumatera Barat": ("sumbar", "Sumatra Barat"),
    "Riau": (),
    "Kepulauan Riau": ("kepri",),
    "Jambi": (),
    "Bengkulu": (),
    "Sumatera Selatan": ("sumsel", "Sumatra Selatan"),
    "Kepulauan Bangka Belitung": ("babel", "Bangka Belitung"),
    "Lampung": (),
    "Banten": (),
    "DKI Jakarta": ("dki-jakarta", "Jakarta", "DKI", "Daerah Khusus Ibukota Jakarta", "Daerah Khusus Jakarta"),
    "Jawa Barat": ("jabar",),
    "Jawa Tengah": ("jateng",),
    "D.I. Yogyakarta": ("diy", "DI Yogyakarta", "Daerah Istimewa Yogyakarta", "Yogyakarta", "DIY"),
    "Jawa Timur": ("jatim",),
    "Bali": (),
    "Nusa Tenggara Barat": ("ntb",),
    "Nusa Tenggara Timur": ("ntt",),
    "Kalimantan Barat": ("kalbar",),
    "Kalimantan Tengah": ("kalteng",),
    "Kalimantan Selatan": ("kalsel",),
    "Kalimantan Timur": ("kaltim",),
    "Kalimantan Utara": ("kaltara",),
    "Sulawesi Utara": ("sulut",),
    "Gorontalo": (),
    "Sulawesi Tengah": ("sulteng",),
    "Sulawesi Barat": ("sulbar",),
    "Sulawesi Selatan": ("sulsel",),
    "Sulawesi Tenggara": ("sultra",),
    "Maluku": (),
    "Maluku Utara": ("malut",),
    "Papua": (),
    "Papua Barat": ("pabar",),
    "Papua Barat Daya": (),
    "Papua Tengah": (),
    "Papua Pegunungan": (),
    "Papua Selatan": (),
}

# Cities and regencies whose province a matrix often leaves out: the provincial capitals and
# the other cities of the sample's region. A row naming its province never needs this.
CITY_PROVINCES: dict[str, str] = {
    "Banda Aceh": "Aceh",
    "Medan": "Sumatera Utara",
    "Padang": "Sumatera Barat",
    "Bukittinggi": "Sumatera Barat",
    "Pekanbaru": "Riau",
    "Batam": "Kepulauan Riau",
    "Tanjungpinang": "Kepulauan Riau",
    "Jambi": "Jambi",
    "Bengkulu": "Bengkulu",
    "Palembang": "Sumatera Selatan",
    "Pangkalpinang": "Kepulauan Bangka Belitung",
    "Bandar Lampung": "Lampung",
    "Serang": "Banten",
    "Tangerang": "Banten",
    "Tangerang Selatan": "Banten",
    "Bandung": "Jawa Barat",
    "Bogor": "Jawa Barat",
    "Bekasi": "Jawa Barat",
    "Depok": "Jawa Barat",
    "Cirebon": "Jawa Barat",
    "Semarang": "Jawa Tengah",
    "Surakarta": "Jawa Tengah",
    "Solo": "Jawa Tengah",
    "Yogyakarta": "D.I. Yogyakarta",
    "Sleman": "D.I. Yogyakarta",
    "Surabaya": "Jawa Timur",
    "Malang": "Jawa Timur",
    "Denpasar": "Bali",
    "Badung": "Bali",
    "Mataram": "Nusa Tenggara Barat",
    "Kupang": "Nusa Tenggara Timur",
    "Pontianak": "Kalimantan Barat",
    "Palangka Raya": "Kalimantan Tengah",
    "Banjarmasin": "Kalimantan Selatan",
    "Samarinda": "Kalimantan Timur",
    "Balikpapan": "Kalimantan Timur",
    "Tanjung Selor": "Kalimantan Utara",
    "Manado": "Sulawesi Utara",
    "Bitung": "Sulawesi Utara",
    "Minahasa Utara": "Sulawesi Utara",
    "Gorontalo": "Gorontalo",
    "Palu": "Sulawesi Tengah",
    "Mamuju": "Sulawesi Barat",
    "Makassar": "Sulawesi Selatan",
    "Kendari": "Sulawesi Tenggara",
    "Baubau": "Sulawesi Tenggara",
    "Bau-bau": "Sulawesi Tenggara",
    "Ambon": "Maluku",
    "Ternate": "Maluku Utara",
    "Sofifi": "Maluku Utara",
    "Jayapura": "Papua",
    "Manokwari": "Papua Barat",
    "Sorong": "Papua Barat Daya",
}

# Words before an Indonesian name that give its level; the regency's short forms are written out.
_CITY = re.compile(r"^(kota|kotamadya|pemkot|pemerintah kota)\.?\s+", re.IGNORECASE)
_REGENCY = re.compile(r"^(kabupaten|kab\.?|pemkab|pemerintah kabupaten)\s*", re.IGNORECASE)
_PROVINCE = re.compile(r"^(provinsi|prov\.?|propinsi|pemprov|pemerintah provinsi)\s*", re.IGNORECASE)

# The partner's level from the words of its name, first match wins; then the known names.
PARTNER_LEVELS: tuple[tuple[str, str], ...] = (
    (
        r"(-do|\bdo|\bprovince|\bprovinsi|\bprov\.?|\bpref\.?|\bprefecture|\bprefektur|-ken|\bstate|\bnegara bagian"
        r"|\boblast|\bkrai|\bregion)\b",
        "province",
    ),
    (r"(-gun|\bgun|\bcounty|\bkabupaten|\bdistrict|-cho|-machi|\btown)\b", "regency"),
    (r"(-si|\bsi|\bcity|\bkota|-shi|\bshi|\bmetropolitan|-gu|\bmunicipality|\bshire)\b", "city"),
)
KNOWN_PARTNER_LEVELS: dict[str, str] = {
    # Korea's provinces, by the short names matrices use without "-do".
    **dict.fromkeys(
        (
            "jeju",
            "gangwon",
            "gyeonggi",
            "gyeongnam",
            "gyeongbuk",
            "jeonnam",
            "jeonbuk",
            "chungnam",
            "chungbuk",
            "gyeongsangnam",
            "gyeongsangbuk",
            "jeollanam",
            "jeollabuk",
            "chungcheongnam",
            "chungcheongbuk",
        ),
        "province",
    ),
    "yecheon": "regency",  # Yecheon-gun
}
# Words of a partner's name that only say its level: left out of stream ids and name matching.
_LEVEL_WORDS = re.compile(
    r"\b(provinsi|province|prov|pref|prefecture|prefektur|kota|city|metropolitan|special|self governing"
    r"|kabupaten|kab|county|pemerintah|pemkot|pemkab|pemprov|propinsi|kotamadya)\b",
    re.IGNORECASE,
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug(text: str) -> str:
    """Lower case words joined by hyphens."""
    return "-".join(re.sub(r"[^a-z0-9]+", " ", _ascii(text).lower()).split())


def squeeze(text: str) -> str:
    """A name for tolerant matching: level words, case, spaces, hyphens and dots dropped."""
    return re.sub(r"[^a-z0-9]+", "", _LEVEL_WORDS.sub(" ", _ascii(text)).lower())


_PROVINCE_KEYS = {squeeze(name): name for name in PROVINCES} | {
    squeeze(other): name for name, others in PROVINCES.items() for other in others
}
_CITY_KEYS = {squeeze(city): province for city, province in CITY_PROVINCES.items()}


def province_named(text: str) -> str | None:
    """The province a text names ("Jabar", "Prov. Sulawesi Tenggara", "DIY"), spelled as the record does."""
    return _PROVINCE_KEYS.get(squeeze(_PROVINCE.sub("", text.strip())))


def find_province(text: str) -> str | None:
    """A province named anywhere in `text` (a region's title: "… PEMERINTAH PROVINSI JAWA TENGAH")."""
    words = squeeze(text)
    best = None
    for key, name in _PROVINCE_KEYS.items():
        if len(key) > 4 and key in words and (best is None or len(key) > len(best[0])):
            best = (key, name)
    return best[1] if best else None


@dataclass(frozen=True)
class Indonesian:
    """The Indonesian side as the catalogue records it."""

    name: str
    level: str
    province: str | None

    def as_json(self) -> dict:
        data = {"name": self.name, "level": self.level}
        if self.province:
            data["province"] = self.province
        return data


def indonesian(text: str, region: str | None = None) -> Indonesian | None:
    """The Indonesian side of "Kota Batam, Kepulauan Riau", "Kab. Minahasa Utara", "DKI Jakarta"; None when empty."""
    parts = [p.strip() for p in re.split(r",|\n|\(|\)", text) if p.strip()]
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    given = next((p for p in (province_named(r) for r in rest) if p), None)
    if _CITY.match(head):
        name = "Kota " + _CITY.sub("", head).strip()
        return Indonesian(name, "city", given or _CITY_KEYS.get(squeeze(name)) or region)
    if _REGENCY.match(head):
        name = "Kabupaten " + _REGENCY.sub("", head).strip()
        return Indonesian(name, "regency", given or _CITY_KEYS.get(squeeze(name)) or region)
    province = province_named(head)
    if province is not None and not (region and given is None and squeeze(head) in _CITY_KEYS and province != region):
        return Indonesian(province, "province", province)
    # A bare name that is no province: a city of the region or of the province written beside it.
    return Indonesian(head, "city", given or _CITY_KEYS.get(squeeze(head)) or region)


def stream_part(side: Indonesian) -> str:
    """The Indonesian side's part of a stream id: a province by its short form ("jabar"), else its name."""
    if side.level == "province":
        short = next((s for s in PROVINCES.get(side.name, ()) if s.islower()), None)
        return short or slug(side.name)
    return slug(side.name)


def partner_level(name: str) -> str:
    """The partner's level from its name's words ("Jeollabuk-do": province, "Suwon-si": city); city when unsaid."""
    for pattern, level in PARTNER_LEVELS:
        if re.search(pattern, name, re.IGNORECASE):
            return level
    return KNOWN_PARTNER_LEVELS.get(squeeze(name), "city")


def partner_part(name: str) -> str:
    """The partner's part of a stream id: its name without level words ("Provinsi Gyeonggi": gyeonggi)."""
    return slug(_LEVEL_WORDS.sub(" ", name.replace(".", ". "))) or slug(name)
