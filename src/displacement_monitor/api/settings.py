"""API settings from the environment (``DM_*``), read once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel

from displacement_monitor.store.engine import database_url

_TRUE = {"1", "true", "yes", "on"}


class Settings(BaseModel):
    """What a deployment may change; defaults suit a laptop."""

    database_url: str
    #: Reads (GET) without a token; writes always need one.
    open_reads: bool = True
    #: Largest page of ``/api/facts`` and ``/api/articles``.
    max_page_size: int = 500
    #: Counting stops here: beyond it ``total`` is a lower bound (keeps pages fast on huge tables).
    count_limit: int = 10_000
    #: Markers on ``/api/map.geojson`` at most (largest figures first).
    map_limit: int = 5_000
    #: URL submissions may fetch loopback addresses (tests only).
    allow_loopback_fetch: bool = False
    #: Largest request body (bytes), refused with 413 before it is read into memory or parsed.
    max_request_bytes: int = 32_000_000

    @classmethod
    def from_env(cls, url: str | None = None) -> Settings:
        return cls(
            database_url=database_url(url),
            open_reads=os.environ.get("DM_API_OPEN_READS", "1").strip().lower() in _TRUE,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (``create_app`` can be given others, e.g. in tests)."""
    return Settings.from_env()
