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


def test_concurrent_posts_with_one_idempotency_key_store_one_request(served):
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

            def post(i: int) -> None:
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
