"""Every mail links to what it speaks of, at PANTAU_BASE_URL, and each link opens that page for a signed-in reader."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from html import unescape
from urllib.parse import urlsplit

import pytest

from notifications.job import queue_days
from notifications.worker import OutboxWorker
from projections.readmodel import load_states
from tests.api_fixtures import build
from tests.mail_record import BANDUNG, DAYS, MALANG, NAMES, SURABAYA, every_mail_record

pytestmark = pytest.mark.service

BASE = "https://pantau.example.go.id"
HREF = re.compile(r'href="([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# What each mail must link to besides its partnership's page.
ALSO = {
    "renewal": "/expiries",
    "lapsed": "/expiries",
    "cooling": f"/partnerships/{SURABAYA}/activity",
    "dormancy_warning": f"/partnerships/{SURABAYA}/activity",
    "dormant": f"/partnerships/{SURABAYA}/activity",
    "draft_stalled": "/pipeline",
    "digest": "/matrix",
}

# The partnership a desk's page shows on the day of the mail that links to it.
LISTED = {"/expiries": BANDUNG, "/pipeline": MALANG, "/matrix": BANDUNG}


@pytest.fixture
def site(database, engine, clock):
    api = build(database, engine, clock, base_url=BASE)
    api.pantau.store.append(every_mail_record(with_bandung=False))
    with api.client:
        yield api


def _at(day) -> datetime:
    return datetime.combine(day, time(1), tzinfo=UTC)  # 08:00 in Jakarta: the alert job's hour


def _mails(site, smtp_server, clock) -> dict[str, list]:
    """Each rule's mails, queued and sent on its day to the real SMTP server."""
    pantau = site.pantau
    pantau.runner.run()
    states = load_states(pantau.engine)
    worker = OutboxWorker(
        pantau.engine, smtp_server.sender(), clock, pantau.alert_rules, pantau.store, pantau.settings.zone
    )
    out: dict[str, list] = {}
    for rule, (day, _) in sorted(DAYS.items(), key=lambda item: item[1][0]):  # as the days come
        clock.now = _at(day)
        queued = queue_days(pantau.engine, states, [day], pantau.rules, pantau.alert_rules, clock())
        assert queued and all(key.startswith(f"{rule}:") for key in queued), (rule, queued)
        before = len(smtp_server.messages)
        worker.drain()
        out[rule] = [m for m in smtp_server.parsed()[before:] if m["Subject"]]
    return out


def _sign_in(site) -> None:
    page = site.client.get("/login")
    signed = site.client.post(
        "/login",
        data={"token": site.tokens["admin"], "csrf": CSRF.search(page.text).group(1), "next": "/matrix"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/matrix"


def _links(message) -> tuple[list[str], str]:
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    return [unescape(h) for h in HREF.findall(html)], text


def test_every_mail_links_to_its_partnership_and_the_page_it_names_at_the_public_address(site, smtp_server, clock):
    mails = _mails(site, smtp_server, clock)
    assert set(mails) == set(DAYS) and all(mails.values())
    for rule, sent in mails.items():
        stream = DAYS[rule][1]
        for message in sent:
            hrefs, text = _links(message)
            assert hrefs and all(h.startswith(f"{BASE}/") for h in hrefs), (rule, hrefs)
            paths = {urlsplit(h).path for h in hrefs}
            assert ALSO[rule] in paths, (rule, paths)
            streams = [stream] if stream else [BANDUNG, SURABAYA, MALANG]  # each digest item leads to its partnership
            for one in streams:
                assert f"/partnerships/{one}" in paths, (rule, one)
                assert f"{BASE}/partnerships/{one}" in text  # the plain text carries the address too


def test_each_link_opens_the_page_it_names_with_the_partnership_for_a_signed_in_reader(site, smtp_server, clock):
    mails = _mails(site, smtp_server, clock)
    opened = 0
    for rule, sent in mails.items():
        clock.now = _at(DAYS[rule][0])  # read on the day it arrives
        _sign_in(site)
        for message in sent:
            for href in set(_links(message)[0]):
                parts = urlsplit(href)
                page = site.client.get(parts.path + (f"?{parts.query}" if parts.query else ""), follow_redirects=False)
                assert page.status_code == 200, (rule, href, page.status_code)
                named = re.match(r"/partnerships/([^/]+)", parts.path)
                city, partner = NAMES[named.group(1) if named else LISTED[parts.path]]
                assert city in page.text and partner in page.text, (rule, href)
                opened += 1
    assert opened >= 2 * len(DAYS)  # at least the partnership and one page besides, per mail
