"""Attacks repeated against a real `pantau serve` on each database, over real sockets."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from urllib.parse import quote

import httpx
import pytest

from tests.serve_process import Server

pytestmark = pytest.mark.service

S = "kota-bandung-seoul"


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'pantau.db'}"
    else:
        pg_url, connect_args, _ = request.getfixturevalue("pg_database")
        url = f"{pg_url}?options={quote(connect_args['options'])}"
    with Server(tmp_path, url) as server:
        yield server


def note(text: str) -> dict:
    return {"stream": S, "type": "NoteAdded", "occurred_on": "2021-12-01", "data": {"text": text}}


def concurrent_posts_with_one_idempotency_key_store_one_request(served):
    headers = {"Authorization": f"Bearer {served.token}"}
    with httpx.Client(base_url=served.url, headers=headers, timeout=30) as client:
        before = len(client.get(f"/api/partnerships/{S}/events").json())
        stored = 0
        for trial in range(10):
            key = f"race-{trial}-{uuid.uuid4().hex[:6]}"
            same = trial % 2 == 0  # even trials: a retry racing its first attempt; odd: two different bodies
            bodies = [note(f"trial {trial}"), note(f"trial {trial}" if same else f"other {trial}")]
            answers: list = [None, None]
            gate = threading.Barrier(2)

            def post(i: int, gate=gate, answers=answers, bodies=bodies, key=key) -> None:
                gate.wait()
                answers[i] = client.post("/api/events", json=bodies[i], headers={"Idempotency-Key": key})

            threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            codes = sorted(a.status_code for a in answers)
            if same:
                assert codes == [201, 201], [a.text for a in answers]
                assert answers[0].json() == answers[1].json()
            else:
                assert codes == [201, 409], [a.text for a in answers]
                winner = next(a for a in answers if a.status_code == 201).json()
                loser = next(a for a in answers if a.status_code == 409).json()
                assert loser["error"]["code"] == "idempotency_key_reused"
                assert winner[0]["data"]["text"] in {b["data"]["text"] for b in bodies}
            stored += 1
        after = client.get(f"/api/partnerships/{S}/events").json()
        assert len(after) == before + stored


def hostile_bodies_keep_the_connection_and_the_log_keeps_no_key(served):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    headers = {"Authorization": f"Bearer {served.token}", "Content-Type": "application/json"}
    surrogate = (
        '{"stream": "kota-bandung-seoul", "type": "NoteAdded", "occurred_on": "2021-12-01", '
        '"data": {"text": "\\ud800"}}'
    )
    for _ in range(3):  # one keep-alive connection: each answer is a 422, and the next request is served
        connection.request("POST", "/api/events", body=surrogate.encode(), headers=headers)
        answer = connection.getresponse()
        body = json.loads(answer.read())
        assert answer.status == 422 and body["error"]["fields"][0]["field"] == "data.text"
        assert answer.getheader("X-Frame-Options") == "DENY"
    connection.request("GET", "/api/status", headers=headers)
    assert connection.getresponse().status == 200
    connection.close()
    # a body announced larger than the limit is refused before it is sent
    big = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    big.putrequest("POST", "/api/events")
    for name, value in {**headers, "Content-Length": str(50 * 1024 * 1024)}.items():
        big.putheader(name, value)
    big.endheaders()
    answer = big.getresponse()
    assert answer.status == 413 and json.loads(answer.read())["error"]["code"] == "too_large"
    big.close()
    key = "SECRETFEEDKEY"
    httpx.get(f"{served.url}/api/calendar/all.ics?key={key}", timeout=30)
    served.log.flush()
    log = (served.workdir / "serve.log").read_text()
    assert "/api/calendar/all.ics?key=[redacted]" in log and key not in log


def test_attacks_against_a_running_server(served):
    """One server per database for both (starting one costs more than the checks)."""
    concurrent_posts_with_one_idempotency_key_store_one_request(served)
    hostile_bodies_keep_the_connection_and_the_log_keeps_no_key(served)
