"""`alerts simulate` over 2021 on the shared December 2021 matrix: the whole list, as published."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from events.jsonl import import_events
from notifications.alert_rules import AlertRules
from notifications.simulate import simulate
from projections.readmodel import load_states
from service.cli import app
from tests.conftest import DATA, SAMPLE
from tests.helpers import d

EXPECTED = json.loads((DATA / "matrix-2021-12-27.alerts-2021.json").read_text())
FIELDS = ("day", "rule", "stream", "key")


def _load(pantau):
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    pantau.runner.run()
    return load_states(pantau.engine)


def test_simulating_2021_on_the_sample_gives_exactly_the_published_list(pantau):
    planned = simulate(_load(pantau), d("2021-01-01"), d("2021-12-31"), pantau.rules, AlertRules())
    assert [{f: p.as_json()[f] for f in FIELDS} for p in planned] == EXPECTED


def test_the_pinned_reminders_of_bandung_and_semarang(pantau):
    planned = simulate(_load(pantau), d("2021-01-01"), d("2021-12-31"), pantau.rules, AlertRules())
    got = {(p.stream, p.rule): [] for p in planned}
    for p in planned:
        got[(p.stream, p.rule)].append(p.day.isoformat())
    assert got[("kota-bandung-seoul", "renewal")] == ["2021-04-09", "2021-07-08", "2021-09-06"]
    assert got[("kota-bandung-seoul", "lapsed")] == ["2021-10-07"]
    assert got[("kota-semarang-junggu", "renewal")] == ["2021-05-28", "2021-08-26", "2021-10-25"]
    assert got[("kota-semarang-junggu", "lapsed")] == ["2021-11-25"]
    for desk in ("kbri-pyongyang", "kbri-seoul", "kbri-tokyo"):
        assert len(got[(desk, "digest")]) == 12


def test_simulating_queues_and_sends_nothing(pantau):
    from notifications import outbox

    simulate(_load(pantau), d("2021-01-01"), d("2021-03-31"), pantau.rules, AlertRules())
    assert sum(outbox.counts(pantau.engine).values()) == 0


@pytest.mark.store  # the command opens its own SQLite file
def test_the_command_prints_the_same_list_as_json_with_recipients(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"PANTAU_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(SAMPLE)], env=env).exit_code == 0
    result = runner.invoke(
        app, ["alerts", "simulate", "--from", "2021-01-01", "--to", "2021-12-31", "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [{f: r[f] for f in FIELDS} for r in rows] == EXPECTED
    assert all(r["recipients"] == [] for r in rows)  # the sample names no e-mail address


def test_the_command_names_a_bad_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"PANTAU_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = CliRunner().invoke(app, ["alerts", "simulate", "--from", "2021-13-01", "--to", "2021-12-31"], env=env)
    assert result.exit_code == 2 and "--from" in result.stderr
