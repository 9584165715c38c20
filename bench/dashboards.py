"""The dashboard page (/dasbor) at registry scale: its first paint, cold and warm, beside reading the same states.

    .venv/bin/python bench/dashboards.py [--size 20000] [--events 20] [--requests 20]
                                         [--database-url sqlite:///PATH | postgresql://...] [--reuse]

The registry is bench/scale.py's (the same generator: desk kbri-seoul holds 200 partnerships, nine
other desks the rest, ~20 events each), imported with `pantau import` into --database-url (a
temporary SQLite file by default; --reuse skips the import when the database already holds it).
The app then answers in this process (create_app, no background threads), signed in as an admin:

- baseline: every partnership's state read and decoded (`each_state`, what any whole-country read
  costs), and the rows' positions alone (what a warm dashboard reads of the database);
- the whole country's dashboard, first request of a process without the warmer (cold: every
  summary worked out while the visitor waits);
- in a new process: the warmer's pass (what `pantau serve` does in the background at start and when
  a day begins), then the first request (the first paint a visitor sees), then --requests more
  with nothing written (the answer kept for the store's mark), p50 and p99;
- --requests times: one new activity stored on one partnership, then the page (that partnership
  summarised again, the numbers added up again);
- a desk's dashboard (kbri-seoul) after it;
- GET /healthz, the floor of any request.

The "first paint" is the time to the whole page's HTML: the page loads nothing else to draw (its
charts are inline SVG, its stylesheet is cached), so the browser paints when the HTML is in.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402  (bench/scale.py: the registry generator)

from projections.readmodel import row_positions, state_count  # noqa: E402
from service.api import create_app  # noqa: E402
from service.api.reads import each_state  # noqa: E402
from service.auth import add_user  # noqa: E402
from service.settings import Settings  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]


def timed(call) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def spread(samples: list[float]) -> str:
    """p50 and p99 of samples in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms"


def fill(url: str, rules: Path, size: int, events: int, work: Path) -> None:
    """Generate bench/scale.py's registry of `size` partnerships and import it with `pantau import`."""
    source = work / f"registry-{size}.jsonl"
    scale.write_registry(source, size, events)
    env = {**os.environ, "PANTAU_DATABASE_URL": url, "PANTAU_RULES": str(rules)}
    started = time.perf_counter()
    subprocess.run([*PANTAU, "import", str(source)], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"pantau import of {size:,} partnerships: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def signed_in(url: str, rules: Path):
    """A fresh app (its own caches, as a new process has) and a client signed in as an admin."""
    from fastapi.testclient import TestClient

    app = create_app(Settings(database_url=url, rules_path=str(rules)), background=False)
    pantau = app.state.pantau
    pantau.runner.run()
    token = add_user(pantau.engine, f"bench-{time.time_ns()}", "admin", datetime.now(UTC))[1]
    client = TestClient(app)
    form = client.get("/login")
    login = {"token": token, "csrf": CSRF.search(form.text).group(1), "next": "/dasbor"}
    client.post("/login", data=login, follow_redirects=False)  # not to /dasbor: its first request is measured

    def page(path: str = "/dasbor") -> None:
        response = client.get(path)
        assert response.status_code == 200 and 'id="year-ends-table"' in response.text, response.status_code

    return pantau, client, page


def measure(url: str, rules: Path, requests: int) -> None:
    """Every figure of the module's docstring, printed as a table."""
    from service.api.dashboard import numbers, summaries
    from service.dashboard_warmer import Warmer
    from tests.helpers import activity

    pantau, client, page = signed_in(url, rules)
    size = state_count(pantau.engine)
    rows = {
        "baseline: read and decode every state": [timed(lambda: sum(1 for _ in each_state(pantau)))],
        "baseline: the rows' positions alone": [timed(lambda: row_positions(pantau.engine)) for _ in range(requests)],
        "/dasbor, first request, no warmer (cold)": [timed(page)],
    }
    pantau, client, page = signed_in(url, rules)  # a new process: the warmer's pass, then a visitor
    app = client.app
    app.state.templates.get_template("dashboard.html")  # as `pantau serve` does at start
    warmer = Warmer(pantau, summaries(pantau), lambda: numbers(pantau))
    rows["the warmer's pass (background, once a day)"] = [timed(warmer.warm)]
    rows["/dasbor, first request after it (first paint)"] = [timed(page)]
    rows["/dasbor, again, nothing written (warm)"] = [timed(page) for _ in range(requests)]
    after = []
    for n in range(requests):
        on = date(2026, 1 + n % 10, 1 + n % 28).isoformat()
        pantau.store.append([activity(on, stream="p000001-kr", activity_id=f"bench-{time.time_ns()}")])
        after.append(timed(page))
    rows["/dasbor after one new activity each"] = after
    rows["/dasbor?desk=kbri-seoul after it"] = [timed(lambda: page("/dasbor?desk=kbri-seoul")) for _ in range(requests)]
    rows["GET /healthz"] = [timed(lambda: client.get("/healthz")) for _ in range(requests)]
    print(f"\n{size:,} partnerships on {url.split(':')[0]}, {requests} requests each\n")
    for label, samples in rows.items():
        shown = f"{samples[0]:9.1f} ms" if len(samples) == 1 else spread(samples)
        print(f"  {label:<48} {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true", help="the database already holds the registry")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        url = args.database_url or f"sqlite:///{work / 'pantau.db'}"
        rules = work / "rules.toml"
        scale.write_rules(rules)
        if not args.reuse:
            fill(url, rules, args.size, args.events, work)
        measure(url, rules, args.requests)


if __name__ == "__main__":
    main()
