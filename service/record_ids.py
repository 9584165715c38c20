"""The ids a record needs and people need not type: made from names and dates, the matrix import's way.

A partnership's id is its two sides' names ("kota-bandung-seoul", "jabar-gyeongsangbuk-do"), an
agreement's its document and year ("mou-2024"), a draft's "draft-" with those, a plan item's its
year and kind ("2027-exchange"); a second one of the same gets "-2", then "-3".
The page forms and the matrix import make them here, so the same partnership gets the same id
whichever way it arrives (docs/forms.md).
"""

from __future__ import annotations

from collections.abc import Callable, Container

from events.vocabulary import STREAM_ID
from projections.partnership import PartnershipState
from service.matrix_in.places import Indonesian, partner_part, stream_part

LONGEST = 80  # the catalogue's longest partnership id
FALLBACK = "kerja-sama"  # when neither name has a letter or digit of the Latin alphabet


def unique(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`… the first that `taken` does not claim."""
    found, n = base, 2
    while taken(found):
        suffix = f"-{n}"
        found, n = f"{base[: LONGEST - len(suffix)].rstrip('-')}{suffix}", n + 1
    return found


def stream_base(side: Indonesian, partner_name: str) -> str:
    """A partnership's id from its two sides' names (the catalogue refuses it when no name gave enough)."""
    return f"{stream_part(side)}-{partner_part(partner_name)}"[:LONGEST].strip("-")


def stream_id(side: Indonesian, partner_name: str, taken: Callable[[str], bool]) -> str:
    """A new partnership's id that `taken` does not claim, a plain one when the names give none."""
    base = stream_base(side, partner_name)
    return unique(base if STREAM_ID.fullmatch(base) else FALLBACK, taken)


def agreement_id(document: str, year: int, used: Container[str]) -> str:
    """An agreement's id from its document and signing year, unused among `used`."""
    return unique(f"{document.lower()}-{year}", lambda found: found in used)


def fill_codes(type_: str, state: PartnershipState, data: dict, occurred_on: object) -> None:
    """Put in `data` the code a form left empty: an agreement's, a draft's or a plan item's."""
    written = str(occurred_on or "")
    year = int(written[:4]) if written[:4].isdigit() else None
    if type_ == "AgreementSigned" and not data.get("agreement_id") and year and data.get("document"):
        data["agreement_id"] = agreement_id(str(data["document"]), year, {a.agreement_id for a in state.agreements})
    elif type_ == "DraftOpened" and not data.get("draft_id") and year:
        drafts = {d.draft_id for d in state.drafts}
        data["draft_id"] = unique(f"draft-{str(data.get('document', 'other')).lower()}-{year}", drafts.__contains__)
    elif type_ == "ActivityPlanned" and not data.get("plan_id") and "year" in data:
        items = {p.plan_id for p in state.plan}
        data["plan_id"] = unique(f"{data['year']}-{data.get('kind', 'other')}", items.__contains__)
