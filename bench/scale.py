"""Pantau at registry scale on PostgreSQL: import, a desk's reads, the whole matrix, a day's alerts, a rebuild.

    .venv/bin/python bench/scale.py [--sizes 2000,20000[,100000]] [--events 20] [--requests 50]
                                    [--page-requests 5] [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
                                    [--markdown] [--registry]

For each size, a fresh PostgreSQL database (created on --pg-url's server, dropped afterwards) and a
registry of that many partnerships of --events events each, generated deterministically and valid
under docs/events.md: desk `kbri-seoul` holds the same 200 partnerships at every size, the others
belong to nine other desks. Everything is measured through the command line and HTTP of
docs/interfaces.md only, as a user would drive it (the code under measure is being rewritten; its
internals may move):

- `pantau import FILE`, the whole process, in events/s;
- `pantau alerts run --day D` for a day after the day before (the first run ever queues the whole
  backlog; it is shown apart);
- `pantau rebuild`;
- against a `pantau serve` on a free loopback port: the first `GET /api/status?desk=kbri-seoul`
  after start, then (after a warm-up) --requests of it and of `GET /api/matrix?format=json&desk=
  kbri-seoul`, p50 and p99; the whole `/matrix` page (every desk, logged in) --page-requests times;
  the whole registry's `GET /api/status` unpaged, twice; the server's resident memory after the
  reads, and each command's peak (the kernel's ru_maxrss, the command started from the small
  bench/peak.py so that it is the command's own). The bench holds the scheduler's leader lock while
  it reads, so the server serves and nothing else (no catch-up alert run, no sending).

Baselines from the same run: the import against a raw COPY of the same rows with the parsing
included (json.loads per line, psycopg's write_row) into a table of the bench's own with the
envelope's columns and uniqueness, run as a process of its own as the import is (start-up
included, as bench/append.py measures SQLite's; the COPY alone is printed beside it); each command against one that only starts and reads a table
(`pantau users list`); each read against `GET /healthz` on the same server; and each size's desk
reads against the smallest size's (the desk holds the same 200 partnerships in all of them).

With --registry, only the public registry's reads (bench/registry_reads.py): the first page, a
filter, a search and the counts on PostgreSQL and SQLite, beside the same queries on a bare table.

Last, the issue's acceptance check, each size against the smallest: the desk's status and JSON
matrix p50 within 1.5x and under 100 ms, the server's and the alert run's peak memory within 2x,
and the import at least half the raw COPY's rate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]
DESK = "kbri-seoul"
DESK_PARTNERSHIPS = 200
DESKS = [
    (DESK, "KR"),
    ("kbri-tokyo", "JP"),
    ("kbri-beijing", "CN"),
    ("kbri-canberra", "AU"),
    ("kbri-berlin", "DE"),
    ("kbri-washington-dc", "US"),
    ("kbri-paris", "FR"),
    ("kbri-den-haag", "NL"),
    ("kbri-bangkok", "TH"),
    ("kbri-hanoi", "VN"),
]
KINDS = [
    "visit",
    "training",
    "grant",
    "video_call",
    "festival",
    "forum",
    "exchange",
    "meeting",
    "working_group",
    "other",
]
ALERT_DAY = date(2026, 11, 2)  # the timed day's run; every generated date is before it
BASE_EVENTS = 5  # registration, two contacts, two signings: the rest are activities, notes, assessments
NAMESPACE = uuid.UUID("0b1d3c5e-7f92-4a4b-8c6d-5e4f3a2b1c0d")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')

console = Console(stderr=True)


def progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<46}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


# --- the registry -----------------------------------------------------------------------------


def desk_of(n: int) -> tuple[str, str]:
    """The desk and partner country of partnership `n`: the first 200 are the desk's, at every size."""
    return DESKS[0] if n < DESK_PARTNERSHIPS else DESKS[1 + n % (len(DESKS) - 1)]


def partnership(n: int, events: int) -> list[dict]:
    """Partnership `n` with `events` events, the same at every size (seeded by `n` alone)."""
    rng = random.Random(n)
    desk, country = desk_of(n)
    stream = f"p{n:06d}-{country.lower()}"
    out: list[dict] = []

    def add(type_: str, on: str, data: dict) -> None:
        out.append(
            {
                "id": str(uuid.uuid5(NAMESPACE, f"{stream}/{len(out)}")),
                "stream": stream,
                "type": type_,
                "occurred_on": on,
                "data": data,
                "meta": {"source": "bench/scale.py"},
            }
        )

    registered = 2000 + n % 15
    add(
        "PartnershipRegistered",
        f"{registered}-01-10",
        {
            "kind": "sister_city" if n % 5 else "sister_province",
            "indonesia": {"name": f"Kota {n}", "level": "city", "province": f"Provinsi {n % 38}"},
            "partner": {"name": f"City {n}", "level": "city", "country": country},
            "desk": desk,
            "fields": ["Pendidikan", "Pariwisata"],
        },
    )
    add(
        "ContactAssigned",
        f"{registered}-01-10",
        {"contact_id": "biro", "name": f"Biro KS {n}", "email": f"biro{n}@pemda.example", "side": "indonesia"},
    )
    add(
        "ContactAssigned",
        f"{registered}-01-10",
        {
            "contact_id": "intl",
            "name": f"Intl {n}",
            "email": f"intl{n}@city.example",
            "side": "partner",
            "language": "en",
        },
    )
    add("AgreementSigned", f"{registered + 1}-05-05", {"agreement_id": "loi", "document": "LoI"})
    # MoUs signed over two years, so that their five years end around the timed day (reminders due).
    signed = date(2021, 5, 1) + timedelta(days=rng.randrange(730))
    add("AgreementSigned", signed.isoformat(), {"agreement_id": "mou", "document": "MoU", "term_years": 5})
    last_year = 2026 if n % 3 else 2021  # a third have gone quiet
    rest = max(0, events - BASE_EVENTS)
    for i in range(rest):
        year = 2006 + (i * (last_year - 2006)) // max(1, rest - 1)
        on = f"{year}-{1 + i % 10:02d}-{1 + rng.randrange(28):02d}"  # months 1-10: never after the timed day
        if n % 4 == 0 and i == 1:
            add("AgreementSigned", "2016-03-01", {"agreement_id": "moa", "document": "MoA"})
        elif n % 4 == 0 and i == 2:
            add("AgreementRenewed", "2019-03-01", {"agreement_id": "moa", "term_years": 3})
        elif i % 7 == 6:
            add("NoteAdded", on, {"text": f"Perkembangan kerja sama {i}"})
        elif i % 10 == 9:
            add("StatusAssessed", on, {"status": "aktif" if n % 3 else "tidak_aktif"})
        else:
            kind = KINDS[(n + i) % len(KINDS)]
            add("ActivityLogged", on, {"activity_id": f"a{i}", "kind": kind, "title": f"Kegiatan {i}"})
    return out


def write_registry(path: Path, size: int, events: int) -> int:
    """The registry of `size` partnerships as JSON Lines; returns the number of events."""
    count = 0
    with progress() as bar, path.open("w") as file:
        task = bar.add_task(f"generating {size:,} partnerships", total=size)
        for n in range(size):
            for event in partnership(n, events):
                file.write(json.dumps(event, ensure_ascii=False) + "\n")
                count += 1
            if n % 500 == 499:
                bar.update(task, completed=n + 1)
    return count


def write_rules(path: Path) -> None:
    lines = []
    for desk, country in DESKS:
        lines += [f"[desks.{desk}]", f'name = "{desk.upper()}"', f'email = "desk@{desk}.example"']
        lines += [f'countries = ["{country}"]', ""]
    path.write_text("\n".join(lines))


# --- baselines and commands -------------------------------------------------------------------


def raw_copy_process(database_url: str, source: Path) -> tuple[float, float]:
    """The raw COPY as a process of its own, as `pantau import` is one: (whole process, COPY alone) seconds.

    The whole process (bench/raw.py: the interpreter, psycopg, the connection) is the baseline the
    import command is held to, as bench/append.py holds it to a raw sqlite3 process; the COPY alone
    is shown beside.
    """
    with progress() as bar:
        bar.add_task("raw COPY, parsing included (baseline)", total=None)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "raw.py"), "copy", database_url, str(source)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
    inner = float(done.stdout.strip())
    console.print(f"  raw COPY, parsing included: {seconds:.2f} s as a process, {inner:.2f} s of it the COPY")
    return seconds, inner


PEAKS: dict[str, float] = {}  # MiB: the peak resident memory of the last run of each command


def pantau(args: list[str], env: dict, label: str | None = None) -> tuple[float, str]:
    """Run a `pantau` command to completion; returns its wall time and output (its peak memory in PEAKS)."""
    with (
        progress() as bar,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as measured,
    ):
        if label:
            bar.add_task(label, total=None)
        # Through bench/peak.py: the command's peak memory and wall time, not the bench's own size.
        returncode = subprocess.run(
            [sys.executable, "-S", str(ROOT / "bench" / "peak.py"), measured.name, *PANTAU, *args],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=err,
        ).returncode
        kib, seconds_text = measured.read().split()
        seconds = float(seconds_text)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    PEAKS[args[0]] = int(kib) / 1024
    if returncode:
        raise SystemExit(f"pantau {' '.join(args)} failed:\n{stderr}")
    if label:
        console.print(f"  {label}: {seconds:.2f} s, peak {PEAKS[args[0]]:,.0f} MiB")
    return seconds, stdout


def queued(output: str) -> int:
    found = re.search(r"(\d+) message\(s\) queued", output)
    return int(found.group(1)) if found else -1


# --- the served process -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(env: dict, log: Path) -> Iterator[tuple[subprocess.Popen, str, float]]:
    """`pantau serve` on a free port: (process, base URL, seconds until /healthz answered)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            PANTAU + ["serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            up = None
            while up is None and time.perf_counter() - started < 300:
                if process.poll() is not None:
                    raise SystemExit(f"pantau serve exited:\n{log.read_text()}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        up = time.perf_counter() - started
                except httpx.HTTPError:
                    time.sleep(0.05)  # polling a starting process
            if up is None:
                raise SystemExit("pantau serve did not answer /healthz within 300 s")
            yield process, base, up
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def scheduler_lock(database_url: str) -> Iterator[None]:
    """Hold the scheduling leader's lock, so the served process only serves (no catch-up, no sending)."""
    from events.database import create_engine
    from service.scheduler import Leader

    engine = create_engine(database_url)
    leader = Leader(engine)
    try:
        if not leader.holds():
            raise SystemExit("another process leads this database's scheduler")
        yield
    finally:
        leader.release()
        engine.dispose()


def timed_get(client: httpx.Client, path: str, check: Callable[[httpx.Response], bool] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - started
    if response.status_code != 200 or (check is not None and not check(response)):
        raise SystemExit(f"GET {path}: HTTP {response.status_code}: {response.text[:300]}")
    return seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_kib(pid: int) -> tuple[int, int]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of a process, in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def desk_rows(response: httpx.Response) -> bool:
    return len(response.json()) == DESK_PARTNERSHIPS


def measure_reads(base: str, token: str, opts, figures: dict) -> None:
    """The desk's reads, the whole matrix page and the /healthz floor, against one served process."""
    status = f"/api/status?desk={DESK}"
    desk_matrix = f"/api/matrix?format=json&desk={DESK}"
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as client:
        figures["first status"] = timed_get(client, status, desk_rows)
        figures["first matrix json"] = timed_get(client, desk_matrix)
        samples: dict[str, list[float]] = {"status": [], "matrix json": [], "healthz": []}
        paths = {"status": (status, desk_rows), "matrix json": (desk_matrix, None), "healthz": ("/healthz", None)}
        with progress() as bar:
            task = bar.add_task(f"desk reads ({opts.requests} each, after warm-up)", total=3 * opts.requests)
            for name, (path, check) in paths.items():
                for _ in range(3):  # warm-up: caches, connections, the interpreter's first paths
                    timed_get(client, path, check)
                for _ in range(opts.requests):
                    samples[name].append(timed_get(client, path, check))
                    bar.advance(task)
        for name, values in samples.items():
            figures[f"{name} p50"], figures[f"{name} p99"] = percentile(values, 50), percentile(values, 99)
            console.print(f"  {name}: p50 {ms(figures[f'{name} p50'])}, p99 {ms(figures[f'{name} p99'])}")
    with httpx.Client(base_url=base, timeout=600) as browser:  # the page reads a login session, not a token
        form = browser.get("/login")
        csrf = CSRF.search(form.text)
        if csrf is None:
            raise SystemExit("the login page has no CSRF field")
        login = browser.post("/login", data={"token": token, "csrf": csrf.group(1), "next": "/matrix"})
        if login.status_code != 303:  # to /matrix, with the session's cookie
            raise SystemExit(f"login: HTTP {login.status_code}")
        pages: list[float] = []
        with progress() as bar:
            task = bar.add_task("the whole /matrix page", total=opts.page_requests + 1)
            timed_get(browser, "/matrix")  # warm-up
            bar.advance(task)
            for _ in range(opts.page_requests):
                pages.append(timed_get(browser, "/matrix"))
                bar.advance(task)
        figures["matrix page p50"], figures["matrix page max"] = percentile(pages, 50), max(pages)
        figures["matrix page bytes"] = len(browser.get("/matrix").content)
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as client:
        # The whole registry's status list, unpaged: the largest answer a client may ask for.
        every = lambda response: len(response.json()) == figures["partnerships"]  # noqa: E731
        figures["all status first"] = timed_get(client, "/api/status", every)
        figures["all status again"] = timed_get(client, "/api/status", every)
        console.print(
            f"  whole GET /api/status: {ms(figures['all status first'])}, again {ms(figures['all status again'])}"
        )


# --- one size ---------------------------------------------------------------------------------


def bench_size(size: int, opts, admin: sa.Engine) -> dict:
    figures: dict = {"partnerships": size}
    name = f"pantau_scale_{size}_{uuid.uuid4().hex[:8]}"
    url = sa.engine.make_url(opts.pg_url).set(database=name).render_as_string(hide_password=False)
    psycopg_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
    workdir = Path(tempfile.mkdtemp(prefix=f"pantau-scale-{size}-"))
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        console.print(f"[bold]{size:,} partnerships[/bold] in database {name} ({workdir})")
        source, rules = workdir / "registry.jsonl", workdir / "rules.toml"
        write_rules(rules)
        figures["events"] = write_registry(source, size, opts.events)
        env = {**os.environ, "PANTAU_DATABASE_URL": url, "PANTAU_RULES": str(rules)}
        env["PANTAU_SINK_PORT"] = str(free_port())  # never another run's local mailbox
        env.pop("PANTAU_SMTP_URL", None)
        pantau(["users", "list"], env, "migrating the fresh database")
        floors = [pantau(["users", "list"], env)[0] for _ in range(3)]
        figures["command floor"] = statistics.median(floors)

        figures["raw copy s"], figures["raw copy alone s"] = raw_copy_process(psycopg_url, source)
        figures["import s"], output = pantau(
            ["import", str(source)], env, f"pantau import ({figures['events']:,} events)"
        )
        if not output.strip().startswith(f"{figures['events']} added"):
            raise SystemExit(f"pantau import: {output.strip()}")
        figures["import peak MiB"] = PEAKS["import"]

        before = (ALERT_DAY - timedelta(days=1)).isoformat()
        figures["first alert run s"], output = pantau(
            ["alerts", "run", "--day", before], env, f"alerts run --day {before} (first ever)"
        )
        figures["first alert run queued"] = queued(output)
        figures["first alert run peak MiB"] = PEAKS["alerts"]  # a digest day: every desk's digest
        figures["alert run s"], output = pantau(
            ["alerts", "run", "--day", ALERT_DAY.isoformat()], env, f"alerts run --day {ALERT_DAY}"
        )
        figures["alert run queued"] = queued(output)
        figures["alert run peak MiB"] = PEAKS["alerts"]
        figures["rebuild s"], _ = pantau(["rebuild"], env, "pantau rebuild")

        token = pantau(["users", "ensure-admin", "--name", "bench"], env)[1].strip().splitlines()[-1]
        with scheduler_lock(url), served(env, workdir / "serve.log") as (process, base, up):
            figures["start s"] = up
            measure_reads(base, token, opts, figures)
            figures["rss MiB"], figures["rss peak MiB"] = (kib / 1024 for kib in rss_kib(process.pid))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    return figures


# --- the report -------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:,.1f} ms"


def rows(results: dict[int, dict]) -> list[tuple[str, list[str]]]:
    """The summary's rows: (what, one cell per size)."""
    smallest = results[min(results)]

    def each(cell: Callable[[dict], str]) -> list[str]:
        return [cell(results[size]) for size in sorted(results)]

    def times(f: dict, key: str) -> str:
        return f"{f[key] / smallest[key]:.1f}×"

    def vs_smallest(key: str) -> Callable[[dict], str]:
        return lambda f: f"{ms(f[key])} ({f[key] / smallest[key]:.1f}×)"

    return [
        ("events", each(lambda f: f"{f['events']:,}")),
        (
            "raw COPY, parsing included, a process (baseline)",
            each(lambda f: f"{f['events'] / f['raw copy s']:,.0f} ev/s"),
        ),
        ("raw COPY alone, in its process", each(lambda f: f"{f['events'] / f['raw copy alone s']:,.0f} ev/s")),
        ("`pantau import` (whole process)", each(lambda f: f"{f['events'] / f['import s']:,.0f} ev/s")),
        ("import ÷ raw COPY", each(lambda f: f"{f['raw copy s'] / f['import s']:.2f}×")),
        ("a command that only starts (`users list`, baseline)", each(lambda f: f"{f['command floor']:.2f} s")),
        (
            "`alerts run --day` (first ever: backlog)",
            each(lambda f: f"{f['first alert run s']:.2f} s, {f['first alert run queued']:,} queued"),
        ),
        (
            "`alerts run --day` (the next day)",
            each(lambda f: f"{f['alert run s']:.2f} s, {f['alert run queued']:,} queued"),
        ),
        ("`pantau rebuild`", each(lambda f: f"{f['rebuild s']:.2f} s ({f['events'] / f['rebuild s']:,.0f} ev/s)")),
        ("`pantau serve` start, until /healthz", each(lambda f: f"{f['start s']:.2f} s")),
        ("first desk status after start", each(vs_smallest("first status"))),
        ("first desk matrix json after start", each(vs_smallest("first matrix json"))),
        ("GET /healthz p50 / p99 (baseline)", each(lambda f: f"{ms(f['healthz p50'])} / {ms(f['healthz p99'])}")),
        (f"desk status p50 (× at {min(results):,})", each(vs_smallest("status p50"))),
        ("desk status p99", each(lambda f: ms(f["status p99"]))),
        (f"desk matrix json p50 (× at {min(results):,})", each(vs_smallest("matrix json p50"))),
        ("desk matrix json p99", each(lambda f: ms(f["matrix json p99"]))),
        ("whole /matrix page p50 / max", each(lambda f: f"{ms(f['matrix page p50'])} / {ms(f['matrix page max'])}")),
        ("whole /matrix page size", each(lambda f: f"{f['matrix page bytes'] / 1e6:.1f} MB")),
        (
            "whole `GET /api/status` unpaged, first / again",
            each(lambda f: f"{ms(f['all status first'])} / {ms(f['all status again'])}"),
        ),
        (
            f"server RSS after the reads, peak (× at {min(results):,})",
            each(lambda f: f"{f['rss MiB']:,.0f} MiB, {f['rss peak MiB']:,.0f} ({times(f, 'rss peak MiB')})"),
        ),
        (
            f"`alerts run --day` peak RSS, first / next day (× at {min(results):,})",
            each(
                lambda f: (
                    f"{f['first alert run peak MiB']:,.0f} MiB ({times(f, 'first alert run peak MiB')}) / "
                    f"{f['alert run peak MiB']:,.0f} MiB ({times(f, 'alert run peak MiB')})"
                )
            ),
        ),
        ("`pantau import` peak RSS", each(lambda f: f"{f['import peak MiB']:,.0f} MiB")),
    ]


def checks(results: dict[int, dict]) -> list[str]:
    """The issue's acceptance check, each size against the smallest: what holds and what misses."""
    smallest, out = results[min(results)], []
    for size in sorted(results):
        f = results[size]
        for key, name in (("status p50", "desk status p50"), ("matrix json p50", "desk matrix json p50")):
            ratio = f[key] / smallest[key]
            ok = ratio <= 1.5 and f[key] < 0.1
            out.append(
                f"{size:,}: {name} {ms(f[key])}, {ratio:.1f}× — {'holds' if ok else 'MISSES'} (≤ 1.5×, < 100 ms)"
            )
        memory = (
            ("rss peak MiB", "server peak RSS"),
            ("first alert run peak MiB", "first (digest day) alert run peak RSS"),
            ("alert run peak MiB", "next day's alert run peak RSS"),
        )
        for key, name in memory:
            ratio = f[key] / smallest[key]
            out.append(f"{size:,}: {name} {ratio:.1f}× — {'holds' if ratio <= 2 else 'MISSES'} (≤ 2×)")
        ratio = f["raw copy s"] / f["import s"]
        out.append(f"{size:,}: import ÷ raw COPY {ratio:.2f}× — {'holds' if ratio >= 0.5 else 'MISSES'} (≥ 0.5×)")
    return out


def report(results: dict[int, dict], markdown: bool) -> None:
    table = Table(title="bench/scale.py", title_justify="left")
    table.add_column("what")
    for size in sorted(results):
        table.add_column(f"{size:,} partnerships", justify="right")
    for what, cells in rows(results):
        table.add_row(what, *cells)
    Console().print(table)
    if markdown:
        print("| what | " + " | ".join(f"{size:,}" for size in sorted(results)) + " |")
        print("|---|" + "---|" * len(results))
        for what, cells in rows(results):
            print(f"| {what} | " + " | ".join(cells) + " |")
    if len(results) > 1:
        print("\n".join(checks(results)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000", help="partnerships per registry, comma-separated")
    parser.add_argument("--events", type=int, default=20, help=f"events per partnership (at least {BASE_EVENTS})")
    parser.add_argument("--requests", type=int, default=50, help="timed requests of each desk read")
    parser.add_argument("--page-requests", type=int, default=5, help="timed requests of the whole /matrix page")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("PANTAU_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server (and a database on it to connect to) where the bench may create databases",
    )
    parser.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table too")
    parser.add_argument(
        "--registry",
        action="store_true",
        help="measure only the public registry's reads, on PostgreSQL and SQLite (bench/registry_reads.py)",
    )
    opts = parser.parse_args()
    try:
        sizes = sorted({int(s.replace("_", "")) for s in opts.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes: {opts.sizes!r} is not a comma-separated list of whole numbers")
    if not sizes or min(sizes) < DESK_PARTNERSHIPS:
        parser.error(f"--sizes: each size must be at least {DESK_PARTNERSHIPS} (the desk's partnerships)")
    if opts.events < BASE_EVENTS:
        parser.error(f"--events: at least {BASE_EVENTS}")
    if opts.requests < 1 or opts.page_requests < 1:
        parser.error("--requests and --page-requests: at least 1")

    if opts.registry:
        sys.path.insert(0, str(ROOT / "bench"))
        from registry_reads import report as registry_report
        from registry_reads import run as registry_run

        console.print(f"the public registry at {', '.join(f'{s:,}' for s in sizes)}; {opts.events} events each")
        found = registry_run(sizes, opts.events, opts.requests, opts.pg_url, partnership, progress, console)
        print("\n".join(registry_report(found)))
        return
    admin_url = sa.engine.make_url(opts.pg_url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    # Killed with SIGTERM, still drop the database of the size under way (bench_size's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    console.print(
        f"sizes {', '.join(f'{s:,}' for s in sizes)}; {opts.events} events per partnership; "
        f"{DESK} holds the same {DESK_PARTNERSHIPS}; PostgreSQL at {admin_url.render_as_string()}"
    )
    results: dict[int, dict] = {}
    try:
        for size in sizes:
            results[size] = bench_size(size, opts, admin)
            report(results, markdown=False)  # what is measured so far, in case a later size is stopped
    finally:
        admin.dispose()
    report(results, markdown=opts.markdown)


if __name__ == "__main__":
    main()
