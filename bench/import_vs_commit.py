"""The whole `pantau import` of the same file with this tree's code and with an earlier commit's, interleaved.

    .venv/bin/python bench/import_vs_commit.py [--base main] [--events 100000] [--streams 1000] [--repeat 4]

Each run is a process of its own (start-up, validation, append, projection) into a fresh SQLite
file; the base commit's files are written to a temporary directory with `git archive` and put
first on PYTHONPATH, with this checkout's virtualenv. The rounds alternate so a busy spell of a
shared machine falls on both; CPU time is the child's (user + system), what such a spell disturbs
least.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.append import synthetic_lines  # noqa: E402


def _run(tree: Path, source: Path, db: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `pantau import` of `source` with the code in `tree`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env.update(PANTAU_DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=str(tree))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from service.cli import main; main()", "import", str(source)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: pantau import failed: {done.stderr[-800:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pantau-vs-"))
    base = work / "base"
    base.mkdir()
    archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
    source = work / "events.jsonl"
    source.write_bytes(b"\n".join(synthetic_lines(args.events, args.streams)) + b"\n")
    trees = {f"base {args.base}": base, "this tree": ROOT}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for round_ in range(args.repeat):
        for number, (name, tree) in enumerate(trees.items()):
            runs[name].append(_run(tree, source, work / f"{round_}-{number}.db"))
    print(f"pantau import of {args.events:,} events, a process each, {args.repeat} rounds ({work}):")
    for name, timed in runs.items():
        walls, cpus = [w for w, _ in timed], [c for _, c in timed]
        print(
            f"  {name:20} wall best {min(walls):6.2f} s   CPU best {min(cpus):6.2f} s, median {statistics.median(cpus):6.2f} s"
        )
    base_cpu, this_cpu = (min(c for _, c in timed) for timed in runs.values())
    print(f"  => this tree's CPU time {this_cpu / base_cpu:.2f}x the base's (best against best)")


if __name__ == "__main__":
    main()
