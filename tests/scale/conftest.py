"""Scale tests use the shared database fixtures (tests/conftest.py) under the name ``store_url``."""

from __future__ import annotations

import pytest

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture
def store_url(db_url: str) -> str:
    """A fresh, empty database on each backend (PostgreSQL: a new schema per test)."""
    return db_url
