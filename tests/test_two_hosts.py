"""Two `pantau serve` hosts over one PostgreSQL database: writes cross over, one leads the scheduler."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.serve_process import Server, free_port

pytestmark = pytest.mark.service

STREAM = "kota-bandung-seoul"
# Short, so a takeover is quick to see; docs/interfaces.md gives the default (60 s).
RETRY_SECONDS = 1
# Scheduling slack on a busy machine on top of the retry period: a thread's wake-up, one HTTP call.
SLACK_SECONDS = 1.5


def _start(workdir: Path, url: str, *, seed: bool) -> Server:
    workdir.mkdir()
    extra = {"PANTAU_LEADER_RETRY_SECONDS": str(RETRY_SECONDS), "PANTAU_SINK_PORT": str(free_port())}
    return Server(workdir, url, seed=seed, extra_env=extra)  # a sink port of its own: never another run's


@pytest.fixture
def hosts(pg_database, tmp_path):
    pg_url, connect_args, _ = pg_database
    url = f"{pg_url}?options={quote(connect_args['options'])}"
    first = _start(tmp_path / "first", url, seed=True)
    try:
        second = _start(tmp_path / "second", url, seed=False)
    except BaseException:
        first.stop()
        raise
    # `users ensure-admin` gave the admin a new token when the second host started: the two hosts
    # share the users table, so that token is the one both accept.
    first.token = second.token
    try:
        yield first, second
    finally:
        for server in (first, second):
            server.stop()  # harmless for one stopped already


def _get(server: Server, path: str) -> httpx.Response:
    return httpx.get(f"{server.url}{path}", headers={"Authorization": f"Bearer {server.token}"}, timeout=5)


def _role(server: Server) -> str:
    return httpx.get(f"{server.url}/healthz", timeout=5).json()["scheduler"]


def _last_activity(server: Server) -> str | None:
    rows = _get(server, "/api/status?desk=kbri-seoul").json()
    return next(row["last_activity_on"] for row in rows if row["stream"] == STREAM)


def _poll(check: Callable[[], bool], within: float) -> float | None:
    """Seconds until `check()` held, asking every 20 ms; None if it never did within `within` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)  # polling another process, not waiting for business time
    return None


def _roles_once_settled(hosts: tuple[Server, ...]) -> list[str]:
    seen: list[list[str]] = []

    def settled() -> bool:
        seen.append([_role(server) for server in hosts])
        return "leader" in seen[-1]

    # At start each host's catch-up job tries the lock; the retry job tries again every period.
    _poll(settled, within=RETRY_SECONDS + SLACK_SECONDS + 5)
    assert all(roles.count("leader") <= 1 for roles in seen), seen  # never two leaders at once
    return seen[-1]


def test_a_write_through_one_host_is_read_on_the_other_within_a_second(hosts):
    first, second = hosts
    assert _last_activity(second) == "2020-12-31"  # the sample's last activity (December 2020)
    meeting = {
        "id": str(uuid.uuid4()),
        "stream": STREAM,
        "type": "ActivityLogged",
        "occurred_on": "2025-06-02",
        "data": {"activity_id": f"two-hosts-{uuid.uuid4().hex[:8]}", "kind": "meeting", "title": "Rapat"},
    }
    written = httpx.post(
        f"{first.url}/api/events", json=meeting, headers={"Authorization": f"Bearer {first.token}"}, timeout=5
    )
    assert written.status_code == 201, written.text
    took = _poll(lambda: _last_activity(second) == "2025-06-02", within=1.0)
    assert took is not None, "the other host did not show the write within a second"
    events = _get(second, f"/api/partnerships/{STREAM}/events").json()
    assert meeting["id"] in {event["id"] for event in events}


@pytest.mark.parametrize("stop", ["terminate", "kill"])
def test_one_host_leads_the_scheduler_and_the_other_takes_over_when_it_stops(hosts, stop):
    roles = _roles_once_settled(hosts)
    assert sorted(roles) == ["leader", "standby"]
    leader, standby = hosts if roles[0] == "leader" else hosts[::-1]
    # Still exactly one a few retry periods later: the standby's retries do not take the lock.
    assert _poll(lambda: _role(standby) != "standby", within=RETRY_SECONDS * 2.5) is None
    assert _role(leader) == "leader"

    if stop == "terminate":
        leader.stop()  # a clean shutdown gives the lock up
    else:
        leader.process.kill()  # a crash: PostgreSQL ends the session, and its lock with it
        leader.process.wait(timeout=15)
    took = _poll(lambda: _role(standby) == "leader", within=RETRY_SECONDS + SLACK_SECONDS)
    assert took is not None, f"the standby did not take over within {RETRY_SECONDS + SLACK_SECONDS} s"
