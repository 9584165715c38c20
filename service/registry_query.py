"""The registry's query parameters read and checked: filters, search, sort and page, or the parameter that is wrong.

Pure: a mapping of the request's parameters in, an `Ask` out, or `BadParameter` naming the
parameter and a message key (its words in the catalogues). Whether a free value (a province, a
place, a field, a country) names something the registry holds is asked of the database after.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from events.catalogue import PartnershipKind
from projections.activeness import AKTIF, KURANG_AKTIF, TIDAK_AKTIF
from projections.status import ENDED, EXPLORING, FORMAL, INTENT, STAGE_LAPSED

KINDS: tuple[str, ...] = PartnershipKind.__args__  # type: ignore[attr-defined]
STAGES = (EXPLORING, INTENT, FORMAL, STAGE_LAPSED, ENDED)
ACTIVENESS = (AKTIF, KURANG_AKTIF, TIDAK_AKTIF)
SORTS = ("indonesia", "partner", "province", "country", "signed", "activity")
PAGE_SIZE = 50
MAX_PAGE = 10_000  # beyond any registry's last page of 50 (500,000 partnerships)
MAX_TEXT = 100  # characters of a filter's value or a search
FILTERS = ("province", "place", "country", "kind", "stage", "activeness", "field", "decade", "q")
_COUNTRY = re.compile(r"[A-Z]{2}\Z")
_WORD = re.compile(r"\w+")
MAX_WORDS = 8  # of a search: each is one index range
_DIGITS = re.compile(r"[0-9]{1,6}\Z")
_CHOICES = {"kind": KINDS, "stage": STAGES, "activeness": ACTIVENESS, "sort": SORTS}


class BadParameter(Exception):
    """A parameter the registry cannot answer: its name, the message key of the reason, and the value."""

    def __init__(self, name: str, key: str, value: str = ""):
        super().__init__(f"{name}: {key}")
        self.name, self.key, self.value = name, key, value


@dataclass(frozen=True)
class Filters:
    """Which partnerships are asked for; None: any."""

    province: str | None = None
    place: str | None = None
    country: str | None = None
    kind: str | None = None
    stage: str | None = None
    activeness: str | None = None
    field: str | None = None
    decade: int | None = None
    q: str | None = None

    def given(self) -> dict[str, str]:
        """The filters given, as query parameters (for links and the canonical key of an answer)."""
        return {name: str(value) for name in FILTERS if (value := getattr(self, name)) is not None}


@dataclass(frozen=True)
class Ask:
    """A page of the registry: its filters, sort and page number."""

    filters: Filters
    sort: str = SORTS[0]
    page: int = 1


def parse(params: Mapping[str, str]) -> Ask:
    """The registry's parameters from a request's query (names it does not know are left alone)."""
    values = {name: _text(name, params[name]) for name in (*FILTERS, "sort", "page") if name in params}
    values = {name: value for name, value in values.items() if value != ""}
    for name, choices in _CHOICES.items():
        if name in values and values[name] not in choices:
            raise BadParameter(name, "reg.bad.choice", values[name])
    country = values.get("country")
    if country is not None:
        country = country.upper()
        if not _COUNTRY.match(country):
            raise BadParameter("country", "reg.bad.country", values["country"])
    filters = Filters(
        province=values.get("province"),
        place=values.get("place"),
        country=country,
        kind=values.get("kind"),
        stage=values.get("stage"),
        activeness=values.get("activeness"),
        field=values.get("field"),
        decade=_decade(values.get("decade")),
        q=_search(values.get("q")),
    )
    return Ask(filters, values.get("sort", SORTS[0]), _page(values.get("page")))


def words(*texts: str | None) -> list[str]:
    """The distinct casefolded words of the texts, in order (what a search matches, by prefix)."""
    found: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall((text or "").casefold()):
            found.setdefault(word[:60], None)
    return list(found)


def _text(name: str, value: str) -> str:
    """The value trimmed, refused when too long or holding a control character (NUL included)."""
    if len(value) > MAX_TEXT:
        raise BadParameter(name, "reg.bad.long", value[:40])
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Cf") for ch in value):
        raise BadParameter(name, "reg.bad.control", "")
    return value.strip()


def _search(value: str | None) -> str | None:
    if value is not None and not 1 <= len(words(value)) <= MAX_WORDS:
        raise BadParameter("q", "reg.bad.words", value[:40])
    return value


def _decade(value: str | None) -> int | None:
    if value is None:
        return None
    if not _DIGITS.match(value) or len(value) != 4 or int(value) % 10 or not 1900 <= int(value) <= 2100:
        raise BadParameter("decade", "reg.bad.decade", value)
    return int(value)


def _page(value: str | None) -> int:
    if value is None:
        return 1
    if not _DIGITS.match(value) or not 1 <= int(value) <= MAX_PAGE:
        raise BadParameter("page", "reg.bad.page", value[:40])
    return int(value)
