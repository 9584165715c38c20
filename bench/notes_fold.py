"""Folding one partnership with many notes: the event-at-a-time fold against `fold`, same run.

    .venv/bin/python bench/notes_fold.py [--notes 5000 10000 20000] [--repeat 3]

Builds a registration and N NoteAdded facts in memory, then times, best of `--repeat`:
- baseline: applying them one at a time (`apply` in a loop: each note copies the notes tuple,
  so the cost grows with the square of N — how every fold worked before);
- fold: `projections.partnership.fold` (`apply_all`: notes wait in a list, one copy at the end).
Per-note times that stay flat as N doubles mean linear.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events.catalogue import NoteAdded, PartnershipRegistered  # noqa: E402
from events.dates import PartialDate  # noqa: E402
from events.model import Fact  # noqa: E402
from projections.partnership import apply, fold  # noqa: E402

import msgspec  # noqa: E402


def facts(notes: int) -> list[Fact]:
    """A registration and `notes` notes of one stream, as the store hands them to a fold."""
    registration = msgspec.convert({"kind": "sister_city",
                                    "indonesia": {"name": "Kota Bandung", "level": "city"},
                                    "partner": {"name": "Seoul", "level": "si", "country": "KR"}},
                                   PartnershipRegistered)
    day = PartialDate.parse("2020-01-01")
    out = [Fact(1, "kota-bandung-seoul", 1, "PartnershipRegistered", day, registration)]
    out += [Fact(i + 2, "kota-bandung-seoul", i + 2, "NoteAdded", day, NoteAdded(text=f"catatan {i}"))
            for i in range(notes)]
    return out


def one_at_a_time(events):
    state = None
    for event in events:
        state = apply(state, event)
    return state


def best(function, events, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(events)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'notes':>7} {'one at a time':>14} {'fold':>9} {'µs/note before':>15} {'µs/note after':>14} {'speed-up':>9}")
    for n in args.notes:
        events = facts(n)
        assert one_at_a_time(events) == fold(events)
        before, after = best(one_at_a_time, events, args.repeat), best(fold, events, args.repeat)
        print(f"{n:>7} {before:>13.3f}s {after:>8.3f}s {before / n * 1e6:>15.2f} {after / n * 1e6:>14.2f} "
              f"{before / after:>8.1f}x")


if __name__ == "__main__":
    main()
