"""The raw baselines of a whole import, each run as a process of its own and importing nothing else.

    python bench/raw.py sqlite FILE DB      parse each line, one executemany into a fresh SQLite file
    python bench/raw.py copy URL FILE       parse each line, one COPY into a table of its own (dropped after)

`pantau import` is a process, start-up included, so its baseline is one too: bench/append.py and
bench/scale.py time this script's whole run beside the import. It imports only the standard library
and, for COPY, psycopg, so that its start-up is the floor any importer pays. `copy` prints the
seconds of the COPY alone (parsing included, connecting and creating the table not).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone

SQLITE_SCHEMA = """
CREATE TABLE events (position INTEGER PRIMARY KEY, id VARCHAR(36) NOT NULL UNIQUE, stream VARCHAR(80) NOT NULL,
  version INTEGER NOT NULL, type VARCHAR(64) NOT NULL, occurred_on DATE NOT NULL, precision VARCHAR(5) NOT NULL,
  data TEXT NOT NULL, meta TEXT NOT NULL, recorded_at DATETIME NOT NULL, schema_version SMALLINT NOT NULL DEFAULT 1,
  UNIQUE (stream, version));
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'immutable'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'immutable'); END;
"""
SQLITE_INSERT = "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)"

# The envelope's columns and uniqueness, in a table of the baseline's own.
COPY_TABLE = """CREATE TABLE bench_raw_events (
    position bigint PRIMARY KEY, id uuid NOT NULL UNIQUE, stream text NOT NULL, version integer NOT NULL,
    type text NOT NULL, occurred_on text NOT NULL, data jsonb NOT NULL, meta jsonb NOT NULL,
    recorded_at timestamptz NOT NULL, UNIQUE (stream, version))"""


def envelope_rows(lines: Iterable[bytes], now: object, store_columns: bool = True) -> Iterator[tuple]:
    """Each line's row, parsed with json.loads: position, id, stream, version, type, date, data,
    meta, recording time; with the store's precision and schema version where `store_columns`."""
    versions: dict[str, int] = {}
    for position, line in enumerate(lines, start=1):
        obj = json.loads(line)
        version = versions[obj["stream"]] = versions.get(obj["stream"], 0) + 1
        data, meta = json.dumps(obj["data"]), json.dumps(obj["meta"])
        head = (position, obj["id"], obj["stream"], version, obj["type"], obj["occurred_on"])
        yield (*head, "day", data, meta, now, 1) if store_columns else (*head, data, meta, now)


def sqlite_pipeline(source: str, db: str) -> None:
    """Parse each line, then one executemany in one transaction (WAL, synchronous=FULL, as the store)."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SQLITE_SCHEMA)
    with open(source, "rb") as lines:
        rows = list(envelope_rows(lines, datetime.now(timezone.utc).isoformat(sep=" ")))
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(SQLITE_INSERT, rows)
    conn.execute("COMMIT")


def copy(url: str, source: str) -> float:
    """Parse each line and write it to one COPY (psycopg's write_row); the COPY's seconds."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("DROP TABLE IF EXISTS bench_raw_events")
        pg.execute(COPY_TABLE)
        started = time.perf_counter()
        with (
            pg.transaction(),
            pg.cursor() as cursor,
            open(source, "rb") as lines,
            cursor.copy("COPY bench_raw_events FROM STDIN") as rows,
        ):
            for row in envelope_rows(lines, datetime.now(timezone.utc), store_columns=False):
                rows.write_row(row)
        seconds = time.perf_counter() - started
        pg.execute("DROP TABLE bench_raw_events")  # the store's tables alone from here on
    return seconds


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sqlite":
        sqlite_pipeline(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "copy":
        print(f"{copy(sys.argv[2], sys.argv[3]):.4f}")
    else:
        sys.exit(__doc__)
