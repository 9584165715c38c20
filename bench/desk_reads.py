"""A desk's reads against the size of the registry: the same 200 partnerships among 2,000 and among 20,000.

    .venv/bin/python bench/desk_reads.py [--sizes 2000,20000] [--requests 100]
                                         [--pg-url postgresql://postgres@127.0.0.1:5432/test]

For each size: a PostgreSQL schema of its own, filled by `pantau import` (COPY) with ~20 events a
partnership, where the desk kbri-seoul holds the same 200 partnerships; then, in a fresh process,
the ASGI app (no background threads, the interpreter settled as `pantau serve` does) answers GET /api/status?desk=kbri-seoul and
GET /api/matrix?desk=kbri-seoul (JSON) --requests times each after a warm-up, and the process's
resident memory is read after them, and again after one unpaged read of the whole registry.
Prints p50/p99 per size and the ratio of the largest size to the smallest (the baseline, measured
in the same run). Targets: under 100 ms, within 1.5x; memory within 2x.
Before readmodel.py (the whole-registry StateCache): 20,000 partnerships 4.6 s, 962 MB; 2,000:
477 ms, 164 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]
DESK, DESK_SIZE = "kbri-seoul", 200
OTHER_DESKS = [("kbri-tokyo", "JP"), ("kbri-beijing", "CN"), ("kbri-canberra", "AU"), ("kbri-berlin", "DE")]
_NS = uuid.UUID("0b1e4a52-3c6d-4f0e-9a41-7d2c5e8f9a10")


def _line(stream: str, type_: str, on: str, data: dict) -> str:
    body = f"{stream}|{type_}|{on}|{sorted(data.items())!r}"
    envelope = {"id": str(uuid.uuid5(_NS, body)), "stream": stream, "type": type_, "occurred_on": on, "data": data}
    return json.dumps(envelope)


def partnership(stream: str, desk: str, country: str, n: int) -> list[str]:
    """About 20 events of one partnership: registration, two signings, a contact, activities, a note."""
    lines = [
        _line(
            stream,
            "PartnershipRegistered",
            "2010-01-01",
            {
                "kind": "sister_city",
                "indonesia": {"name": f"Kota {n}", "level": "city", "province": f"Provinsi {n % 34}"},
                "partner": {"name": f"City {n}", "level": "city", "country": country},
                "fields": ["pendidikan"],
                "desk": desk,
            },
        ),
        _line(stream, "AgreementSigned", "2012-03-01", {"agreement_id": "mou-2012", "document": "MoU"}),
        _line(stream, "AgreementSigned", "2019-06-01", {"agreement_id": "moa-2019", "document": "MoA"}),
        _line(stream, "ContactAssigned", "2012-03-01", {"contact_id": "pic", "name": "Ibu Sari", "side": "indonesia"}),
        _line(stream, "NoteAdded", "2024-01-15", {"text": f"Rapat koordinasi {n}"}),
    ]
    for k in range(15):
        on = f"{2011 + k}-0{1 + k % 9}-1{k % 9}"
        lines.append(
            _line(stream, "ActivityLogged", on, {"activity_id": f"a{k}", "kind": "visit", "title": f"Kunjungan {k}"})
        )
    return lines


def registry_file(size: int, path: Path) -> None:
    """The JSON Lines of `size` partnerships, the first DESK_SIZE of them the desk's."""
    with path.open("w") as out:
        for n in range(size):
            if n < DESK_SIZE:
                stream, desk, country = f"kota-s{n:04d}-seoul", DESK, "KR"
            else:
                desk, country = OTHER_DESKS[n % len(OTHER_DESKS)]
                stream = f"kota-o{n:06d}-{country.lower()}"
            out.write("\n".join(partnership(stream, desk, country, n)) + "\n")


def build(size: int, pg_url: str) -> tuple[str, str, float]:
    """A schema holding the registry of `size`: (its URL, its name, seconds the import took)."""
    schema = f"bench_desk_{size}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{pg_url}?options=-csearch_path%3D{schema}"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "registry.jsonl"
        registry_file(size, source)
        began = time.perf_counter()
        subprocess.run(
            [*PANTAU, "import", str(source)],
            env={**os.environ, "PANTAU_DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
    took = time.perf_counter() - began
    # As autovacuum would soon after: the planner's statistics, and no vacuum competing with the reads.
    with admin.connect() as conn:
        conn.execute(sa.text(f'SET search_path TO "{schema}"'))
        conn.execute(sa.text("VACUUM ANALYZE events"))
        conn.execute(sa.text("VACUUM ANALYZE partnership_states"))
    return url, schema, took


def drop(schema: str, pg_url: str) -> None:
    admin = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _plan(pantau) -> str:
    """How PostgreSQL finds the desk's rows (the first line of EXPLAIN)."""
    from projections.readmodel import Selection

    where, params = Selection.of_desk(DESK, pantau.rules).where()
    sql = f"EXPLAIN SELECT stream, position FROM partnership_states{where} ORDER BY stream"
    with pantau.engine.connect() as conn:
        lines = [row[0] for row in conn.exec_driver_sql(sql.replace("?", "%s"), params)]
    return " / ".join(line.strip() for line in lines if "Scan" in line or "Sort" in line)


def measure(url: str, requests: int) -> dict:
    """In this (fresh) process: the desk's status and matrix through the ASGI app, then the memory."""
    from datetime import UTC, datetime

    from fastapi.testclient import TestClient

    from service.api import create_app
    from service.auth import add_user
    from service.server import settle
    from service.settings import Settings

    app = create_app(Settings(database_url=url), background=False)
    settle()  # as `pantau serve` does before it serves
    token = add_user(app.state.pantau.engine, f"bench-{uuid.uuid4().hex[:6]}", "viewer", datetime.now(UTC))[1]
    headers = {"Authorization": f"Bearer {token}"}
    out: dict = {}
    paths = {"status": "/api/status", "matrix": "/api/matrix"}
    times: dict[str, list[float]] = {name: [] for name in paths}
    with TestClient(app) as client:
        for n in range(requests + 10):
            for name, path in paths.items():  # interleaved: a passing load on the machine hits both alike
                began = time.perf_counter()
                response = client.get(path, params={"desk": DESK}, headers=headers)
                elapsed = time.perf_counter() - began
                assert response.status_code == 200, response.text
                if n == 0:  # nothing decoded or computed yet in this process
                    out[name] = {"cold": elapsed * 1000}
                    rows = response.json()
                    out[name]["rows"] = len(rows if isinstance(rows, list) else rows["rows"])
                if n >= 10:  # the first reads warm the caches
                    times[name].append(elapsed * 1000)
        for name, taken in times.items():
            out[name].update(p50=statistics.median(taken), p99=statistics.quantiles(taken, n=100)[98])
        out["plan"] = _plan(app.state.pantau)
        out["rss_desk_mb"] = _rss_mb()
        began = time.perf_counter()
        whole = client.get("/api/status", headers=headers)
        out["whole_status_s"] = time.perf_counter() - began
        out["whole_rows"] = len(whole.json())
        out["rss_after_whole_mb"] = _rss_mb()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--pg-url", default=os.environ.get("PANTAU_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: a database URL
    opts = parser.parse_args()
    if opts.measure:
        print(json.dumps(measure(opts.measure, opts.requests)))
        return
    results = {}
    for size in [int(s) for s in opts.sizes.split(",")]:
        url, schema, took = build(size, opts.pg_url)
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--measure", url, "--requests", str(opts.requests)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            results[size] = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            drop(schema, opts.pg_url)
        r = results[size]
        print(
            f"{size:>6} partnerships ({size * 20:,} events, import {took:.0f} s): "
            f"desk status p50 {r['status']['p50']:.1f} ms p99 {r['status']['p99']:.1f} ms "
            f"(first {r['status']['cold']:.0f} ms, {r['status']['rows']} rows); "
            f"matrix p50 {r['matrix']['p50']:.1f} ms p99 {r['matrix']['p99']:.1f} ms (first {r['matrix']['cold']:.0f} ms); "
            f"RSS {r['rss_desk_mb']:.0f} MB after desk reads; "
            f"one unpaged whole-registry status {r['whole_status_s']:.2f} s ({r['whole_rows']} rows), "
            f"RSS after it {r['rss_after_whole_mb']:.0f} MB\n        plan of the desk's rows: {r['plan']}",
            flush=True,
        )
    small, large = min(results), max(results)
    if small != large:
        a, b = results[small], results[large]
        print(
            f"ratio {large} / {small}: status p50 {b['status']['p50'] / a['status']['p50']:.2f}x, "
            f"matrix p50 {b['matrix']['p50'] / a['matrix']['p50']:.2f}x, "
            f"RSS after desk reads {b['rss_desk_mb'] / a['rss_desk_mb']:.2f}x "
            "(targets: < 100 ms, within 1.5x; memory within 2x)"
        )


if __name__ == "__main__":
    main()
