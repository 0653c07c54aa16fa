"""Database URL, engine set-up and schema migration.

SQLite is the embedded default (WAL, foreign keys, a busy timeout so a reader never fails a
writer); PostgreSQL is the production target. The schema is always brought to the newest Alembic
revision on open, with the migration scripts shipped inside the package.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from displacement_monitor.errors import StoreError

DEFAULT_DATABASE_URL = "sqlite:///displacement.db"
DATABASE_URL_ENV = "DM_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The URL to use: explicit, else ``$DM_DATABASE_URL``, else ``sqlite:///displacement.db``."""
    return url or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` with the per-dialect settings the store relies on."""
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as err:
        raise StoreError(f"invalid database URL {resolved!r}") from err
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # NullPool: each checkout is a fresh connection, so forked workers never share one.
        engine = create_engine(parsed, poolclass=NullPool, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Run ``alembic upgrade head`` on ``engine`` (idempotent, safe from several processes on PG)."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as err:
        raise StoreError(f"cannot reach or migrate the database: {err.orig}") from err
