"""The composition root: builds the store, runner and rules from settings; nothing at import."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from events.database import create_engine
from events.store import EventStore
from notifications.alert_rules import AlertRules
from projections.readmodel import DecodedStates
from projections.rules import Rules
from projections.runner import ProjectionRunner
from service import fresh_schema
from service.config import alert_rules, load_document, projection_rules
from service.settings import Settings, SettingsError

if TYPE_CHECKING:
    from notifications.sender import SmtpSender

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")


def head_revision() -> str | None:
    """The one head of the migration scripts, read from their text (None when there are several)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revision = re.search(r"^revision\b[^=]*=\s*['\"]([^'\"]+)", text, re.MULTILINE)
        down = re.search(r"^down_revision\b[^=]*=(.*)$", text, re.MULTILINE)
        if revision is None or down is None:
            return None  # a script this reading does not understand: let Alembic decide
        revisions.add(revision.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _up_to_date(engine: Engine) -> bool:
    """Whether the database already stands at the scripts' head (one cheap query, no Alembic)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stamped = [row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except DBAPIError:  # no alembic_version table yet: a new database
        return False
    return stamped == [head]


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date: a new SQLite file from one script, else with Alembic."""
    # Loading Alembic (and Mako, and its script directory) took the larger part of a command's
    # start-up; a database already at the head needs none of it, a new SQLite file only its script.
    if _up_to_date(engine) or fresh_schema.create(engine, head_revision()):
        return
    migrate_with_alembic(engine)


def migrate_with_alembic(engine: Engine) -> None:
    """Run the migration scripts the database has not had yet."""
    from alembic import command  # Alembic loads Mako and its script directory: only when migrating
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        conn = conn.execution_options(pantau_write=True)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


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
