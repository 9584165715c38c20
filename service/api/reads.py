"""Partnership states for readers, selected by desk, region or stream, and the projector's catch-up."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from projections.partnership import PartnershipState
from projections.readmodel import EVERYTHING, Selection, lag, read, read_in_chunks, read_one
from projections.status import details
from service.api.gate import write_turn
from service.bootstrap import Pantau
from service.matrix import RowMemo
from service.memo import DayMemo
from service.status_output import StatusLine, status_line


def catch_up(pantau: Pantau) -> None:
    """Apply the events stored since the read models' checkpoint (a write only when there are some)."""
    if lag(pantau.engine) > 0:
        with write_turn(pantau.engine, pantau.write_lock):
            pantau.runner.run()


def of_desk(pantau: Pantau, desk: str | None) -> Selection:
    """The selection of one desk's partnerships (every partnership without a desk)."""
    return Selection.of_desk(desk, pantau.rules)


def states_in_chunks(pantau: Pantau, selection: Selection = EVERYTHING) -> Iterator[list[PartnershipState]]:
    """The selected partnerships' states as current_states gives them, a chunk at a time (bounded memory)."""
    for chunk in read_in_chunks(pantau.engine, selection, pantau.decoded):
        row_memo(pantau).follow(chunk.generation)
        line_memo(pantau).follow(chunk.generation)
        yield chunk.states


def each_state(pantau: Pantau, selection: Selection = EVERYTHING) -> Iterator[PartnershipState]:
    """`states_in_chunks`' states one by one: for a caller that keeps less than the states (rows, counts)."""
    for states in states_in_chunks(pantau, selection):
        yield from states


def current_states(pantau: Pantau, selection: Selection = EVERYTHING) -> list[PartnershipState]:
    """The selected partnerships' states with every stored event applied, sorted by stream, writing nothing."""
    found = read(pantau.engine, selection, pantau.decoded)
    row_memo(pantau).follow(found.generation)
    line_memo(pantau).follow(found.generation)
    return found.states


def states_on(
    pantau: Pantau, day: date | None, selection: Selection = EVERYTHING
) -> tuple[date, list[PartnershipState]]:
    """(the day asked, or today; the selected partnerships' states to answer for it).

    The same states answer for any day: a state holds every dated fact of its record, and the
    status functions take only what is dated by the day asked (tests/test_api_reads.py holds
    this against a fold of the whole store). A selection by desk may hold partnerships that were
    the desk's on other days: the callers' status and matrix functions filter by the day's desk.
    """
    return (day or pantau.today()), current_states(pantau, selection)


def row_memo(pantau: Pantau) -> RowMemo:
    """The matrix lines this process has computed already (PANTAU_READ_CACHE_ROWS of them at most)."""
    return pantau.helper("matrix rows", lambda: RowMemo(pantau.rules, pantau.settings.read_cache_rows))


def line_memo(pantau: Pantau) -> DayMemo[StatusLine | None]:
    """The status list's lines this process has computed already (PANTAU_READ_CACHE_ROWS of them at most)."""
    rules, limit = pantau.rules, pantau.settings.read_cache_rows
    return pantau.helper("status lines", lambda: DayMemo(lambda state, day: status_line(state, day, rules), limit))


def state_of(pantau: Pantau, stream: str) -> PartnershipState | None:
    """One partnership's state with every stored event applied, or None when it is not registered."""
    return read_one(pantau.engine, stream, pantau.decoded)


def partnership_names(pantau: Pantau, streams: Iterable[str]) -> dict[str, str]:
    """Each partnership's name as people write it ("Kota Bandung – Seoul"), by its stream id."""
    names = {}
    for stream in set(streams):
        state = state_of(pantau, stream) if stream else None
        if state is not None:
            info = details(state, pantau.today(), pantau.rules)
            names[stream] = f"{info['indonesia']['name']} – {info['partner']['name']}"
    return names
