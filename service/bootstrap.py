"""The composition root: builds the store, runner and rules from settings; nothing at import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Engine

from events.database import create_engine
from events.store import EventStore
from notifications.alert_rules import AlertRules
from projections.readmodel import DecodedStates
from projections.rules import Rules
from projections.runner import ProjectionRunner
from service.config import alert_rules, load_document, projection_rules
from service.migrate import migrate
from service.settings import Settings, SettingsError

if TYPE_CHECKING:
    from notifications.sender import SmtpSender

T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Pantau:
    """Everything one process needs, built once from settings."""

    settings: Settings
    engine: Engine
    store: EventStore
    runner: ProjectionRunner
    rules: Rules
    alert_rules: AlertRules
    rules_document: dict
    clock: Callable[[], datetime] = field(default=utcnow)
    # The process's state lives here, made with the application and gone with it, not at module
    # level: two applications in one process (tests, a rebuilt app) share none of it.
    decoded: DecodedStates = field(default_factory=DecodedStates)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _helpers: dict[str, object] = field(default_factory=dict, repr=False)
    _helpers_guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def today(self) -> date:
        """Today in PANTAU_TIMEZONE."""
        return self.clock().astimezone(self.settings.zone).date()

    def helper(self, name: str, make: Callable[[], T]) -> T:
        """The one helper called `name` of this process (the group committer, the matrix lines), made on first use."""
        with self._helpers_guard:
            if name not in self._helpers:
                self._helpers[name] = make()
            return self._helpers[name]  # type: ignore[return-value]


def bootstrap(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    engine: Engine | None = None,
    migrate_schema: bool = True,
) -> Pantau:
    """Build the store, projections and rules for `settings` (migrating the schema first).

    The rules file is read and checked here, once, for every command and the service alike: a bad
    [alerts] table is refused at start, not when the first alert is due.
    """
    document = load_document(settings.rules_path)
    rules = projection_rules(document)
    # The mails' links lead to the public address; the rules file says nothing of it.
    alerts = replace(alert_rules(document), base_url=settings.base_url)
    engine = engine or create_engine(settings.database_url)
    if migrate_schema:
        migrate(engine)
    store = EventStore(engine, clock=clock)
    return Pantau(
        settings=settings,
        engine=engine,
        store=store,
        runner=ProjectionRunner(store),
        rules=rules,
        alert_rules=alerts,
        rules_document=document,
        clock=clock,
        decoded=DecodedStates(settings.read_cache_rows),
    )


def mail_sender(settings: Settings) -> SmtpSender:
    """The sender of PANTAU_SMTP_URL, or of the local SMTP sink when it is unset (the one factory)."""
    from notifications.sender import SmtpSender, SmtpTarget
    from service.smtp_sink import DEFAULT_HOST

    if not settings.smtp_url:
        return SmtpSender(SmtpTarget(DEFAULT_HOST, settings.sink_port))
    try:
        return SmtpSender.from_url(settings.smtp_url)
    except ValueError as exc:  # the message names PANTAU_SMTP_URL
        raise SettingsError(str(exc)) from None
