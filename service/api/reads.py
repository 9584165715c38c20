"""Partnership states for readers, and the projector's catch-up."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from events.database import reading
from events.schema import events as events_table
from projections.partnership import PartnershipState
from projections.runner import NAME as RUNNER_NAME
from projections.schema import checkpoints
from service.api.gate import write_turn
from service.api.shared import per_store
from service.api.state_cache import cache_for
from service.bootstrap import Pantau
from service.matrix import RowMemo


def lag(engine) -> int:
    """How many stored positions the read models have not applied yet, in one round trip."""
    head = sa.select(sa.func.coalesce(sa.func.max(events_table.c.position), 0)).scalar_subquery()
    with reading(engine) as conn:
        return conn.execute(
            sa.select(head - checkpoints.c.position).where(checkpoints.c.name == RUNNER_NAME)
        ).scalar_one()


def catch_up(pantau: Pantau) -> None:
    """Apply the events stored since the read models' checkpoint (a write only when there are some)."""
    if lag(pantau.engine) > 0:
        with write_turn(pantau.engine):
            pantau.runner.run()


def current_states(pantau: Pantau) -> list[PartnershipState]:
    """Every partnership's state with every stored event applied, without writing anything."""
    states = cache_for(pantau.store).current()
    return [states[k] for k in sorted(states) if states[k] is not None]


def states_on(pantau: Pantau, day: date | None) -> tuple[date, list[PartnershipState]]:
    """(the day asked, or today; every partnership's state to answer for it).

    The same states answer for any day: a state holds every dated fact of its record, and the
    status functions take only what is dated by the day asked (tests/test_api_reads.py holds
    this against a fold of the whole store).
    """
    return (day or pantau.today()), current_states(pantau)


def row_memo(pantau: Pantau) -> RowMemo:
    """The matrix lines this process has computed already."""
    return per_store(pantau.store, "matrix rows", lambda: RowMemo(pantau.rules))


def state_of(pantau: Pantau, stream: str) -> PartnershipState | None:
    """One partnership's state with every stored event applied, or None when it is not registered."""
    return cache_for(pantau.store).current().get(stream)
