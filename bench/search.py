"""The search at 20,000 partnerships, beside a baseline: a LIKE scan of the same rows, in the same run.

    .venv/bin/python bench/search.py [--size 20000] [--repeat 20]
                                     [--pg-url postgresql://postgres@127.0.0.1:5432/test]

Folds `--size` partnerships (each with four activities, a contact, two notes and a draft: about nine
index rows) into the read model of a fresh SQLite file and, with --pg-url, a PostgreSQL schema of its
own; times the index's full build (service/search_index.refresh); then for each query times the
page the search shows (its count and first 20 hits) with the database's full-text search
(service/search.search) and with the baseline, `lower(title || ' ' || body) LIKE '%word%'` over the
same `search_entries` rows, and prints the median and p95 of each and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import msgspec
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from events import mapper  # noqa: E402
from events.database import create_engine, normalise_url  # noqa: E402
from projections.partnership import fold  # noqa: E402
from projections.runner import NAME, _row  # noqa: E402
from projections.schema import checkpoints, partnership_states  # noqa: E402
from service import search_index  # noqa: E402
from service.bootstrap import migrate  # noqa: E402
from service.search import PAGE_SIZE, search, terms  # noqa: E402

FAR = date(2030, 1, 1)
WORDS = [
    "kunjungan",
    "delegasi",
    "pertukaran",
    "pelajar",
    "beasiswa",
    "festival",
    "budaya",
    "pameran",
    "dagang",
    "pelatihan",
    "guru",
    "rapat",
    "koordinasi",
    "daring",
    "pariwisata",
    "kuliner",
    "gamelan",
    "batik",
    "pelabuhan",
    "kesehatan",
    "lingkungan",
    "sampah",
    "air",
    "bersih",
    "pemuda",
    "olahraga",
    "seni",
    "tari",
    "musik",
    "pertanian",
    "perikanan",
    "teknologi",
]
QUERIES = ("kota 12345", "gamelan", "kunj", "beasiswa festival", "tidakada")
_LIKE = """
SELECT stream, kind, item, title, body FROM search_entries
WHERE {where} ORDER BY stream, id LIMIT :limit
"""
_LIKE_COUNT = "SELECT count(*) FROM search_entries WHERE {where}"


def _event(stream: str, type_: str, on: str, data: dict):
    envelope = {"id": str(uuid.uuid4()), "stream": stream, "type": type_, "occurred_on": on, "data": data}
    return mapper.from_dict(envelope, FAR)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def states(size: int) -> list:
    """`size` folded partnerships, numbered by position."""
    rng = random.Random(7)
    made = []
    for n in range(size):
        stream = f"kota-{n}-city-{n}"
        details = {
            "kind": "sister_city",
            "indonesia": {"name": f"Kota {n}", "level": "city", "province": f"Provinsi {n % 34}"},
            "partner": {"name": f"City {n}", "level": "city", "country": "KR"},
            "fields": ["pendidikan"],
            "desk": "kbri-seoul",
        }
        events = [_event(stream, "PartnershipRegistered", "2010-01-01", details)]
        for a in range(4):
            data = {
                "activity_id": f"a{a}",
                "kind": "visit",
                "title": _sentence(rng, 4),
                "description": _sentence(rng, 12),
            }
            events.append(_event(stream, "ActivityLogged", f"201{a + 2}-05-01", data))
        events.append(
            _event(
                stream,
                "ContactAssigned",
                "2011-01-01",
                {"contact_id": "c", "name": f"Ibu Sari {n}", "side": "indonesia"},
            )
        )
        events += [_event(stream, "NoteAdded", f"201{k + 6}-01-01", {"text": _sentence(rng, 20)}) for k in range(2)]
        events.append(
            _event(
                stream, "DraftOpened", "2019-01-01", {"draft_id": "d", "document": "MoU", "title": _sentence(rng, 5)}
            )
        )
        state = fold(events)
        made.append(msgspec.structs.replace(state, position=n + 1))
    return made


def fill(engine, folded: list) -> float:
    """The read model written and the index built from it; the seconds the build took."""
    migrate(engine)
    with engine.begin() as conn:
        for start in range(0, len(folded), 1000):
            conn.execute(partnership_states.insert(), [_row(s) for s in folded[start : start + 1000]])
        conn.execute(checkpoints.delete().where(checkpoints.c.name == NAME))
        conn.execute(checkpoints.insert().values(name=NAME, position=len(folded), fold_version=0))
    began = time.perf_counter()
    search_index.refresh(engine, date(2026, 11, 23))
    return time.perf_counter() - began


def _like(engine, query: str) -> tuple[int, int]:
    words = terms(query)
    where = " AND ".join(f"lower(title || ' ' || body) LIKE :w{i}" for i in range(len(words))) or "1 = 0"
    params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)} | {"limit": PAGE_SIZE}
    with engine.connect() as conn:
        total = conn.execute(sa.text(_LIKE_COUNT.format(where=where)), params).scalar_one()
        rows = conn.execute(sa.text(_LIKE.format(where=where)), params).all()
    return total, len(rows)


def _timed(work, repeat: int) -> tuple[float, float, object]:
    work()  # warm
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        answer = work()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], answer


def measure(label: str, engine, folded: list, repeat: int) -> None:
    built = fill(engine, folded)
    count = sa.select(sa.func.count()).select_from(search_index.entries)
    with engine.connect() as conn:
        rows = conn.execute(count).scalar_one()
    print(f"\n{label}: {len(folded):,} partnerships, {rows:,} index rows, full build {built:.1f} s")
    print(f"{'query':<20} {'hits':>7} {'fts p50':>9} {'fts p95':>9} {'like p50':>9} {'like p95':>9} {'like/fts':>8}")
    for query in QUERIES:
        f50, f95, (_, total) = _timed(lambda q=query: search(engine, q, 1), repeat)
        l50, l95, (like_total, _) = _timed(lambda q=query: _like(engine, q), repeat)
        note = "" if like_total == total else f"  (LIKE finds {like_total}: inside words too)"
        print(
            f"{query:<20} {total:>7} {f50:>8.1f}ms {f95:>8.1f}ms {l50:>8.1f}ms {l95:>8.1f}ms {l50 / f50:>7.1f}x{note}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pg-url", default="")
    args = parser.parse_args()
    began = time.perf_counter()
    folded = states(args.size)
    print(f"folded {args.size:,} partnerships in {time.perf_counter() - began:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'search.db'}")
        measure("SQLite (FTS5)", engine, folded, args.repeat)
        engine.dispose()
    if args.pg_url:
        schema = f"bench_search_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(normalise_url(args.pg_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            engine = create_engine(args.pg_url, connect_args={"options": f"-csearch_path={schema}"})
            measure("PostgreSQL (tsvector, simple)", engine, folded, args.repeat)
            engine.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
