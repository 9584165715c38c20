"""The columns of the registry's open data (CSV, Excel, the Table Schema), as data: name, type, meaning in both languages, allowed values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_args

from events.catalogue import IndonesiaLevel
from service.registry_query import ACTIVENESS, KINDS, STAGES


@dataclass(frozen=True)
class Column:
    """One column: its name, Table Schema type, meaning (Indonesian, English), constraints and how a row gives it."""

    name: str
    type: str
    id: str
    en: str
    value: Callable[[dict], Any]
    constraints: dict = field(default_factory=dict)


def _joined(items) -> str:
    return "; ".join(items)


def _documents(row: dict) -> str:
    return _joined(
        f"{d['document']} {d['signed_on']}" + (f" s.d. {d['valid_until']}" if d["valid_until"] else "")
        for d in row["documents"]
    )


def _per_year(row: dict) -> str:
    return _joined(f"{year}: {count}" for year, count in row["activities_per_year"].items())


_PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

COLUMNS: tuple[Column, ...] = (
    Column("stream", "string", "Pengenal kerja sama di Pantau", "The partnership's identifier in Pantau",
           lambda r: r["stream"], {"required": True, "unique": True}),
    Column("indonesia", "string", "Pemerintah daerah Indonesia", "The Indonesian local government",
           lambda r: r["indonesia"], {"required": True}),
    Column("indonesia_level", "string", "Tingkat pemerintah daerah Indonesia", "Level of the Indonesian side",
           lambda r: r["indonesia_level"], {"enum": list(get_args(IndonesiaLevel))}),
    Column("province", "string", "Provinsi pihak Indonesia", "Province of the Indonesian side", lambda r: r["province"]),
    Column("partner", "string", "Mitra luar negeri", "The foreign partner", lambda r: r["partner"], {"required": True}),
    Column("partner_level", "string", "Tingkat pemerintahan mitra", "Level of the partner's government",
           lambda r: r["partner_level"]),
    Column("country", "string", "Negara mitra (kode ISO 3166-1 alfa-2)", "Partner country (ISO 3166-1 alpha-2 code)",
           lambda r: r["country"], {"pattern": "^[A-Z]{2}$"}),
    Column("kind", "string", "Jenis: provinsi kembar atau kota kembar", "Kind: sister province or sister city",
           lambda r: r["kind"], {"enum": list(KINDS)}),
    Column("stage", "string", "Tahap hari ini: penjajakan, LoI, formal, berakhir, dihentikan",
           "Stage today: exploring, intent, formal, lapsed, ended", lambda r: r["stage"], {"enum": list(STAGES)}),
    Column("activeness", "string", "Keaktifan hari ini menurut kegiatan yang dihitung",
           "Activeness today by counted activity", lambda r: r["activeness"], {"enum": list(ACTIVENESS)}),
    Column("fields", "string", "Bidang kerja sama, dipisah titik koma", "Fields of cooperation, separated by semicolons",
           lambda r: _joined(r["fields"])),
    Column("documents", "string", "Dokumen: jenis, tanggal tanda tangan seperti tertulis, berlaku s.d.",
           "Documents: type, signing date as written, valid until", _documents),
    Column("first_signed_on", "string", "Tanggal tanda tangan dokumen pertama seperti tertulis",
           "Signing date of the first document as written", lambda r: r["first_signed_on"],
           {"pattern": _PARTIAL_DATE}),
    Column("decade", "integer", "Dasawarsa dokumen pertama", "Decade of the first document", lambda r: r["decade"],
           {"minimum": 1900}),
    Column("last_activity", "string", "Bulan kegiatan terakhir yang dihitung", "Month of the last counted activity",
           lambda r: r["last_activity"], {"pattern": r"^[0-9]{4}(-[0-9]{2})?$"}),
    Column("activities_per_year", "string", "Kegiatan per tahun (tahun: jumlah)", "Activities per year (year: count)",
           _per_year),
    Column("registered_on", "date", "Tanggal tercatat di Pantau", "Date recorded in Pantau",
           lambda r: r["registered_on"]),
)  # fmt: skip
