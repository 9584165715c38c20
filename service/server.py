"""`pantau serve`: one process, or several API workers sharing the store (one leads the scheduler)."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile

from fastapi import FastAPI

from service.settings import Settings

# Python hands the GIL over every 5 ms by default; a request crosses threads several times
# (event loop, worker thread, the group commit's leader), and under load each crossing waited for
# that interval. 1 ms cut the write p99 under bench/api_load.py's mixed load on SQLite from
# 98 ms to 74 ms, at no cost in throughput (0.5 ms was no better on PostgreSQL).
SWITCH_INTERVAL = 0.001
# uvicorn believes X-Forwarded-For from any loopback peer by default (and FORWARDED_ALLOW_IPS from
# the environment): a client on the machine could then name any address. Forwarded headers are
# believed only from PANTAU_TRUSTED_PROXIES, by service/api/forwarded.py; uvicorn reads none
# (proxy_headers=False, forwarded_allow_ips="" below).


def settle() -> None:
    """Tune the interpreter of a worker whose application is built, just before it serves."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    # The objects of start-up (modules, templates, the app) live as long as the worker: frozen,
    # the collector's full passes no longer walk them. Each such pass cost a desk's matrix read
    # 100-140 ms (its p99 went from 15 ms to 500-700 ms, bench/desk_reads.py).
    gc.freeze()


def app_from_env() -> FastAPI:
    """The application of one worker process, built from the PANTAU_* environment."""
    from service.api import create_app

    application = create_app(Settings.from_env())
    settle()
    return application


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve the API until interrupted; with several workers each builds its own application."""
    import uvicorn

    from service.access_log import log_config
    from service.api import create_app

    # Built here first even for several workers: bad settings fail before anything listens, and
    # the schema is migrated once, not by the workers racing each other.
    application = create_app(settings)
    if workers == 1:
        settle()
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="info",
            log_config=log_config(),
            proxy_headers=False,
            forwarded_allow_ips="",
        )
        return
    application.state.pantau.engine.dispose()
    # prometheus_client's multiprocess mode: every worker writes its meters to files here and
    # /metrics adds them up, whichever worker answers the scrape.
    metrics_dir = tempfile.mkdtemp(prefix="pantau-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        uvicorn.run(
            "service.server:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=log_config(),
            proxy_headers=False,
            forwarded_allow_ips="",
        )
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
