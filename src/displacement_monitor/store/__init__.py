"""Persistent store of articles and facts on SQLite (default) or PostgreSQL."""

from displacement_monitor.store.engine import DATABASE_URL_ENV, DEFAULT_DATABASE_URL, database_url
from displacement_monitor.store.repository import (
    ArticleRecord,
    KnownKeys,
    SaveOutcome,
    Store,
    StoredResult,
    open_store,
)

__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE_URL",
    "ArticleRecord",
    "KnownKeys",
    "SaveOutcome",
    "Store",
    "StoredResult",
    "database_url",
    "open_store",
]
