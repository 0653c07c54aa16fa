"""API fixtures: a store on SQLite and on PostgreSQL filled with hand-written articles, and a client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from displacement_monitor.api import Settings, create_app
from displacement_monitor.api.auth import create_user
from displacement_monitor.store import Store, open_store

from .sample import fill

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def api_pg_database() -> Iterator[str]:
    """A PostgreSQL database for this test session, dropped at the end."""
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    name = f"dm_api_{uuid.uuid4().hex[:10]}"
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


def _pg_schema_url(database: str) -> str:
    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{database}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def api_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'api.db'}"
    return _pg_schema_url(request.getfixturevalue("api_pg_database"))


@dataclass
class Api:
    client: TestClient
    store: Store
    fact_ids: dict[str, list[int]]
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_api(url: str, *, open_reads: bool = True) -> Iterator[Api]:
    store = open_store(url)
    fact_ids = fill(store)
    with store.session() as session:
        tokens = {role: create_user(session, f"{role}-user", role) for role in ("viewer", "analyst", "admin")}
    app = create_app(Settings(database_url=url, open_reads=open_reads))
    with TestClient(app) as client:
        yield Api(client, store, fact_ids, tokens)
    store.close()


@pytest.fixture
def api(api_db_url: str) -> Iterator[Api]:
    """A client on a filled store (both backends), with one token per role."""
    yield from make_api(api_db_url)


@pytest.fixture
def sqlite_api(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(f"sqlite:///{tmp_path / 'api.db'}")
