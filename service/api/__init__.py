"""The HTTP service: `create_app(settings)` builds everything; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from service.api import (
    docs,
    errors,
    events,
    guards,
    health,
    lifecycle,
    matrix,
    notes,
    notifications,
    pages,
    pages_forms,
    pages_import,
    pages_lifecycle,
    pages_lifecycle_forms,
    pages_notes,
    pages_notices,
    pages_partner,
    pages_password,
    pages_reports,
    pages_search,
    pages_users,
    partnerships,
    registry,
    registry_data,
    registry_http,
    status,
    storable,
    users,
    web,
)
from service.api.dashboard import numbers as dashboard_numbers
from service.api.dashboard import router as dashboard_router
from service.api.dashboard import summaries as dashboard_summaries
from service.api.json_body import refuse_repeated_keys
from service.api.projector import Projector
from service.api.session import FeedKeys, Sessions, signing_key
from service.api.throttle import FailureLimit
from service.bootstrap import Pantau, bootstrap, utcnow
from service.dashboard_warmer import Warmer
from service.partner_links import PartnerKeys
from service.settings import Settings

STATIC = Path(__file__).parent.parent / "static"


def _lifespan(pantau: Pantau, background: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's start and stop: read models caught up, then the projector and the scheduler (unless tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pantau.runner.run()  # start with the read models caught up
        registry_http.current(pantau)  # and the public registry's rows (all of them after an upgrade)
        handle = None
        if background:
            app.state.projector = Projector(pantau).start()
            app.state.templates.get_template("dashboard.html")  # compiled now, not for the first visitor
            app.state.dashboards = Warmer(
                pantau, dashboard_summaries(pantau), lambda: dashboard_numbers(pantau)
            ).start()
            from service.background import start_background

            handle = start_background(pantau)
        app.state.background = handle  # /healthz reports the scheduler's role from it
        try:
            yield
        finally:
            if handle is not None:
                handle.shutdown()
            if app.state.projector is not None:
                app.state.projector.stop()
                app.state.dashboards.stop()

    return lifespan


def _include_routers(app: FastAPI) -> None:
    """The API's routers, then the pages' (in order: /partnerships/new before /{stream})."""
    for module in (health, events, status, partnerships, matrix, notifications, notes, lifecycle, users):
        app.include_router(module.router)
    web.install(app)
    for module in (
        web,
        pages_forms,
        pages_users,
        pages_password,
        pages,
        pages_notices,
        pages_notes,
        pages_search,
        pages_lifecycle,
        pages_lifecycle_forms,
        pages_import,
        pages_partner,
        pages_reports,
        registry_data,  # /registri.csv and /registri/datapackage.json before /registri/{stream}
        registry,
    ):  # /partnerships/new before /{stream}
        app.include_router(module.router)
    app.include_router(dashboard_router)


def create_app(
    settings: Settings,
    *,
    background: bool = True,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The FastAPI application for `settings`; `background=False` leaves the scheduler off (tests)."""
    pantau = bootstrap(settings, clock=clock or utcnow, engine=engine)
    app = FastAPI(
        title="Pantau",
        version="0.1.0",
        lifespan=_lifespan(pantau, background),
        docs_url=None,
        redoc_url=None,
        description="The record of Indonesia's sister-city and sister-province partnerships. "
        "Every call but /healthz needs `Authorization: Bearer TOKEN`.",
        # Every route's path, query and form values are checked before the route reads them.
        dependencies=[Depends(storable.storable)],
    )
    # Before any route is added: every route gets it (a JSON body naming a key twice is refused).
    app.router.dependencies.append(Depends(refuse_repeated_keys))
    app.state.pantau = pantau
    app.state.background = None
    app.state.projector = None  # reads fold what the read models lack; the projector keeps the lag short
    key = signing_key(pantau.engine)
    app.state.sessions, app.state.feeds = Sessions(key), FeedKeys(key)
    app.state.partner_keys = PartnerKeys(key, pantau.clock, settings.partner_link_days)
    app.state.metrics = health.Metrics()
    app.state.auth_failures = FailureLimit(pantau.clock)
    errors.install(app)
    health.instrument(app, app.state.metrics)
    guards.install(app, settings)  # added last: the outermost layer
    _include_routers(app)
    docs.install(app)  # /docs and /redoc from the service's own assets, no CDN
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
