"""The HTTP service: `create_app(settings)` builds everything; nothing happens at import."""

from __future__ import annotations

from fastapi import FastAPI

from projections.runner import load_states
from projections.status import statuses
from service.bootstrap import bootstrap
from service.settings import Settings
from service.status_output import as_json_objects


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application for `settings`."""
    pantau = bootstrap(settings)
    app = FastAPI(title="Pantau", version="0.1.0")
    app.state.pantau = pantau

    @app.get("/healthz")
    def healthz() -> dict:
        """200 while the process is up."""
        return {"status": "ok"}

    @app.get("/api/status")
    def status() -> list[dict]:
        """Derived status of every partnership today."""
        pantau.runner.run()
        return as_json_objects(statuses(load_states(pantau.engine), pantau.today(), pantau.rules))

    return app
