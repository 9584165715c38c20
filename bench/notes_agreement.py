"""The notes review on the sample matrix: how right the queue is, and computed vs published status after accepting.

    .venv/bin/python bench/notes_agreement.py [--cli]

Imports service/data/matrix-2021-12-27.jsonl into a temporary SQLite store (the shipped file is
only read), then:
1. compares the queue's proposal for each of the 59 notes with a person's reading (READING below:
   no activity, or the kinds that fit), listing the doubtful ones;
2. counts partnerships whose computed matrix status equals the published one (StatusAssessed) on
   2021-12-27, before any review (the same-run baseline);
3. accepts the notes that record activities with a date defensible from their text (DEFENSIBLE:
   none of the sample's notes gives one, so nothing is accepted) and counts again;
4. for comparison only, accepts every activity note at the latest date it can have (the day its note
   was recorded, 2021-12-27): an upper bound that no text supports.
With --cli the accepts of step 3 go through the real `pantau notes accept` command; otherwise they
call the same service functions in this process (step 4 always does).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events.jsonl import import_events
from projections.runner import replay
from projections.status import statuses
from service.bootstrap import bootstrap
from service.notes import accept_events, append_review, queue
from service.settings import Settings

SAMPLE = Path(__file__).resolve().parent.parent / "service" / "data" / "matrix-2021-12-27.jsonl"
MATRIX_DAY = date(2021, 12, 27)

# A person's reading of each note (event id prefix): None when it records no activity, else the kinds
# that fit it. "?" marks a reading a second reader could make differently.
READING: dict[str, tuple[frozenset[str] | None, str]] = {
    "6eb0eb7c": (None, ""),
    "f748e9ac": (frozenset({"festival", "exchange"}), ""),
    "391333ab": (None, "? a LoI signing: an AgreementSigned, not an activity"),
    "24cd303f": (None, ""),
    "7865fa7c": (None, ""),
    "5a2d909a": (frozenset({"exchange", "training"}), ""),
    "8d5d4483": (None, ""),
    "ef042ce1": (None, ""),
    "4582faec": (frozenset({"meeting"}), ""),
    "f0143168": (None, ""),
    "8d282de4": (None, ""),
    "3b82b17a": (None, ""),
    "64267253": (frozenset({"working_group"}), "? drafting a work plan together: an activity or the agreement path"),
    "15ec357c": (None, ""),
    "1d71c69f": (None, ""),
    "c049da86": (frozenset({"other", "meeting"}), "? an honorary doctorate: ceremonial, no kind of the catalogue"),
    "182e4456": (frozenset({"other", "meeting"}), "? an honorary doctorate: ceremonial, no kind of the catalogue"),
    "cac6b97d": (None, ""),
    "ba7e9dc1": (frozenset({"meeting"}), ""),
    "880ef6df": (None, ""),
    "60f284bc": (frozenset({"exchange"}), ""),
    "437791a1": (None, ""),
    "c9c58aaf": (None, ""),
    "8f35263c": (None, ""),
    "3444bfb5": (None, ""),
    "98cd8c82": (frozenset({"visit"}), "? the same visits are the stream's ExplorationStarted note"),
    "0a807c8e": (None, ""),
    "b47b2b9d": (frozenset({"forum"}), ""),
    "460d0ab8": (frozenset({"technical_assistance", "training"}), ""),
    "216bae7a": (frozenset({"festival", "other"}), "? a standing display, a promotion rather than an event"),
    "a77e9a7c": (frozenset({"technical_assistance", "grant", "other"}), "? building a kindergarten via a university"),
    "0986ad60": (frozenset({"training"}), ""),
    "ecc91ca2": (frozenset({"festival", "exchange"}), ""),
    "f466724d": (frozenset({"scholarship"}), ""),
    "fa39e0ca": (frozenset({"other", "festival"}), "? founding a 'Korean village': no kind of the catalogue"),
    "343cf3f1": (frozenset({"exchange"}), ""),
    "e3e46b6b": (None, ""),
    "632879a6": (frozenset({"forum"}), ""),
    "05cea16d": (None, ""),
    "674b9bfb": (frozenset({"technical_assistance"}), ""),
    "207d5857": (frozenset({"visit"}), ""),
    "31467ebf": (frozenset({"visit"}), ""),
    "85513370": (frozenset({"technical_assistance"}), "? a city programme the partnership may only have touched"),
    "34e60f1f": (frozenset({"technical_assistance"}), ""),
    "38901e5a": (frozenset({"technical_assistance"}), "? construction: help from the partner or only the field"),
    "da18f3af": (frozenset({"technical_assistance"}), ""),
    "9d67d1db": (frozenset({"visit", "meeting"}), ""),
    "fbfa9d00": (None, ""),
    "6b77f95e": (frozenset({"other"}), ""),
    "ee91a9ea": (frozenset({"visit"}), ""),
    "454a2e68": (frozenset({"exchange"}), ""),
    "83135b22": (frozenset({"exchange"}), ""),
    "bace3d9d": (frozenset({"festival", "visit"}), ""),
    "456e6d34": (frozenset({"festival", "visit", "exchange"}), ""),
    "0b1a83ee": (frozenset({"training"}), ""),
    "09987733": (frozenset({"exchange", "training"}), ""),
    "62ec304c": (None, ""),
    "792cfd5e": (None, ""),
    "63d6c0f7": (None, ""),
}

# Notes that record an activity with a date their own text gives: (event id, occurred_on). The
# sample's notes carry no dates (the matrix's "Perkembangan" column), so none qualifies.
DEFENSIBLE: list[tuple[str, str]] = []


def agreement(pantau) -> tuple[int, int, list[str]]:
    """(agreeing, published, streams that differ) on the matrix's day."""
    rows = [r for r in statuses(replay(pantau.store.iter_facts()), MATRIX_DAY, pantau.rules) if r.assessed_status]
    differ = [
        f"{r.stream} ({r.matrix_status} vs {r.assessed_status})" for r in rows if r.matrix_status != r.assessed_status
    ]
    return len(rows) - len(differ), len(rows), differ


def fresh(directory: Path, name: str):
    url = f"sqlite:///{directory / name}"
    pantau = bootstrap(Settings(database_url=url))
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    return pantau, url


def accept_by_cli(url: str, event_id: str, occurred_on: str) -> None:
    env = {**os.environ, "PANTAU_DATABASE_URL": url}
    command = [
        sys.executable,
        "-c",
        "from service.cli import main; main()",
        "notes",
        "accept",
        event_id,
        "--occurred-on",
        occurred_on,
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true", help="accept through the pantau command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        pantau, url = fresh(directory, "defensible.db")
        items = queue(pantau.store)
        right, doubtful, wrong = 0, [], []
        activities = fitting = others = refused = 0
        for item in items:
            expected, doubt = READING[item.note.event_id[:8]]
            proposed = item.proposal.kind if item.proposal else None
            ok = (expected is None and proposed is None) or (expected is not None and proposed in expected)
            if expected is None:
                others += 1
                refused += proposed is None
            else:
                activities += 1
                fitting += proposed in expected
            right += ok
            if not ok:
                wrong.append(f"{item.note.event_id[:8]} {item.note.text[:70]!r}: proposed {proposed}")
            if doubt:
                doubtful.append(f"{item.note.event_id[:8]} {item.note.text[:60]!r}: {doubt}")
        print(
            f"queue: {len(items)} notes; {right} read right "
            f"({fitting}/{activities} activities with a fitting kind, {refused}/{others} others with no proposal)"
        )
        print(f"  dated by their text: {sum(1 for i in items if i.proposal and i.proposal.occurred_on)}")
        for line in wrong:
            print(f"  WRONG {line}")
        for line in doubtful:
            print(f"  doubtful {line}")

        agreeing, published, differ = agreement(pantau)
        print(f"baseline (no review): computed = published for {agreeing}/{published}")
        for event_id, occurred_on in DEFENSIBLE:
            if args.cli:
                accept_by_cli(url, event_id, occurred_on)
            else:
                append_review(
                    pantau.store, accept_events(pantau.store, event_id, MATRIX_DAY, "bench", occurred_on=occurred_on)
                )
        agreeing, published, differ = agreement(pantau)
        print(f"after accepting with dates defensible from the text ({len(DEFENSIBLE)} notes): {agreeing}/{published}")
        for line in differ:
            print(f"  differs: {line}")

        upper, _ = fresh(directory, "latest.db")
        accepted = 0
        for item in queue(upper.store):
            if item.proposal is not None:
                append_review(
                    upper.store,
                    accept_events(
                        upper.store,
                        item.note.event_id,
                        MATRIX_DAY,
                        "bench",
                        occurred_on=item.note.recorded_on.isoformat(),
                    ),
                )
                accepted += 1
        agreeing, published, differ = agreement(upper)
        print(
            f"for comparison, every proposed activity accepted on its note's day ({accepted} notes, "
            f"no text supports it): {agreeing}/{published}"
        )
        for line in differ:
            print(f"  differs: {line}")


if __name__ == "__main__":
    main()
