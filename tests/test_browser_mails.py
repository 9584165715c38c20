"""Every mail's HTML reads on a phone: Debian's chromium at 360 and 375 px wide never scrolls sideways."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from events.jsonl import parse_lines
from notifications import keys
from notifications.alert_rules import AlertRules
from notifications.compose import digest_context, messages
from notifications.job import due
from notifications.render import render
from notifications.rules import Alert, digest_month
from projections.partnership import fold
from projections.rules import Desk, Rules
from tests.conftest import SAMPLE
from tests.mail_record import DAYS, every_mail_record

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RULES = Rules(desks=(Desk("kbri-seoul", "KBRI Seoul", "seoul@kemlu.example", ("KR",)),))
ALERT_RULES = replace(AlertRules(), base_url="https://pantau.example.go.id")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser test skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does it)",
    ),
]


def _states(events) -> list:
    by_stream = defaultdict(list)
    for event in events:
        by_stream[event.stream].append(event)
    return [fold(stream_events) for stream_events in by_stream.values()]


def every_mail() -> dict[str, str]:
    """The HTML of each kind of mail in each language it goes out in, and the sample's December 2021 digest."""
    states = _states(every_mail_record())
    by_stream = {s.stream: s for s in states}
    out = {}
    for rule, (day, _) in DAYS.items():
        for alert in (a for a in due(states, [day], RULES, ALERT_RULES) if a.rule == rule):
            for message in messages(alert, by_stream, states, RULES, ALERT_RULES, today=day):
                out[message.key] = message.html
    for language in ("id", "en"):  # the digest of the sample: every partnership of the desk, the widest mail
        out[f"sample-digest/{language}"] = _sample_digest(language)
    return out


def _sample_digest(language: str) -> str:
    with SAMPLE.open("rb") as source:
        events, _, errors = parse_lines(source, date(2026, 1, 1))
    assert not errors
    day = date(2022, 1, 1)
    key = keys.digest("kbri-seoul", digest_month(day))
    alert = Alert("digest", key, day, None, "kbri-seoul", {"month": digest_month(day)})
    context = digest_context(alert, _states(events), RULES, ALERT_RULES)
    return render("digest", language, {**context, "key": key}).html


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        running = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield running
        running.close()


@pytest.mark.parametrize("width", [360, 375])
def test_no_mail_is_wider_than_a_phone(browser, width):
    mails = every_mail()
    assert {key.split(":")[0] for key in mails} >= set(DAYS) and len(mails) >= 9
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = {}
    for key, html in mails.items():
        page.set_content(html, wait_until="load")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[key] = scroll
    context.close()
    assert wide == {}
