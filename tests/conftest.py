"""Shared fixtures.

- The gold data lives beside the project in ../shared (tests using it skip when it is absent).
- Databases: every store-backed test runs on a temporary SQLite file and on PostgreSQL. PostgreSQL
  gets one throw-away database per test session (``dm_test_<random>``, dropped at the end) and one
  fresh schema per test, so tests never see each other's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data" / "dev").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """URL of a PostgreSQL database created for this test session."""
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    name = f"dm_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as err:
        admin.dispose()
        pytest.skip(f"PostgreSQL unreachable at 127.0.0.1:5432: {err.orig}")
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pg_schema_url(database: str) -> str:
    """A fresh schema in ``database``, as a URL whose search_path points at it."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{database}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return pg_schema_url(request.getfixturevalue("pg_database"))
