"""The `pantau` command line of docs/interfaces.md, run for real in a subprocess on a SQLite file."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from events.database import create_engine
from events.store import EventStore
from service.status_output import CSV_COLUMNS
from tests.conftest import DATA, SAMPLE
from tests.helpers import assert_matches_published

pytestmark = pytest.mark.service

EXPECTED = json.loads((DATA / "matrix-2021-12-27.status-as-of-2021-12-27.json").read_text())
_SCRIPT = Path(sys.executable).with_name("pantau")
PANTAU = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-c", "from service.cli import main; main()"]


def pantau(db: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    """Run `pantau ARGS` on the store in `db`, from its directory (so no stray .env is read)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env["PANTAU_DATABASE_URL"] = f"sqlite:///{db}"
    done = subprocess.run([*PANTAU, *args], cwd=db.parent, env=env, capture_output=True, text=True, timeout=60)
    if check is not None:
        assert done.returncode == check, (args, done.returncode, done.stdout, done.stderr)
    return done


def in_parallel(*runs: tuple) -> list[subprocess.CompletedProcess]:
    """Run several `pantau(db, *args)` at once (each costs about a second, mostly start-up)."""
    with ThreadPoolExecutor(min(len(runs), os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda run: pantau(run[0], *run[1:], check=None), runs))


def stored(db: Path) -> int:
    """How many events the store in `db` holds (0 when it has not been created)."""
    if not db.exists():
        return 0
    engine = create_engine(f"sqlite:///{db}")
    try:
        return EventStore(engine).head()
    except Exception:  # noqa: BLE001 - no schema yet: nothing stored
        return 0
    finally:
        engine.dispose()


def matches_expected(rows: list[dict]) -> None:
    """Assert the status rows equal the published answer on every field it gives."""
    assert_matches_published(rows, EXPECTED)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A store holding the sample matrix, imported once through the CLI."""
    db = tmp_path_factory.mktemp("sample") / "pantau.db"
    done = pantau(db, "import", str(SAMPLE))
    assert "187 added, 0 skipped" in done.stdout
    return db


@pytest.fixture(scope="module")
def reads(sample) -> dict[str, subprocess.CompletedProcess]:
    """The read-only commands on the sample store (and a harmless re-import), run side by side."""
    runs = {
        "json": ("status", "--as-of", "2021-12-27", "--format", "json"),
        "csv": ("status", "--as-of", "2021-12-27", "--format", "csv"),
        "table": ("status", "--as-of", "2021-12-27"),
        "notadate": ("status", "--as-of", "notadate"),
        "reimport": ("import", str(SAMPLE)),
        "export": ("export",),
    }
    return dict(zip(runs, in_parallel(*((sample, *args) for args in runs.values()))))


def succeeded(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, (done.args, done.stdout, done.stderr)
    return done


def test_import_of_the_sample_then_status_as_of_2021_12_27_is_the_published_answer(reads):
    matches_expected(json.loads(succeeded(reads["json"]).stdout))


def test_reimport_skips_every_event(reads, sample):
    assert "0 added, 187 skipped" in succeeded(reads["reimport"]).stdout
    assert stored(sample) == 187


def test_status_csv_has_the_columns_and_one_row_per_partnership(reads):
    text = succeeded(reads["csv"]).stdout
    assert text.startswith("\ufeffstream,")  # a byte order mark, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["stream"] for r in rows] == [r["stream"] for r in EXPECTED]
    bandung = next(r for r in rows if r["stream"] == "kota-bandung-seoul")
    want = next(r for r in EXPECTED if r["stream"] == "kota-bandung-seoul")
    assert (bandung["stage"], bandung["matrix_status"]) == ("lapsed", "aktif")
    assert bandung["indicators_in_window"] == " ".join(map(str, want["indicators_in_window"]))
    assert bandung["activities_in_window"] == str(want["activities_in_window"])
    assert "mou-2016 MoU lapsed (-82 d)" in bandung["agreements"]


def test_status_table_is_the_default_format(reads):
    out = succeeded(reads["table"]).stdout
    assert "Status as of 2021-12-27" in out
    assert "lapsed" in out and "intent" in out and "bali-je" in out  # narrow columns fold longer words


def test_as_of_that_is_not_a_date_exits_2_naming_the_option(reads):
    done = reads["notadate"]
    assert done.returncode == 2
    assert "--as-of" in done.stderr and "notadate" in done.stderr
    assert done.stdout == ""


def test_rebuild_keeps_the_status_of_today(sample):
    before = pantau(sample, "status", "--format", "json").stdout
    done = pantau(sample, "rebuild")
    assert "187 events" in done.stdout
    after = pantau(sample, "status", "--format", "json").stdout
    assert json.loads(after) == json.loads(before)
    assert len(json.loads(after)) == len(EXPECTED)


def test_export_then_import_into_an_empty_store_gives_the_same_events(reads, tmp_path):
    first = succeeded(reads["export"]).stdout
    exported = tmp_path / "export.jsonl"
    exported.write_text(first)
    copy = tmp_path / "copy" / "pantau.db"
    copy.parent.mkdir()
    assert "187 added" in pantau(copy, "import", str(exported)).stdout
    second = pantau(copy, "export").stdout

    def without_recorded_at(text: str) -> list[dict]:
        lines = [json.loads(line) for line in text.splitlines()]
        for line in lines:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", line.pop("recorded_at"))
        return lines

    a, b = without_recorded_at(first), without_recorded_at(second)
    assert len(a) == 187
    assert a == b  # id, stream, type, occurred_on (precision), data, meta, position and version
    assert [e["position"] for e in a] == list(range(1, 188))


def _bad_file(path: Path) -> Path:
    registration = json.loads(SAMPLE.read_text().splitlines()[0])
    lines = [
        json.dumps(registration),  # 1 good
        json.dumps({**registration, "id": None, "type": "PartnershipSigned"}),  # 2 type
        json.dumps({**registration, "id": None, "occurred_on": "2021-02-30"}),  # 3 date
        "",  # 4 blank: skipped
        '{"stream": "kota-bandung-seoul", "type": ',  # 5 not JSON
        json.dumps({**registration, "id": None, "stream": "Kota Bandung"}),  # 6 stream
        json.dumps({**registration, "id": None, "data": {**registration["data"], "kind": "twin"}}),  # 7 data.kind
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _rules_file(path: Path) -> Path:
    events = [json.loads(line) for line in SAMPLE.read_text().splitlines()[:3]]
    stream = events[0]["stream"]
    orphan = {"stream": "kota-nowhere", "type": "NoteAdded", "occurred_on": "2020", "data": {"text": "x"}}
    retraction = {"stream": stream, "type": "ActivityRetracted", "occurred_on": "2021", "data": {"activity_id": "nope"}}
    path.write_text("\n".join(json.dumps(e) for e in [*events, orphan, retraction]) + "\n")
    return path


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Imports of a file with bad lines and of one breaking stream rules, each into an empty store."""
    base = tmp_path_factory.mktemp("refused")
    (base / "bad").mkdir(), (base / "rules").mkdir()
    bad_db, rules_db = base / "bad" / "pantau.db", base / "rules" / "pantau.db"
    done = in_parallel(
        (bad_db, "import", str(_bad_file(base / "bad.jsonl"))),
        (rules_db, "import", str(_rules_file(base / "rules.jsonl"))),
    )
    return {"bad": (bad_db, done[0]), "rules": (rules_db, done[1])}


def test_a_file_with_bad_lines_exits_2_names_every_bad_line_and_stores_nothing(refused):
    db, done = refused["bad"]
    assert done.returncode == 2, done.stderr
    messages = " ".join(done.stderr.split())  # rich may wrap long lines on a non-terminal
    for number, field in ((2, "type"), (3, "occurred_on"), (5, "json"), (6, "stream"), (7, "data.kind")):
        assert re.search(rf"line {number}: {re.escape(field)}: \S", messages), (number, field, done.stderr)
    assert not re.search(r"line [14]:", messages)
    assert stored(db) == 0


def test_each_refused_line_is_reported_on_one_line_of_stderr(refused):
    _, done = refused["bad"]
    reported = [line for line in done.stderr.splitlines() if re.search(r"line \d+: ", line)]
    assert len(reported) == 5
    assert all(re.search(r"line \d+: [\w.\[\]]+: .+$", line) for line in reported)
    assert any("known types:" in line and "PartnershipEnded" in line for line in reported)


def test_a_file_breaking_stream_rules_exits_2_naming_the_lines_and_stores_nothing(refused):
    db, done = refused["rules"]
    assert done.returncode == 2, done.stderr
    messages = " ".join(done.stderr.split())
    assert re.search(r"line 4: stream: \S", messages), done.stderr
    assert re.search(r"line 5: data\.activity_id: \S", messages), done.stderr
    assert stored(db) == 0


def test_serve_names_its_store_without_the_password(monkeypatch):
    from typer.testing import CliRunner

    from service import server
    from service.cli import app

    asked = []
    # Nothing listens: the test is about what `serve` prints and passes on.
    monkeypatch.setattr(server, "serve", lambda settings, host, port, workers: asked.append(workers))
    url = "postgresql://pantau:rahasia-sekali@db.example:5432/pantau"
    result = CliRunner().invoke(app, ["serve", "--workers", "3"], env={"PANTAU_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "postgresql://pantau:***@db.example:5432/pantau" in result.stdout and "rahasia" not in result.stdout
    assert asked == [3]
    assert CliRunner().invoke(app, ["serve", "--workers", "0"]).exit_code == 2  # refused, naming the option
