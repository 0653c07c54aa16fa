"""Ingest tests reuse the store's database fixtures (SQLite file + PostgreSQL schema)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "dm_store_test_fixtures", Path(__file__).resolve().parents[1] / "store" / "conftest.py"
)
assert _spec and _spec.loader
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

pg_database = _fixtures.pg_database
db_url = _fixtures.db_url
