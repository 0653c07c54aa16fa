"""Table of analyst corrections to event clustering (merge, split), kept apart from the clustering.

Events are recomputed from the articles whenever the store changes, so a correction cannot be
stored on an event. It is stored as the articles it names (input ids, stable across re-clustering)
and replayed in order after every clustering. Rows are never deleted: revoking one sets
``revoked_at``, so the table is also the audit log of who changed which events, when and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from displacement_monitor.store.tables import Base, utcnow

OVERRIDE_ACTIONS = ("merge", "split")


class EventOverrideRow(Base):
    """One merge or split; active while ``revoked_at`` is null, applied in ``id`` order."""

    __tablename__ = "event_overrides"
    __table_args__ = (Index("ix_event_overrides_revoked_at", "revoked_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    #: Input ids of the articles the correction applies to (a merge: every article of the merged events).
    articles: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Event ids the analyst named, as they were at the time (for the record; never replayed).
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    #: Membership of the events touched, before the correction: event id → article ids.
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(256))
    revoked_at: Mapped[dt.datetime | None]
