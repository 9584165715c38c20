"""The matrix page's rows, bounded: every row placed (numbered, filtered, sorted) first, then made for one page.

A whole registry's rows are thousands of objects with their agreements, notes and contacts; the
page shows a hundred. What is kept of each row to number, filter and sort it is a few strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter

from events.vocabulary import ACTIVENESS, PENJAJAKAN
from projections.agreements import IN_FORCE, PENDING
from projections.readmodel import Selection
from service.api.reads import current_states, each_state, of_desk, row_memo
from service.bootstrap import Pantau
from service.matrix import MatrixRow, matrix_order

SORTS = ("no", "region", "partner", "status", "expiry", "activity")
# Quietest first: the activeness from the least active, then the partnerships still explored.
_STATUS_ORDER = {s: i for i, s in enumerate((*reversed(ACTIVENESS), PENJAJAKAN))}
_CHUNK = 500  # partnerships whose states are read at once to make their rows


@dataclass(frozen=True, slots=True)
class Placed:
    """What a matrix row is numbered, filtered and sorted by on the page, without the row."""

    stream: str
    indonesia: str
    province: str | None
    partner: str
    country: str
    matrix_status: str
    last_activity_on: str | None
    next_end: str  # the earliest end of an agreement in force or pending ("9999": none)
    no: int = 0


def _next_end(row: MatrixRow) -> str:
    ends = [a.valid_until for a in row.agreements if a.valid_until and a.state in (IN_FORCE, PENDING)]
    return min(ends) if ends else "9999"


def _placed(row: MatrixRow) -> Placed:
    return Placed(
        row.stream,
        row.indonesia,
        row.province,
        row.partner,
        row.country,
        row.matrix_status,
        row.last_activity_on,
        _next_end(row),
    )


_SORT_KEYS: dict[str, Callable[[Placed], tuple]] = {
    "region": lambda r: (r.province or r.indonesia, r.indonesia, r.partner),
    "partner": lambda r: (r.country, r.partner),
    "status": lambda r: (_STATUS_ORDER.get(r.matrix_status, 9), r.no),
    "expiry": lambda r: (r.next_end, r.no),
    "activity": lambda r: (r.last_activity_on or "0000", r.no),
}


def keeps(status: str, stage: str, q: str) -> Callable[[MatrixRow], bool]:
    """The page's filter: the matrix status, the stage, and every searched word in the row's region, partner or notes."""
    words = q.casefold().split()

    def keep(row: MatrixRow) -> bool:
        if (status and row.matrix_status != status) or (stage and row.stage != stage):
            return False
        if not words:
            return True
        text = " ".join([row.indonesia, row.province or "", row.partner, row.country, *row.developments]).casefold()
        return all(word in text for word in words)

    return keep


def placed_rows(
    pantau: Pantau, day: date, desk: str | None, keep: Callable[[MatrixRow], bool], sort: str = ""
) -> tuple[list[Placed], int]:
    """The desk's matrix rows on `day` that `keep` holds, placed, and how many rows the desk's matrix has.

    Each is numbered as `matrix` numbers it (among every row of the desk), and they come in the
    page's `sort`. The states are read a chunk at a time.
    """
    memo, evict = row_memo(pantau), desk is not None
    every: list[tuple[tuple, Placed | None]] = []
    for state in each_state(pantau, of_desk(pantau, desk)):
        row = memo.row(state, day, evict)
        if row is not None and (desk is None or row.desk == desk):
            every.append((matrix_order(row), _placed(row) if keep(row) else None))
    every.sort(key=itemgetter(0))
    placed = [replace(p, no=n) for n, (_, p) in enumerate(every, 1) if p is not None]
    if sort in _SORT_KEYS:
        placed.sort(key=_SORT_KEYS[sort], reverse=sort == "activity")
    return placed, len(every)


def rows_of(pantau: Pantau, day: date, placed: Sequence[Placed], desk: str | None) -> Iterator[MatrixRow]:
    """The matrix rows of `placed`, in its order and with its numbers, made from a chunk of states at a time."""
    memo, evict = row_memo(pantau), desk is not None
    for start in range(0, len(placed), _CHUNK):
        chunk = placed[start : start + _CHUNK]
        selection = Selection(streams=frozenset(p.stream for p in chunk))
        states = {state.stream: state for state in current_states(pantau, selection)}
        for p in chunk:
            state = states.get(p.stream)
            row = memo.row(state, day, evict) if state is not None else None
            if row is not None:
                yield replace(row, no=p.no)
