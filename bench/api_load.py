"""Load on a real `pantau serve`: concurrent clients log activities and read the matrix.

    .venv/bin/python bench/api_load.py [--duration 30] [--writers 8] [--write-rate 200]
                                       [--readers 2] [--backend sqlite|postgresql|both]
                                       [--pg-url postgresql://postgres@127.0.0.1:5432/test]

For each backend: a fresh store (a temporary SQLite file, or a PostgreSQL schema created here and
dropped afterwards) seeded with the sample matrix (32 partnerships), an admin token, `pantau serve`
on a free loopback port; then for --duration seconds the writers POST activities (paced to
--write-rate in total; 0 = as fast as they can) and the readers GET /api/matrix back to back.
Prints throughput, p50/p99 latency and errors per kind of request, and the server's CPU time per request.
Targets on the 2-core machine: 200 writes/s with p99 < 100 ms, matrix p99 < 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "service" / "data" / "matrix-2021-12-27.jsonl"
PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(PANTAU + args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"pantau {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def start(env: dict, port: int, log: Path, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        PANTAU + ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"pantau serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("pantau serve did not come up")


def writer(base: str, token: str, streams: list[str], until: float, interval: float, tally: Tally, n: int) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        next_at, i = time.monotonic(), 0
        while True:
            if interval:
                next_at += interval
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
            if time.monotonic() >= until:
                return
            stream = streams[(n + i) % len(streams)]
            i += 1
            today = datetime.now(UTC).date().isoformat()
            body = {
                "occurred_on": today,
                "kind": "meeting",
                "title": f"bench {n}-{i}",
                "activity_id": f"bench-{uuid.uuid4().hex[:16]}",
            }
            began = time.perf_counter()
            try:
                response = client.post(f"/api/partnerships/{stream}/activities", json=body)
            except httpx.HTTPError as exc:
                tally.fail(type(exc).__name__)
                continue
            if response.status_code == 201:
                tally.ok(time.perf_counter() - began)
            else:
                tally.fail(f"HTTP {response.status_code}")


def reader(base: str, token: str, until: float, tally: Tally) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while time.monotonic() < until:
            began = time.perf_counter()
            try:
                response = client.get("/api/matrix")
            except httpx.HTTPError as exc:
                tally.fail(type(exc).__name__)
                continue
            if response.status_code == 200 and len(response.json()["rows"]) == 32:
                tally.ok(time.perf_counter() - began)
            else:
                tally.fail(f"HTTP {response.status_code}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children that are still running (the workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def report(label: str, tally: Tally, seconds: float) -> dict:
    ms = [x * 1000 for x in tally.latencies]
    line = {
        "requests": len(ms),
        "per_s": round(len(ms) / seconds, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms, default=float("nan")), 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
    }
    print(
        f"  {label:7} {line['requests']:7d} ok  {line['per_s']:8.1f}/s  p50 {line['p50_ms']:7.1f} ms  "
        f"p99 {line['p99_ms']:7.1f} ms  max {line['max_ms']:7.1f} ms  errors {line['errors']} {tally.errors or ''}"
    )
    return line


def bench(backend: str, opts) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(
            opts.pg_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{opts.pg_url}?options=-csearch_path%3D{schema}"
    env = {**os.environ, "PANTAU_DATABASE_URL": url}
    try:
        run(["seed"], env)
        token = run(["users", "ensure-admin", "--name", "bench"], env).strip().splitlines()[-1]
        streams = [json.loads(line)["stream"] for line in SAMPLE.open() if '"PartnershipRegistered"' in line]
        port = free_port()
        server = start(env, port, workdir / "serve.log", opts.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            writes, reads = Tally(), Tally()
            interval = opts.writers / opts.write_rate if opts.write_rate else 0.0
            until = time.monotonic() + opts.duration
            threads = [
                threading.Thread(target=writer, args=(base, token, streams, until, interval, writes, n))
                for n in range(opts.writers)
            ]
            threads += [threading.Thread(target=reader, args=(base, token, until, reads)) for _ in range(opts.readers)]
            began, cpu_before = time.monotonic(), cpu_seconds(server.pid)
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds, cpu = time.monotonic() - began, cpu_seconds(server.pid) - cpu_before
            print(
                f"{backend}: {opts.duration:.0f} s, {opts.writers} writers "
                f"(paced to {opts.write_rate or 'unlimited'}/s), {opts.readers} matrix readers"
            )
            lines = {"writes": report("writes", writes, seconds), "matrix": report("matrix", reads, seconds)}
            served = len(writes.latencies) + len(reads.latencies)
            print(
                f"  server  {cpu:.1f} s of CPU in {seconds:.0f} s ({100 * cpu / seconds:.0f} % of one core), "
                f"{1000 * cpu / max(served, 1):.2f} ms per request"
            )
            return lines
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if schema:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writing clients")
    parser.add_argument("--write-rate", type=float, default=200.0, help="writes/s in total, 0 = unpaced")
    parser.add_argument("--readers", type=int, default=2, help="concurrent matrix readers")
    parser.add_argument("--workers", type=int, default=1, help="`pantau serve --workers` (default 1)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-url", default=os.environ.get("PANTAU_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    opts = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if opts.backend == "both" else [opts.backend]:
        bench(backend, opts)


if __name__ == "__main__":
    main()
