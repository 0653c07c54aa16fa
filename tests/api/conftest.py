"""API fixtures: a store on SQLite and on PostgreSQL filled with hand-written articles, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from displacement_monitor.api import Settings, create_app
from displacement_monitor.api.auth import create_user
from displacement_monitor.store import Store, open_store

from .sample import fill


@pytest.fixture
def api_db_url(db_url: str) -> str:
    """The shared fresh database (SQLite and PostgreSQL, see tests/conftest.py)."""
    return db_url


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
