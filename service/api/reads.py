"""Partnership states for a day: the read model for today (caught up first), a fold for any other."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from events.database import reading
from events.schema import events as events_table
from projections.partnership import PartnershipState, fold
from projections.runner import NAME as RUNNER_NAME
from projections.runner import load_state, load_states, replay
from projections.schema import checkpoints
from service.api.gate import write_turn
from service.bootstrap import Pantau


def lag(engine) -> int:
    """How many stored positions the read models have not applied yet, in one round trip."""
    head = sa.select(sa.func.coalesce(sa.func.max(events_table.c.position), 0)).scalar_subquery()
    with reading(engine) as conn:
        return conn.execute(sa.select(head - checkpoints.c.position)
                            .where(checkpoints.c.name == RUNNER_NAME)).scalar_one()


def catch_up(pantau: Pantau) -> None:
    """Apply the events stored since the read models' checkpoint (a write only when there are some)."""
    if lag(pantau.engine) > 0:
        with write_turn(pantau.engine):
            pantau.runner.run()


def states_on(pantau: Pantau, day: date | None) -> tuple[date, list[PartnershipState]]:
    """(the day asked, or today; every partnership's state to answer for it)."""
    today = pantau.today()
    if day is None or day == today:
        catch_up(pantau)  # so that "today" includes every stored event
        return today, load_states(pantau.engine)
    return day, replay(pantau.store.iter_all())


def state_of(pantau: Pantau, stream: str) -> PartnershipState | None:
    """One partnership's state with every stored event applied, or None when it is not registered."""
    state = load_state(pantau.engine, stream)
    return fold(pantau.store.read(after=state.position if state else 0, stream=stream), state)
