"""Schemathesis fuzzes every operation of /openapi.json with a valid token: no answer is a 5xx."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from tests.api_fixtures import build

pytestmark = pytest.mark.service

schemathesis = pytest.importorskip("schemathesis", reason="pip package schemathesis is not installed")

# Per operation and mode: ~20 operations x 2 modes keeps the suite's run to a few hundred cases.
# `make fuzz` asks for more, with fresh random cases: PANTAU_FUZZ_EXAMPLES=200 PANTAU_FUZZ_RANDOM=1.
EXAMPLES = int(os.environ.get("PANTAU_FUZZ_EXAMPLES", "12"))
RANDOM = bool(os.environ.get("PANTAU_FUZZ_RANDOM"))


@pytest.fixture
def api(tmp_path, clock):
    from events.database import create_engine
    from service.bootstrap import migrate

    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    engine = create_engine(url)
    migrate(engine)
    built = build((url, {}), engine, clock)
    with built.client:
        yield built
    engine.dispose()


def _fuzz(operation, mode, auth: dict, failures: list) -> int:
    """Run the generated cases of one operation in one mode; returns how many were sent."""
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        nonlocal sent
        sent += 1
        case.headers = {**(case.headers or {}), **auth}
        response = case.call()
        if response.status_code >= 500:
            failures.append(
                (operation.label, mode.value, response.status_code, case.as_curl_command(), response.text[:300])
            )

    try:
        fuzz()
    except Unsatisfiable:
        pass  # nothing to make invalid (no parameters, no body), e.g. GET /healthz
    return sent


def test_no_generated_request_gets_a_server_error(api):
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    auth = api.headers("admin")
    failures, cases = [], 0
    for result in schema.get_all_operations():
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            cases += _fuzz(result.ok(), mode, auth, failures)
    print(f"schemathesis: {cases} cases, {len(failures)} with a 5xx")
    assert cases >= 100
    assert failures == [], "\n".join(map(str, failures[:5]))
