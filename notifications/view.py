"""What the alert rules read of each partnership: the read model's state, decoded lean.

A day's run reads every partnership; most of a record is activities, and the rules need only
their kind and period. Decoding just that (notes, assessments, titles left out) makes the read
about half as costly. Every field is required, so a change in the state's layout fails loudly here
instead of silently changing what the rules see. Messages are rendered from the full state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import reading
from projections.partnership import Agreement, ContactChange, DetailsChange, PartnershipState, load
from projections.schema import partnership_states

_CHUNK = 500


class Span(msgspec.Struct, frozen=True, kw_only=True):
    """An activity as the activeness rules see it."""

    kind: str
    start: date
    end: date
    retracted: bool


class AlertView(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of `PartnershipState` the alert rules read (same names, same types)."""

    stream: str
    registered_on: date
    details: dict
    changes: tuple[DetailsChange, ...]
    contacts: tuple[ContactChange, ...]
    agreements: tuple[Agreement, ...]
    activities: tuple[Span, ...]
    ended_on: tuple[date, ...]


_decoder = msgspec.json.Decoder(AlertView)


def load_views(engine: Engine) -> list[AlertView]:
    """Every partnership's lean view from the read model, sorted by stream."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(partnership_states.c.state).order_by(partnership_states.c.stream))
        return [_decoder.decode(state) for (state,) in rows]


def load_full(engine: Engine, streams: Iterable[str]) -> dict[str, PartnershipState]:
    """The full states of some partnerships, by stream."""
    names = sorted(set(streams))
    found: dict[str, PartnershipState] = {}
    with reading(engine) as conn:
        for start in range(0, len(names), _CHUNK):
            rows = conn.execute(sa.select(partnership_states.c.stream, partnership_states.c.state)
                                .where(partnership_states.c.stream.in_(names[start:start + _CHUNK])))
            found.update((stream, load(state)) for stream, state in rows)
    return found
