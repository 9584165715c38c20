"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import os
import time

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from events.database import reading
from notifications import failures
from service.api.deps import PantauDep, UserDep
from service.api.guards import RETRY_AFTER
from service.api.reads import catch_up

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request) -> dict:
    """200 while the process is up, with its scheduler role (no authentication)."""
    background = request.app.state.background
    return {"status": "ok", "scheduler": "off" if background is None else background.scheduler_role()}


@router.get("/readyz", responses={503: {"description": "database unreachable or projections behind"}})
def readyz(pantau: PantauDep, _user: UserDep) -> JSONResponse:
    """200 when the database answers and the read models have applied every stored event."""
    try:
        with reading(pantau.engine) as conn:
            conn.execute(sa.text("SELECT 1"))
        head = pantau.store.head()
        catch_up(pantau)  # a projection that cannot apply an event fails here, and readiness with it
        checkpoint = pantau.runner.checkpoint()
    except sa.exc.SQLAlchemyError as exc:
        return _not_ready({"status": "unavailable", "database": f"unreachable: {exc.__class__.__name__}"})
    except Exception as exc:  # noqa: BLE001 - any projection failure means "not ready", with its reason
        return _not_ready({"status": "projection_failed", "database": "ok", "reason": str(exc)[:300]})
    answer = {"database": "ok", "head": head, "checkpoint": checkpoint}
    if checkpoint < head:  # later writes may have moved the head meanwhile; that is not lag
        return _not_ready({"status": "catching_up", **answer})
    return JSONResponse({"status": "ready", **answer})


def _not_ready(answer: dict) -> JSONResponse:
    """503, saying when to ask again (a load balancer or orchestrator waits that long)."""
    return JSONResponse(answer, status_code=503, headers={"Retry-After": RETRY_AFTER})


@router.get("/metrics", responses={200: {"content": {"text/plain": {}}}})
def metrics(request: Request, pantau: PantauDep, _user: UserDep) -> Response:
    """Prometheus metrics of the service: of every worker under `pantau serve --workers N`."""
    meters: Metrics = request.app.state.metrics
    meters.head.set(pantau.store.head())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its counts to files there (set by `pantau serve`); a scrape reaches
        # one worker at random, so it must report them all, not its own.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    # The alert job's failures are counted process-wide (the job runs outside any one request).
    text = generate_latest(meters.registry) + generate_latest(failures.REGISTRY)
    return Response(text, media_type=CONTENT_TYPE_LATEST)


class Metrics:
    """The meters of one application (a registry of its own, so tests can build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "pantau_http_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "pantau_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.head = Gauge(
            "pantau_events_stored",
            "position of the latest stored event",
            registry=self.registry,
            multiprocess_mode="max",
        )


def instrument(app: FastAPI, meters: Metrics) -> None:
    """Count and time every request by route template (a plain ASGI middleware: cheap per request)."""

    class Measure:
        def __init__(self, inner):
            self.inner = inner

        async def __call__(self, scope, receive, send):
            if scope["type"] != "http":
                return await self.inner(scope, receive, send)
            start, status = time.perf_counter(), [500]

            async def sending(message):
                if message["type"] == "http.response.start":
                    status[0] = message["status"]
                await send(message)

            try:
                await self.inner(scope, receive, sending)
            finally:
                path = getattr(scope.get("route"), "path", "unmatched")
                meters.requests.labels(scope["method"], path, str(status[0])).inc()
                meters.latency.labels(scope["method"], path).observe(time.perf_counter() - start)

    app.add_middleware(Measure)
