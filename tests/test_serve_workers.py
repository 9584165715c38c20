"""`pantau serve --workers 2`: two API processes share one store; one of them leads the scheduler."""

from __future__ import annotations

import fcntl
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from events.database import create_engine
from tests.serve_process import Server

pytestmark = pytest.mark.service

STREAM = "kota-bandung-seoul"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _log(server: Server, n: int) -> int:
    body = {
        "occurred_on": "2021-12-01",
        "kind": "meeting",
        "title": f"rapat {n}",
        "activity_id": f"workers-{n}-{uuid.uuid4().hex[:8]}",
    }
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}) as client:
        return client.post(f"/api/partnerships/{STREAM}/activities", json=body).status_code


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pantau.db'}"
    else:
        pg_url, connect_args, _ = request.getfixturevalue("pg_database")
        url = f"{pg_url}?options={quote(connect_args['options'])}"
    server = Server(tmp_path, url, workers=2)
    try:
        yield server, url
    finally:
        server.stop()


def test_two_workers_take_writes_concurrently_and_keep_the_record_gap_free(served):
    server, url = served
    assert len(_children(server.process.pid)) >= 2  # the supervisor's worker processes
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda n: _log(server, n), range(60))) == [201] * 60
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            positions = [p for (p,) in conn.execute(sa.text("SELECT position FROM events ORDER BY position"))]
    finally:
        engine.dispose()
    assert positions == list(range(1, len(positions) + 1))
    response = httpx.get(
        f"{server.url}/api/partnerships/{STREAM}/events", headers={"Authorization": f"Bearer {server.token}"}
    )
    titles = [e["data"].get("title") for e in json.loads(response.text) if e["type"] == "ActivityLogged"]
    assert {f"rapat {n}" for n in range(60)} <= set(titles)
    for _ in range(4):  # whichever worker answers the scrape counts every worker's requests
        scrape = httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {server.token}"}).text
        assert _counted(scrape, 'method="POST",route="/api/partnerships/{stream}/activities",status="201"') == 60


def _counted(scrape: str, labels: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in scrape.splitlines()
        if line.startswith("pantau_http_requests_total{") and labels in line
    )


def _held_within(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with path.open("a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
        time.sleep(0.05)  # polling a starting process, not waiting for business time
    return False


def test_on_sqlite_one_worker_holds_the_scheduler_lock(tmp_path):
    server = Server(tmp_path, workers=2)
    try:
        assert len(_children(server.process.pid)) >= 2
        assert _held_within(tmp_path / "pantau.db.leader", seconds=20)  # the catch-up job takes it at start
    finally:
        server.stop()
    with (tmp_path / "pantau.db.leader").open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once the service stopped
