"""Start-up of the `pantau` command line against importing typer and SQLAlchemy, in one run.

    .venv/bin/python bench/cli_startup.py [--runs 11]

Times, as fresh processes of this interpreter taking turns (so a busy machine slows each alike):
- the baseline: `python -c "import typer, sqlalchemy"`, the least any command could cost;
- `pantau --help`;
- `pantau status` on the sample matrix (seeded once into a SQLite file in a temporary directory);
- `pantau import` of an empty file into a new SQLite file each run: start-up and building the
  schema (service/fresh_schema.py's script, not Alembic's migrations one by one).
Prints the median wall time of each and its ratio to the baseline's median (targets: --help
within 1.5x, status within 2x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PANTAU = [sys.executable, "-c", "from service.cli import main; main()"]
TARGETS = {"pantau --help": 1.5, "pantau status": 2.0}
NEW_FILE = "pantau import, new database"
BASELINE = "import typer, sqlalchemy"


def elapsed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run of `command` takes, from spawning to exit; a failing run stops the benchmark."""
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (default 11)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PANTAU_DATABASE_URL": f"sqlite:///{Path(tmp) / 'pantau.db'}",
            "PANTAU_TIMEZONE": "Asia/Jakarta",
        }
        env.pop("PANTAU_RULES", None)
        env.pop("PANTAU_SMTP_URL", None)
        subprocess.run([*PANTAU, "seed"], env=env, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        empty = Path(tmp) / "empty.jsonl"
        empty.write_bytes(b"")
        commands = {
            BASELINE: [sys.executable, "-c", "import typer, sqlalchemy"],
            "pantau --help": [*PANTAU, "--help"],
            "pantau status": [*PANTAU, "status", "--format", "json"],
            NEW_FILE: [*PANTAU, "import", str(empty)],
        }
        for command in commands.values():  # warm the file cache and bytecode once, untimed
            subprocess.run(command, env=env, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs):
            for name, command in commands.items():
                new = {**env, "PANTAU_DATABASE_URL": f"sqlite:///{Path(tmp) / f'new-{run}.db'}"}
                times[name].append(elapsed(command, new if name == NEW_FILE else env))
    baseline = statistics.median(times[BASELINE])
    print(f"median of {args.runs} runs each, interleaved ({sys.executable})")
    for name, runs in times.items():
        median = statistics.median(runs)
        target = (
            f"  (target <= {TARGETS[name]:.1f}x)" if name in TARGETS else "  (baseline)" if name == BASELINE else ""
        )
        print(f"{name:28s} {median * 1000:8.0f} ms  {median / baseline:5.2f}x{target}")


if __name__ == "__main__":
    main()
