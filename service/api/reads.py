"""Partnership states for a day: the read model for today (caught up first), a fold for any other."""

from __future__ import annotations

from datetime import date

from projections.partnership import PartnershipState, fold
from projections.runner import load_state, load_states, replay
from service.api.gate import write_turn
from service.bootstrap import Pantau


def catch_up(pantau: Pantau) -> None:
    """Apply the events stored since the read models' checkpoint (a write only when there are some)."""
    if pantau.runner.checkpoint() < pantau.store.head():
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
