"""The yearly reports of every partnership of a region (a province or a city as registered), for the CLI and the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from sqlalchemy.engine import Engine

from projections.partnership import PartnershipState
from projections.readmodel import Selection, read
from projections.rules import Rules
from projections.status import details


def in_region(state: PartnershipState, region: str, rules: Rules) -> bool:
    """Whether the partnership's Indonesian party is the region or lies in it (case aside)."""
    indonesia = details(state, state.registered_on, rules).get("indonesia") or {}
    wanted = region.casefold()
    return wanted in {(indonesia.get("province") or "").casefold(), (indonesia.get("name") or "").casefold()}


def region_states(engine: Engine, region: str, rules: Rules) -> list[PartnershipState]:
    """The partnerships of the region, as the read model holds them."""
    candidates = read(engine, Selection(region=region)).states
    return [s for s in candidates if in_region(s, region, rules)]


def zipped(states: list[PartnershipState], year: int, rules: Rules, issued_on: date) -> bytes:
    """A ZIP holding one Word report per partnership, named as the CLI names them."""
    from service.report import build, file_name, to_docx

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for state in states:
            archive.writestr(file_name(state.stream, year), to_docx(build(state, year, rules, issued_on)))
    return out.getvalue()
