"""/docs and /redoc from assets the service serves itself (an office network may have no internet).

Swagger UI and ReDoc come from the fastapi-offline package; the pages load only same-origin files
and no inline script (Swagger's start-up lives in /static/swagger-init.js), so they work under a
Content-Security-Policy of `default-src 'self'`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pantau API</title>
<link rel="icon" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pantau API</title>
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="{assets}/redoc.standalone.js"></script>
</body>
</html>
"""


def assets_directory() -> Path:
    """Where the kept package holds swagger-ui-bundle.js, swagger-ui.css and redoc.standalone.js."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@router.get("/docs")
def swagger_page() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(_SWAGGER.format(assets=ASSETS_URL))


@router.get("/redoc")
def redoc_page() -> HTMLResponse:
    """ReDoc over /openapi.json."""
    return HTMLResponse(_REDOC.format(assets=ASSETS_URL))


def install(app: FastAPI) -> None:
    """Serve the documentation pages and their assets (create the app with docs_url=None, redoc_url=None)."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=assets_directory()), name="docs-assets")
