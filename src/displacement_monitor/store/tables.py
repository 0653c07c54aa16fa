"""ORM tables. Every table module of the store shares ``Base`` so Alembic sees one metadata.

Rows never leave ``store/``: repositories convert them to and from the dataclasses of ``model.py``.
Other table groups (e.g. events) add their own module beside this one, import ``Base`` from here
and ship their tables in a new Alembic revision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ARTICLE_STATUSES = ("processed", "failed")
REVIEW_STATUSES = ("pending", "accepted", "rejected", "edited")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SourceRow(Base):
    """Where documents came from: a folder, a JSONL file, a feed, a GKG file, a WARC, a URL list."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("kind", "locator", name="uq_sources_kind_locator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    locator: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(String(1024))
    last_fetched_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RunRow(Base):
    """One ``ingest`` invocation (or one watch job execution) and what it did."""

    __tablename__ = "processing_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    #: running → finished; a run killed mid-way stays ``running`` (its documents are all committed).
    status: Mapped[str] = mapped_column(String(16), default="running")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        UniqueConstraint("content_hash", name="uq_articles_content_hash"),
        Index("ix_articles_external_id", "external_id"),
        Index("ix_articles_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The input's own id (the contract's ``id``).
    external_id: Mapped[str] = mapped_column(String(512))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("processing_runs.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048))
    #: SHA-256 of the raw content with whitespace collapsed; None when nothing was read.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    relevance_score: Mapped[float] = mapped_column(Float, default=0.0)
    cause: Mapped[str | None] = mapped_column(String(16))
    hazard: Mapped[str | None] = mapped_column(String(32))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    near_duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    #: MinHash signature (little-endian uint32 values) used to rebuild the LSH index between runs.
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    timings_ms: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hints: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    facts: Mapped[list[FactRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="FactRow.ordinal"
    )


class FactRow(Base):
    """One contract fact, locations and date span flattened into columns, plus its review state."""

    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_article_id", "article_id"),
        Index("ix_facts_country_term", "country_iso3", "term"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    figure: Mapped[int | None] = mapped_column(Integer)
    figure_min: Mapped[int | None] = mapped_column(Integer)
    figure_max: Mapped[int | None] = mapped_column(Integer)
    figure_text: Mapped[str | None] = mapped_column(Text)
    qualifier: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    term: Mapped[str] = mapped_column(String(32))
    modality: Mapped[str] = mapped_column(String(16))
    quote: Mapped[str] = mapped_column(Text)
    quote_start: Mapped[int] = mapped_column(Integer)
    quote_end: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    cause: Mapped[str | None] = mapped_column(String(16))
    hazard: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    date_text: Mapped[str | None] = mapped_column(Text)
    # location (where people were displaced from / where it happened)
    location_name: Mapped[str | None] = mapped_column(Text)
    location_geonames_id: Mapped[int | None] = mapped_column(Integer)
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    location_admin1: Mapped[str | None] = mapped_column(Text)
    location_admin2: Mapped[str | None] = mapped_column(Text)
    location_country_iso3: Mapped[str | None] = mapped_column(String(3))
    location_precision: Mapped[str | None] = mapped_column(String(16))
    location_confidence: Mapped[float | None] = mapped_column(Float)
    location_start: Mapped[int | None] = mapped_column(Integer)
    location_end: Mapped[int | None] = mapped_column(Integer)
    # destination (where people went)
    destination_name: Mapped[str | None] = mapped_column(Text)
    destination_geonames_id: Mapped[int | None] = mapped_column(Integer)
    destination_lat: Mapped[float | None] = mapped_column(Float)
    destination_lon: Mapped[float | None] = mapped_column(Float)
    destination_admin1: Mapped[str | None] = mapped_column(Text)
    destination_admin2: Mapped[str | None] = mapped_column(Text)
    destination_country_iso3: Mapped[str | None] = mapped_column(String(3))
    destination_precision: Mapped[str | None] = mapped_column(String(16))
    destination_confidence: Mapped[float | None] = mapped_column(Float)
    destination_start: Mapped[int | None] = mapped_column(Integer)
    destination_end: Mapped[int | None] = mapped_column(Integer)
    # review
    review_status: Mapped[str] = mapped_column(String(16), default="pending")
    reviewed_by: Mapped[str | None] = mapped_column(String(256))
    reviewed_at: Mapped[dt.datetime | None]
    review_note: Mapped[str | None] = mapped_column(Text)
    #: Field → value the reviewer changed (the original stays in its column).
    review_changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    article: Mapped[ArticleRow] = relationship(back_populates="facts")


class JobRow(Base):
    """A scheduled polling job of ``watch``; its state survives restarts."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("kind", "target", name="uq_jobs_kind_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(2048))
    interval_seconds: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: A worker owns the job until this time; a crashed worker's lease simply expires.
    locked_by: Mapped[str | None] = mapped_column(String(128))
    locked_until: Mapped[dt.datetime | None]
    last_started_at: Mapped[dt.datetime | None]
    last_finished_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    run_count: Mapped[int] = mapped_column(Integer, default=0)
    last_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
