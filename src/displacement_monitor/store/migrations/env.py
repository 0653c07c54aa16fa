"""Alembic environment: runs on the connection ``store.open_store`` hands over (never a global URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

import displacement_monitor.store.auth_tables  # noqa: F401  (registers the API tables on Base)
from displacement_monitor.store import event_tables  # noqa: F401  (registers the event override table)
from displacement_monitor.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run through displacement_monitor.store.open_store()")
    if connection.dialect.name == "postgresql":
        # Several watch workers may start at once: one migrates, the others wait.
        connection.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
