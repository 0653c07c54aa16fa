"""Tables of the API: users with hashed tokens, and the audit log of every review action.

Only the token's SHA-256 is stored (tokens are long random strings, so a plain hash is enough);
the review log keeps who changed a fact, when, and the fact's values before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from displacement_monitor.store.tables import Base, utcnow

ROLES = ("viewer", "analyst", "admin")


class UserRow(Base):
    __tablename__ = "api_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewEventRow(Base):
    """One review action on one fact; never updated, never deleted with the user."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_fact_id", "fact_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    reviewer: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
