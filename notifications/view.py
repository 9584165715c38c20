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
from projections.lifecycle_state import Draft
from projections.partnership import (
    Agreement,
    ContactChange,
    DetailsChange,
    PartnershipState,
    load,
)
from projections.schema import partnership_states

_CHUNK = 500


class Span(msgspec.Struct, frozen=True, kw_only=True):
    """An activity as the activeness rules see it."""

    kind: str
    start: date
    end: date
    retracted: bool
    # Named by the explanations of what counts (projections.activeness.counted_activities).
    activity_id: str = ""
    occurred_on: str = ""
    ends_on: str | None = None


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
    drafts: tuple[Draft, ...]


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
            rows = conn.execute(
                sa.select(partnership_states.c.stream, partnership_states.c.state).where(
                    partnership_states.c.stream.in_(names[start : start + _CHUNK])
                )
            )
            found.update((stream, load(state)) for stream, state in rows)
    return found


class ViewCache:
    """Lean views kept between runs in a long-lived process; a row is decoded again only when its version moved.

    Correct because a read-model row changes only with its stream's version (the runner rewrites a
    state exactly when it applies one of its events).
    """

    def __init__(self):
        self._views: dict[str, tuple[int, AlertView]] = {}

    def load(self, engine: Engine) -> list[AlertView]:
        """Every partnership's view, sorted by stream, decoding only new or changed rows."""
        table = partnership_states
        with reading(engine) as conn:
            if not self._views:  # cold: one scan
                rows = conn.execute(sa.select(table.c.stream, table.c.version, table.c.state))
                self._views = {s: (v, _decoder.decode(state)) for s, v, state in rows}
                return [view for _, (_, view) in sorted(self._views.items())]
            versions = dict(conn.execute(sa.select(table.c.stream, table.c.version)).all())
            stale = [s for s, v in versions.items() if self._views.get(s, (None,))[0] != v]
            for start in range(0, len(stale), _CHUNK):
                rows = conn.execute(
                    sa.select(table.c.stream, table.c.version, table.c.state).where(
                        table.c.stream.in_(stale[start : start + _CHUNK])
                    )
                )
                self._views.update((s, (v, _decoder.decode(state))) for s, v, state in rows)
        for gone in set(self._views) - set(versions):
            del self._views[gone]
        return [self._views[s][1] for s in sorted(versions)]
