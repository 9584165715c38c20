"""Alert costs on a large synthetic record: one day's run, a month's digests, a year's simulation.

    .venv/bin/python bench/alerts.py [--partnerships 10000] [--events 100] [--simulate 1000]
                                     [--db DIR (keep and reuse the store)] [--repeat N]

Builds `--partnerships` partnerships of `--events` events each (registration, agreements spread so
that reminders fall due, contacts with addresses, activities over twenty years, notes,
assessments), appends them with EventStore.append in batches of 100 streams into SQLite in a
temporary directory, folds the read models, then times:
- the first run ever (every reminder within its threshold is due at once), then the next day's run
  (read models -> due-day index -> rules -> render -> outbox), and that day again (nothing new);
  the first of these builds the due-day index (bench/alert_day.py compares with reading everyone);
- the digests of a month (one per desk, rendered and queued);
- `simulate` over a year for the first `--simulate` partnerships.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events import mapper
from events.database import create_engine
from events.store import EventStore
from notifications.alert_rules import AlertRules
from notifications.job import queue_days, run_days
from notifications.outbox import counts
from notifications.simulate import simulate
from projections.readmodel import load_states
from projections.rules import Desk, Rules
from projections.runner import ProjectionRunner
from service.bootstrap import migrate

TODAY = date(2026, 11, 23)
ONE_DAY = timedelta(days=1)
DAY = date(2026, 3, 10)  # the day of the timed alert run
DIGEST_DAY = date(2026, 4, 1)  # the digests of March 2026
KINDS = ["visit", "training", "grant", "video_call", "festival", "forum", "exchange", "meeting", "other"]
DESKS = [
    ("kbri-seoul", "KR"),
    ("kbri-tokyo", "JP"),
    ("kbri-beijing", "CN"),
    ("kbri-canberra", "AU"),
    ("kbri-berlin", "DE"),
]
RULES = Rules(desks=tuple(Desk(d, d.upper(), f"{d}@kemlu.example", (c,)) for d, c in DESKS))


def _event(stream: str, type_: str, on: str, data: dict) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "stream": stream,
        "type": type_,
        "occurred_on": on,
        "data": data,
        "meta": {"source": "bench"},
    }


def partnership(n: int, events: int, rng: random.Random) -> list[dict]:
    """One synthetic partnership of `events` events."""
    stream = f"kota-{n:05d}-partner"
    desk, country = DESKS[n % len(DESKS)]
    out = [
        _event(
            stream,
            "PartnershipRegistered",
            "2005-01-10",
            {
                "kind": "sister_city",
                "desk": desk,
                "fields": ["Pendidikan", "Pariwisata"],
                "indonesia": {"name": f"Kota {n}", "level": "city", "province": f"Provinsi {n % 34}"},
                "partner": {"name": f"City {n}", "level": "city", "country": country},
            },
        )
    ]
    out.append(
        _event(
            stream,
            "ContactAssigned",
            "2005-01-10",
            {"contact_id": "biro", "name": f"Biro KS {n}", "email": f"biro{n}@pemda.example", "side": "indonesia"},
        )
    )
    out.append(
        _event(
            stream,
            "ContactAssigned",
            "2005-01-10",
            {
                "contact_id": "partner",
                "name": f"Partner {n}",
                "email": f"intl{n}@city.example",
                "side": "partner",
                "language": "en",
            },
        )
    )
    # MoUs signed on days spread over 2021-2022, so their five years end around the timed day.
    signed = date.fromordinal(date(2020, 9, 1).toordinal() + rng.randrange(730))
    out.append(_event(stream, "AgreementSigned", "2010-05-05", {"agreement_id": "loi-2010", "document": "LoI"}))
    out.append(_event(stream, "AgreementSigned", signed.isoformat(), {"agreement_id": "mou", "document": "MoU"}))
    last_year = 2026 if n % 3 else 2021  # a third of them have gone quiet
    rest = events - len(out)
    for i in range(rest):
        if i % 20 == 19:
            out.append(_event(stream, "NoteAdded", f"{2010 + i % 12}-06-01", {"text": f"Perkembangan {i}"}))
        elif i % 25 == 24:
            out.append(_event(stream, "StatusAssessed", f"{2010 + i % 12}-12-27", {"status": "aktif"}))
        else:
            year = 2006 + (i * (last_year - 2006)) // rest
            out.append(
                _event(
                    stream,
                    "ActivityLogged",
                    f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    {"activity_id": f"a{i}", "kind": KINDS[i % len(KINDS)], "title": f"Kegiatan {i}"},
                )
            )
    out.sort(key=lambda e: e["type"] != "PartnershipRegistered")  # registration first, then any order
    return out


def load(engine, partnerships: int, events: int) -> float:
    """Append the synthetic record in batches of 100 partnerships; returns the seconds it took."""
    store = EventStore(engine)
    rng = random.Random(7)
    started = time.perf_counter()
    for first in range(0, partnerships, 100):
        batch = [
            mapper.from_dict(e, TODAY)
            for n in range(first, min(first + 100, partnerships))
            for e in partnership(n, events, rng)
        ]
        store.append(batch)
    ProjectionRunner(store, batch=20_000).run()
    return time.perf_counter() - started


def timed(label: str, action):
    """Run `action`, printing its wall time and this process's CPU time (other load on the machine
    stretches the first, hardly the second)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:<58} {time.perf_counter() - started:7.2f} s wall {time.process_time() - cpu:7.2f} s cpu", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--simulate", type=int, default=1_000)
    parser.add_argument("--db", help="keep the SQLite database in this directory and reuse it if loaded")
    parser.add_argument("--repeat", type=int, default=1, help="time the day's run this many times")
    args = parser.parse_args()
    rules = AlertRules()
    now = datetime(2026, 11, 23, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.db or scratch
        Path(tmp).mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        if EventStore(engine).head():
            print(f"reusing {tmp}/bench.db")
            with engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM outbox")
        else:
            seconds = load(engine, args.partnerships, args.events)
            print(f"loaded {args.partnerships} partnerships x {args.events} events in {seconds:.1f} s (SQLite, {tmp})")
        states = timed("load_states (read models, full)", lambda: load_states(engine))

        def day_run(day):
            return lambda: run_days(engine, [day], RULES, rules, now, digests=False)

        first = timed(f"first run ever ({DAY - ONE_DAY}): every reminder already due", day_run(DAY - ONE_DAY))
        print(f"  queued {len(first)} messages")
        queued = timed(f"one day's alert run ({DAY}), read models included", day_run(DAY))
        print(f"  queued {len(queued)} messages")
        for _ in range(args.repeat):
            again = timed("the same day again (nothing new)", day_run(DAY))
        print(f"  queued {len(again)} messages")

        def digests():
            return queue_days(engine, load_states(engine), [DIGEST_DAY], RULES, rules, now, partnerships=False)

        queued = timed(f"a month's digests ({DIGEST_DAY:%Y-%m} for {DIGEST_DAY}), rendered", digests)
        print(f"  queued {len(queued)} digests for {len(DESKS)} desks; outbox: {counts(engine)}")
        subset = states[: args.simulate]
        planned = timed(
            f"simulate 2025-01-01..2025-12-31 for {len(subset)} partnerships",
            lambda: simulate(subset, date(2025, 1, 1), date(2025, 12, 31), RULES, rules),
        )
        print(f"  {len(planned)} messages")
        engine.dispose()


if __name__ == "__main__":
    main()
