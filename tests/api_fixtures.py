"""Shared set-up of the API and page tests: an app on the test database, users of every role."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from events.jsonl import import_events
from service.api import create_app
from service.auth import add_user
from service.settings import Settings
from tests.conftest import SAMPLE
from tests.helpers import contact, registered, signed


@dataclass
class Api:
    client: TestClient
    app: object
    tokens: dict[str, str]

    @property
    def pantau(self):
        return self.app.state.pantau

    def headers(self, who: str = "admin", **extra) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}", **extra}

    def get(self, path: str, who: str = "admin", **kwargs):
        return self.client.get(path, headers=self.headers(who), **kwargs)

    def post(self, path: str, body=None, who: str = "admin", headers: dict | None = None, **kwargs):
        return self.client.post(path, json=body, headers={**self.headers(who), **(headers or {})}, **kwargs)


USERS = {  # name: (role, desk, region)
    "admin": ("admin", None, None),
    "seoul": ("desk", "kbri-seoul", None),
    "tokyo": ("desk", "kbri-tokyo", None),
    "jabar": ("regional", None, "Jawa Barat"),
    "bali": ("regional", None, "Bali"),
    "viewer": ("viewer", None, None),
}


def build(database, engine, clock, sample: bool = False, **settings) -> Api:
    """The app on the test engine (and `settings`), one user per role, Bandung – Seoul registered or the sample."""
    app = create_app(Settings(database_url=database[0], **settings), background=False, engine=engine, clock=clock)
    tokens = {}
    for name, (role, desk, region) in USERS.items():
        tokens[name] = add_user(engine, name, role, clock(), desk=desk, region=region)[1]
    if sample:
        with SAMPLE.open("rb") as source:
            import_events(app.state.pantau.store, source, app.state.pantau.today())
    else:
        app.state.pantau.store.append(
            [registered(), signed("2020-01-10", "mou-2020"), contact("2020-01-10", email="putri@example.go.id")]
        )
    # The client speaks to the public address the app was given, as a browser would: an https one
    # makes the session cookie Secure, which a client on http://testserver would never send back.
    public = urlsplit(settings.get("base_url", "http://testserver"))
    client = TestClient(app, base_url=f"{public.scheme}://{public.netloc}")  # a proxy strips any path prefix
    return Api(client, app, tokens)
