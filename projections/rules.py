"""The rules of derived status as data: windows, indicators, default terms and desks."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

# The five indicators of Indonesian sister-city evaluation practice (docs/events.md); None: no indicator.
INDICATORS = MappingProxyType(
    {
        "correspondence": 1,
        "video_call": 1,
        "meeting": 1,
        "working_group": 2,
        "visit": 3,
        "exchange": 3,
        "training": 4,
        "scholarship": 4,
        "grant": 4,
        "technical_assistance": 4,
        "festival": 5,
        "forum": 5,
        "other": None,
    }
)

# Default term in years of each document type when a signing names none; None: no end.
DEFAULT_TERMS = MappingProxyType(
    {
        "MoU": 5,
        "MoA": 3,
        "IA": 3,
        "ActionPlan": 3,
        "LoI": None,
        "JointCommunique": None,
        "Other": None,
    }
)

# Days a draft may wait for each step before it is stalled (docs/lifecycle.md), one entry for each
# step it can wait for (events/vocabulary.PIPELINE_STEPS: `signing` follows `full_powers`; tests
# hold the keys to it). The regional parliament gets longer: its sessions follow their own calendar.
STALL_DAYS = MappingProxyType(
    {
        "kajian": 90,
        "dprd": 120,
        "interministerial": 90,
        "kemlu": 90,
        "kemlu_confirmation": 90,
        "mendagri": 90,
        "full_powers": 90,
        "signing": 90,
    }
)

# Signing these counts toward indicator 2 (joint working group); any other document toward 1.
WORKING_GROUP_DOCUMENTS = frozenset({"MoA", "IA", "ActionPlan"})
FORMAL_DOCUMENTS = frozenset({"MoU", "MoA", "IA", "ActionPlan", "JointCommunique"})


@dataclass(frozen=True)
class Desk:
    """An embassy or consulate desk: who follows the partnerships of some partner countries."""

    id: str
    name: str | None = None
    email: str | None = None
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """The government of an Indonesian party, as its documents head and sign (the yearly report's letterhead).

    `id` is the party's name as registered ("Jawa Barat", "Kota Bandung"); what is left out is
    written from the name (service/letterhead.py), for the bureau to complete.
    """

    id: str
    government: str | None = None  # "Pemerintah Provinsi Jawa Barat"
    office: str | None = None  # "Sekretariat Daerah, Biro Pemerintahan dan Kerja Sama"
    address: str | None = None  # "Jalan Diponegoro No. 22, Bandung 40115"
    place: str | None = None  # where documents are signed: "Bandung"
    signer: str | None = None  # "Kepala Biro Pemerintahan dan Kerja Sama"
    signer_name: str | None = None
    signer_id: str | None = None  # the signer's NIP
    number: str | None = None  # the reports' number, "{year}" filled in: "000.5.5/   /Pemksm/{year}"


@dataclass(frozen=True)
class Rules:
    """Everything the projections need besides events and a date."""

    active_months: int = 24
    quiet_months: int = 48
    default_terms: MappingProxyType = field(default_factory=lambda: DEFAULT_TERMS)
    indicators: MappingProxyType = field(default_factory=lambda: INDICATORS)
    desks: tuple[Desk, ...] = field(default=())
    stall_days: MappingProxyType = field(default_factory=lambda: STALL_DAYS)
    # Out of the repr, which fingerprints what the alerts depend on (notifications/due_index.py).
    regions: tuple[Region, ...] = field(default=(), repr=False)

    def desk_for_country(self, country: str | None) -> str | None:
        """The desk configured to follow partners in `country`, if any."""
        for desk in self.desks:
            if country in desk.countries:
                return desk.id
        return None

    def desk(self, desk_id: str) -> Desk:
        """The configured desk, or one known by its id only."""
        for desk in self.desks:
            if desk.id == desk_id:
                return desk
        return Desk(desk_id)

    def region(self, name: str) -> Region:
        """The configured government of the Indonesian party `name`, or one known by its name only."""
        for region in self.regions:
            if region.id.casefold() == name.casefold():
                return region
        return Region(name)

    def stall_limit(self, step: str) -> int:
        """The days a draft may wait for `step` before it is stalled; every step has its own, no default."""
        return self.stall_days[step]

    def signing_indicator(self, document: str) -> int:
        """The indicator an agreement signing or renewal counts toward."""
        return 2 if document in WORKING_GROUP_DOCUMENTS else 1
