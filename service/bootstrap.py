"""The composition root: builds the store, runner and rules from settings; nothing at import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from events.database import create_engine
from events.store import EventStore
from projections.rules import Rules
from projections.runner import ProjectionRunner
from service.config import load_document, projection_rules
from service.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date with Alembic."""
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
    rules_document: dict
    clock: Callable[[], datetime] = field(default=utcnow)

    def today(self) -> date:
        """Today in PANTAU_TIMEZONE."""
        return self.clock().astimezone(self.settings.zone).date()


def bootstrap(settings: Settings, *, clock: Callable[[], datetime] = utcnow,
              engine: Engine | None = None, migrate_schema: bool = True) -> Pantau:
    """Build the store, projections and rules for `settings` (migrating the schema first)."""
    document = load_document(settings.rules_path)
    rules = projection_rules(document)
    engine = engine or create_engine(settings.database_url)
    if migrate_schema:
        migrate(engine)
    store = EventStore(engine, clock=clock)
    return Pantau(settings=settings, engine=engine, store=store, runner=ProjectionRunner(store),
                  rules=rules, rules_document=document, clock=clock)
