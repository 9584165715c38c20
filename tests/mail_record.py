"""A record that calls for every kind of mail, each on a day of its own (the mail tests share it)."""

from __future__ import annotations

from datetime import date

from events.model import Event
from tests import helpers as h
from tests.lifecycle_events import draft

BANDUNG, SURABAYA, MALANG = "kota-bandung-seoul", "kota-surabaya-busan", "kota-malang-daegu"
NAMES = {BANDUNG: ("Kota Bandung", "Seoul"), SURABAYA: ("Kota Surabaya", "Busan"), MALANG: ("Kota Malang", "Daegu")}

# The day each rule first fires on this record (with the default rules: 24 and 48 months, MoU 5 years).
DAYS = {
    "renewal": (date(2024, 7, 13), BANDUNG),  # 180 days before the MoU of 10 January 2020 ends
    "lapsed": (date(2025, 1, 10), BANDUNG),
    "cooling": (date(2021, 6, 15), SURABAYA),  # two years after its last visit
    "dormancy_warning": (date(2023, 4, 16), SURABAYA),  # 60 days before four years
    "dormant": (date(2023, 6, 15), SURABAYA),
    "draft_stalled": (date(2023, 4, 11), MALANG),  # 90 days waiting for the kajian
    "digest": (date(2025, 2, 1), None),  # January 2025: a lapse, a dormancy and a stalled draft
}


def _registered(stream: str, on: str) -> Event:
    city, partner = NAMES[stream]
    return h.event(
        stream,
        "PartnershipRegistered",
        on,
        {
            "kind": "sister_city",
            "indonesia": {"name": city, "level": "city", "province": "Jawa Timur"},
            "partner": {"name": partner, "level": "si", "country": "KR"},
            "fields": [],
            "desk": "kbri-seoul",
        },
    )


def every_mail_record(with_bandung: bool = True) -> list[Event]:
    """Three partnerships of KBRI Seoul whose record calls for each rule on its day in DAYS."""
    bandung = [h.registered(), h.signed("2020-01-10", "mou-2020"), h.contact("2020-01-10", email="putri@example.go.id")]
    return [
        *(bandung if with_bandung else []),
        h.activity("2024-06-01", stream=BANDUNG),
        _registered(SURABAYA, "2010-01-01"),
        h.activity("2019-06-15", stream=SURABAYA),
        h.contact("2019-01-01", "ani", stream=SURABAYA, email="ani@example.go.id", side="desk", name="Ani"),
        _registered(MALANG, "2022-01-01"),
        draft("2023-01-10", stream=MALANG),
        h.contact("2022-01-01", "budi", stream=MALANG, email="budi@example.go.id", name="Budi", language="en"),
    ]
