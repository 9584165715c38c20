"""Reads over the read-model tables and the events after their checkpoint: a selection's states, current.

The one home of queries over `partnership_states` and `projection_checkpoints` for readers. A read
costs what the selection holds: the rows come filtered in SQL by indexed columns, and of the
events not projected yet only the selected streams' are decoded and folded, with those that could
bring a partnership into the selection (a registration, a change of details).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from events.database import fetch_all, reading
from events.mapper import fact_from_row
from events.schema import events as events_table
from projections.partnership import PartnershipState, apply_all, load
from projections.read_columns import read_columns
from projections.rules import Rules
from projections.runner import GENERATION, NAME
from projections.schema import checkpoints, partnership_states

_STATES, _CHECKPOINTS = partnership_states.name, checkpoints.name
_FACT_COLUMNS = "e.position, e.stream, e.version, e.type, e.occurred_on, e.precision, e.data, e.schema_version"
# The checkpoint and the generation, in one statement so that they agree.
_CHECKPOINT = (
    f"SELECT c.position, g.position FROM {_CHECKPOINTS} c LEFT JOIN {_CHECKPOINTS} g ON g.name = ? WHERE c.name = ?"
)
# The events after it, by a literal position: joined to the checkpoint row instead, PostgreSQL
# planned a scan of the whole events table (40 ms of a desk's read at 400,000 events).
_TAIL = f"SELECT {_FACT_COLUMNS} FROM events e WHERE e.position > ? ORDER BY e.position"
_STREAM, _TYPE = 1, 3  # columns of a _TAIL row
# The only events that can bring a partnership into a selection: they set its desk, country or region.
_MEMBERSHIP = frozenset({"PartnershipRegistered", "PartnershipDetailsChanged"})
_CHUNK = 500  # names per IN (...): well under SQLite's limit of bound parameters
_BY_STREAM = attrgetter("stream")


@dataclass(frozen=True)
class Selection:
    """Which partnerships a read wants; every criterion given must hold, none given: every partnership.

    `desk_countries` are the partner countries the rules give the desk (a partnership naming no desk
    belongs to its partner country's desk); `region` is a province or a city as registered.
    """

    desk: str | None = None
    desk_countries: tuple[str, ...] = ()
    region: str | None = None
    country: str | None = None
    streams: frozenset[str] | None = None

    @classmethod
    def of_desk(cls, desk: str | None, rules: Rules) -> Selection:
        """One desk's partnerships, with those of its partner countries that name no desk (None: every one)."""
        return cls(desk=desk, desk_countries=rules.desk(desk).countries) if desk is not None else EVERYTHING

    def where(self) -> tuple[str, tuple]:
        """The SQL condition on `partnership_states` (placeholders `?`) and its parameters."""
        clauses: list[str] = []
        params: list = []
        unsettled = "fixed IS NULL OR fixed = ?"  # rows that moved: the reader checks them itself
        if self.desk is not None:
            countries = ", ".join("?" for _ in self.desk_countries)
            by_country = f" OR (desk IS NULL AND country IN ({countries}))" if countries else ""
            clauses.append(f"(desk = ?{by_country} OR {unsettled})")
            params += [self.desk, *self.desk_countries, False]
        if self.region is not None:
            clauses.append(f"(province = ? OR place = ? OR {unsettled})")
            params += [self.region.casefold(), self.region.casefold(), False]
        if self.country is not None:
            clauses.append(f"(country = ? OR {unsettled})")
            params += [self.country, False]
        if self.streams is not None:
            names = sorted(self.streams) or [""]
            clauses.append(f"stream IN ({', '.join('?' for _ in names)})")
            params += names
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)

    def may_hold(self, state: PartnershipState) -> bool:
        """Whether the partnership can belong to the selection on some day (the same test as `where`)."""
        columns = read_columns(state)
        if self.streams is not None and state.stream not in self.streams:
            return False
        if not columns["fixed"]:
            return True
        if self.desk is not None and not (
            columns["desk"] == self.desk or (columns["desk"] is None and columns["country"] in self.desk_countries)
        ):
            return False
        if self.region is not None and self.region.casefold() not in (columns["province"], columns["place"]):
            return False
        return self.country is None or columns["country"] == self.country


EVERYTHING = Selection()


class DecodedStates:
    """A bounded cache of decoded states by stream, each valid for one position and read-model generation.

    Decoding is the larger cost of a read; a state at a position never changes within a generation
    (a rebuild may rewrite it in place, hence the generation). Least recently used states go first,
    so memory follows `limit` (PANTAU_READ_CACHE_ROWS), not the registry.
    """

    def __init__(self, limit: int = 2000):
        self.limit = limit
        self.generation = -1
        self._states: OrderedDict[str, PartnershipState] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._states)

    def known(self, generation: int, keys: Iterable[tuple[str, int]]) -> dict[str, PartnershipState]:
        """The cached states among (stream, position) of `generation` (the cache empties on a new one)."""
        with self._lock:
            if generation != self.generation:
                self._states.clear()
                self.generation = generation
            found = {}
            for stream, position in keys:
                state = self._states.get(stream)
                if state is not None and state.position == position:
                    self._states.move_to_end(stream)
                    found[stream] = state
            return found

    def keep(self, generation: int, states: Iterable[PartnershipState], evict: bool = True) -> None:
        """Remember states decoded from rows of `generation` (`evict=False`: only while there is room)."""
        with self._lock:
            if generation != self.generation:
                return
            for state in states:
                # A scan of the whole registry keeps what fits and pushes out none of the desks' states.
                if evict or state.stream in self._states or len(self._states) < self.limit:
                    self._states[state.stream] = state
                    self._states.move_to_end(state.stream)
            while len(self._states) > self.limit:
                self._states.popitem(last=False)


@dataclass(frozen=True)
class Read:
    """A selection's states with every stored event applied, sorted by stream."""

    states: list[PartnershipState]
    generation: int  # of the read models the rows came from
    decoded: int  # rows decoded for this read (the others came from the cache)


def read(engine: Engine, selection: Selection = EVERYTHING, cache: DecodedStates | None = None) -> Read:
    """The selected partnerships' states with every stored event applied, without writing anything.

    The answer equals a fold of the whole store over the selection (tests/test_api_reads.py). It
    may hold partnerships whose desk or region moved on their record: the caller filters by day.
    """
    chunks = list(read_in_chunks(engine, selection, cache, size=None))
    return Read([s for chunk in chunks for s in chunk.states], chunks[0].generation, sum(c.decoded for c in chunks))


def read_in_chunks(
    engine: Engine, selection: Selection = EVERYTHING, cache: DecodedStates | None = None, size: int | None = 1000
) -> Iterator[Read]:
    """`read`'s answer a chunk of at most `size` rows at a time (None: one chunk), in stream order.

    For reads over many partnerships: only one chunk's states are held at a time. Every chunk
    applies the same events after the checkpoint, read once at the start.
    """
    # The checkpoint first: the rows, read after it, are at least as new (the runner moves both in
    # one transaction), and the tail, read after it too, holds every event past it, so no event
    # falls between the two.
    [[(position, generation)]] = fetch_all(engine, [(_CHECKPOINT, (GENERATION, NAME))])
    generation = generation or 0
    pieces: Iterator[tuple[list[tuple], bool]]
    if selection == EVERYTHING and size is not None:
        tail, keys = fetch_all(engine, [(_TAIL, (position,)), (_KEYS_AFTER.format("", size), ())])
        pieces = _keyset(engine, keys, size)
    else:
        # A selection's keys come whole, found by its indexes, and are split here: asked with a
        # LIMIT, PostgreSQL walked the primary key in stream order and filtered every row instead
        # (a desk's read at 20,000 partnerships: 8 ms -> 33 ms).
        where, params = selection.where()
        tail, keys = fetch_all(
            engine, [(_TAIL, (position,)), (f"SELECT stream, position FROM {_STATES}{where} ORDER BY stream", params)]
        )
        pieces = _split(keys, size)
    after: str | None = None
    for keys, last in pieces:
        upper = None if last else keys[-1][0]
        here = [r for r in tail if (after is None or r[_STREAM] > after) and (upper is None or r[_STREAM] <= upper)]
        yield _assemble(engine, selection, cache, generation, keys, here)
        after = upper


_KEYS_AFTER = f"SELECT stream, position FROM {_STATES}{{}} ORDER BY stream LIMIT {{}}"


def _keyset(engine: Engine, keys: list[tuple], size: int) -> Iterator[tuple[list[tuple], bool]]:
    """Every row's key, `size` at a time in stream order (the primary key's), and whether it is the last chunk."""
    while len(keys) == size:
        yield keys, False
        [keys] = fetch_all(engine, [(_KEYS_AFTER.format(" WHERE stream > ?", size), (keys[-1][0],))])
    yield keys, True


def _split(keys: list[tuple], size: int | None) -> Iterator[tuple[list[tuple], bool]]:
    if size is None or len(keys) <= size:
        yield keys, True
        return
    for start in range(0, len(keys), size):
        yield keys[start : start + size], start + size >= len(keys)


def _assemble(
    engine: Engine,
    selection: Selection,
    cache: DecodedStates | None,
    generation: int,
    keys: list[tuple],
    tail: list[tuple],
) -> Read:
    """The states of `keys`' rows, and of partnerships the tail brings in, with the tail applied."""
    selected = {stream for stream, _ in keys}
    joining = {
        row[_STREAM]
        for row in tail
        if row[_TYPE] in _MEMBERSHIP and row[_STREAM] not in selected and _may_name(selection, row[_STREAM])
    }
    wanted = [row for row in tail if row[_STREAM] in selected or row[_STREAM] in joining]
    cached = cache.known(generation, keys) if cache is not None else {}
    missing = sorted((selected - cached.keys()) | joining)
    decoded = {state.stream: state for state in _load(engine, missing)}
    if cache is not None:
        cache.keep(generation, decoded.values(), evict=selection != EVERYTHING)
    states: dict[str, PartnershipState | None] = {**cached, **decoded}
    apply_all(states, (fact_from_row(*row) for row in wanted), skip_applied=True)
    out = [
        state
        for stream, state in sorted(states.items())
        if state is not None and (stream in selected or selection.may_hold(state))
    ]
    return Read(out, generation, len(decoded))


def _may_name(selection: Selection, stream: str) -> bool:
    return selection.streams is None or stream in selection.streams


def _load(engine: Engine, streams: list[str]) -> list[PartnershipState]:
    if not streams:
        return []
    statements = [
        (
            f"SELECT state FROM {_STATES} WHERE stream IN ({', '.join('?' for _ in chunk)})",
            tuple(chunk),
        )
        for chunk in (streams[i : i + _CHUNK] for i in range(0, len(streams), _CHUNK))
    ]
    return [load(state) for rows in fetch_all(engine, statements) for (state,) in rows]


def read_one(engine: Engine, stream: str, cache: DecodedStates | None = None) -> PartnershipState | None:
    """One partnership's state with every stored event applied, or None when it is not registered."""
    found = read(engine, Selection(streams=frozenset({stream})), cache).states
    return found[0] if found else None


def known_desks(engine: Engine) -> list[str]:
    """The desks the read models' rows name (the rules add the desks of partner countries)."""
    [rows] = fetch_all(engine, [(f"SELECT DISTINCT desk FROM {_STATES} WHERE desk IS NOT NULL ORDER BY desk", ())])
    return [desk for (desk,) in rows]


def lag(engine: Engine) -> int:
    """How many stored positions the read models have not applied yet, in one round trip."""
    head = sa.select(sa.func.coalesce(sa.func.max(events_table.c.position), 0)).scalar_subquery()
    with reading(engine) as conn:
        return conn.execute(sa.select(head - checkpoints.c.position).where(checkpoints.c.name == NAME)).scalar_one()


def applied(engine: Engine) -> int:
    """The last event position the read models have applied (their checkpoint)."""
    [[(position, _)]] = fetch_all(engine, [(_CHECKPOINT, (GENERATION, NAME))])
    return position


def state_count(engine: Engine) -> int:
    """How many partnerships the read models hold."""
    [[(count,)]] = fetch_all(engine, [(f"SELECT count(*) FROM {_STATES}", ())])
    return count


def load_states(engine: Engine) -> list[PartnershipState]:
    """Every partnership's state from the read model, sorted by stream."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(partnership_states.c.state).order_by(partnership_states.c.stream))
        return [load(state) for (state,) in rows]


def load_streams(engine: Engine, streams: Iterable[str]) -> list[PartnershipState]:
    """The states of some partnerships from the read model, sorted by stream (unknown ones left out)."""
    return sorted(_load(engine, sorted(set(streams))), key=_BY_STREAM)


def iter_states(engine: Engine, batch: int = 2000) -> Iterator[list[PartnershipState]]:
    """Every partnership's state from the read model, sorted by stream, `batch` at a time.

    Each batch is read in a transaction of its own, so a pass over a large registry neither holds
    every state in memory nor one snapshot open for its whole length.
    """
    after = ""
    while True:
        with reading(engine) as conn:
            rows = conn.execute(
                sa.select(partnership_states.c.stream, partnership_states.c.state)
                .where(partnership_states.c.stream > after)
                .order_by(partnership_states.c.stream)
                .limit(batch)
            ).all()
        if not rows:
            return
        after = rows[-1][0]
        yield [load(state) for _, state in rows]


def written_after(engine: Engine, position: int) -> tuple[int, int, set[str]]:
    """(the read models' generation, the last stored position, the streams of the events stored after `position`).

    Positions become visible in order and without gaps (events/recorders), so a reader that has
    seen everything up to `position` learns here all that changed since.
    """
    [[(_, generation)], rows] = fetch_all(
        engine,
        [(_CHECKPOINT, (GENERATION, NAME)), ("SELECT stream, position FROM events WHERE position > ?", (position,))],
    )
    return generation or 0, max((at for _, at in rows), default=position), {stream for stream, _ in rows}


def head_position(engine: Engine) -> int:
    """The last stored position (0 for an empty store)."""
    [[(head,)]] = fetch_all(engine, [("SELECT coalesce(max(position), 0) FROM events", ())])
    return head


def row_positions(engine: Engine) -> tuple[int, list[tuple[str, int]], set[str]]:
    """(the read models' generation, each row's stream and position, the streams with events past the checkpoint).

    For a reader that keeps what it worked out of each state: a row at the position it was read at
    and named by no later event still holds the same state.
    """
    [[(position, generation)]] = fetch_all(engine, [(_CHECKPOINT, (GENERATION, NAME))])
    keys, tail = fetch_all(
        engine,
        [
            (f"SELECT stream, position FROM {_STATES} ORDER BY stream", ()),
            ("SELECT DISTINCT stream FROM events WHERE position > ?", (position,)),
        ],
    )
    return generation or 0, [(stream, at) for stream, at in keys], {stream for (stream,) in tail}


def store_mark(engine: Engine) -> tuple[int, int, int]:
    """(read-model generation, checkpoint, last stored position): equal marks, equal read models and store."""
    [[(position, generation)], [(head,)]] = fetch_all(
        engine, [(_CHECKPOINT, (GENERATION, NAME)), ("SELECT coalesce(max(position), 0) FROM events", ())]
    )
    return generation or 0, position, head
