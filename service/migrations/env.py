"""Alembic environment: runs on a connection handed over by `service.migrate`, or on the URL."""

from alembic import context

from events.database import create_engine
from events.schema import metadata as events_metadata
from projections.schema import metadata as projections_metadata

target_metadata = [events_metadata, projections_metadata]


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        import os

        url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
            "PANTAU_DATABASE_URL", "sqlite:///./var/pantau.db"
        )
        with create_engine(url).connect() as connection:
            _migrate(connection)
            connection.commit()
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


run()
