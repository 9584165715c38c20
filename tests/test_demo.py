"""The demo of `make run`: the sample with example addresses, and the mail its record calls for."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from events.jsonl import import_events
from notifications.alert_rules import AlertRules
from service.config import load_document, projection_rules
from service.demo import DEMO_EVENTS, DEMO_RULES, seed_demo
from service.scheduler import AlertJobs
from service.settings import Settings, SettingsError
from tests.conftest import SAMPLE

pytestmark = pytest.mark.service


def test_the_demo_addresses_are_all_on_example_domains():
    import json

    addresses = [json.loads(line)["data"].get("email") for line in DEMO_EVENTS.open(encoding="utf-8")]
    desks = projection_rules(load_document(str(DEMO_RULES))).desks
    addresses += [desk.email for desk in desks]
    assert addresses and all(a and a.endswith(".example") for a in addresses)
    assert {d.id: d.name for d in desks}["kbri-seoul"] == "KBRI Seoul"


def test_the_first_start_after_seeding_the_demo_delivers_digests_and_alerts(pantau, clock, smtp_server):
    clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta: today's run is due
    with SAMPLE.open("rb") as source:
        import_events(pantau.store, source, pantau.today())
    pantau.rules = dataclasses.replace(pantau.rules, desks=projection_rules(load_document(str(DEMO_RULES))).desks)
    said = seed_demo(pantau)
    assert "6 added" in said
    assert "0 added" in seed_demo(pantau)  # seeding again adds nothing
    jobs = AlertJobs(pantau, AlertRules(), smtp_server.sender())
    jobs.catch_up()  # what `pantau serve` does on start
    subjects = [m["Subject"] for m in smtp_server.parsed()]
    assert "Ringkasan bulanan KBRI Seoul: Desember 2021" in subjects  # the sample's own month
    assert "Ringkasan bulanan KBRI Seoul: Oktober 2026" in subjects  # the last month before today
    assert "Monthly digest KBRI Seoul: December 2021" in subjects  # the demo's English desk officer
    assert sum(s.startswith("Ringkasan bulanan KBRI Seoul") for s in subjects) == 2  # not sixty in between
    alerts = [m for m in smtp_server.parsed() if not m["Subject"].startswith(("Ringkasan", "Monthly"))]
    assert len(alerts) >= 10
    recipients = {a.strip() for m in smtp_server.parsed() for a in f"{m['To']},{m['Cc'] or ''}".split(",") if a}
    assert recipients and all(a.endswith(".example") for a in recipients)


@pytest.mark.parametrize("value", ["0", "70000", "smtp"])
def test_a_sink_port_that_is_no_port_is_refused_by_name(value):
    with pytest.raises(SettingsError, match="PANTAU_SINK_PORT"):
        Settings.from_env({"PANTAU_SINK_PORT": value}, dotenv=None)


def test_the_sink_port_is_configurable():
    assert Settings.from_env({"PANTAU_SINK_PORT": "2525"}, dotenv=None).sink_port == 2525
    assert Settings.from_env({}, dotenv=None).sink_port == 8025
