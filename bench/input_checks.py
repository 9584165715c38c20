"""What the import's input checks of issue 20 cost: decode + validate of the same lines with and without them.

    .venv/bin/python bench/input_checks.py [--events 100000] [--streams 1000] [--repeat 5]

The checks are the repeated-key refusal (events/json_keys.py) and the noncharacter search that
lets no unescaped noncharacter past raw_text_errors' no-backslash shortcut (events/text.py). The
baseline swaps both for what they replaced, in the same process, the rounds interleaved so a busy
spell of the shared machine falls on both; CPU time of this process, best and median.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.append import TODAY, synthetic_lines  # noqa: E402
from events import mapper  # noqa: E402
from events.jsonl import parse_lines  # noqa: E402
from events.text import text_errors  # noqa: E402


def _before_raw_text_errors(raw, decode, prefix):
    """raw_text_errors as it was: skipped without a backslash."""
    return [] if "\\" not in raw else text_errors(decode(raw), prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    blob = b"\n".join(synthetic_lines(args.events, args.streams)) + b"\n"
    checks = {
        "without (baseline)": (lambda raw: [], _before_raw_text_errors),
        "repeated keys only": (mapper.repeated_keys, _before_raw_text_errors),
        "both checks (this branch)": (mapper.repeated_keys, mapper.raw_text_errors),
    }
    times: dict[str, list[float]] = {name: [] for name in checks}
    for _ in range(args.repeat):
        for name, (repeated, raw_text) in checks.items():
            mapper.repeated_keys, mapper.raw_text_errors = repeated, raw_text
            started = time.process_time()
            events, _, errors = parse_lines(io.BytesIO(blob), TODAY)
            times[name].append(time.process_time() - started)
            assert len(events) == args.events and not errors
    base = min(times["without (baseline)"])
    print(f"decode + validate of {args.events:,} events, CPU time, best / median of {args.repeat}:")
    for name, runs in times.items():
        best = min(runs)
        print(
            f"  {name:28} {best:6.3f} s / {statistics.median(runs):6.3f} s  "
            f"{args.events / best:>9,.0f} events/s  {(best - base) / args.events * 1e6:+.2f} us/event"
        )


if __name__ == "__main__":
    main()
