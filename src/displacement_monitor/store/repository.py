"""The store's public face: ``ExtractionResult`` in, ``ExtractionResult`` out, rows stay inside.

One document is one transaction (article row + fact rows + status), so a crash leaves either the
whole document or nothing. Identity is the canonical URL or the content hash: saving a document a
second time finds the first and changes nothing unless asked to replace it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from displacement_monitor.errors import StoreError
from displacement_monitor.model import LOCATION_FIELDS, DateSpan, ExtractionResult, Fact, Location
from displacement_monitor.store.engine import make_engine, upgrade_schema
from displacement_monitor.store.tables import REVIEW_STATUSES, ArticleRow, FactRow, RunRow, SourceRow, utcnow


@dataclass(slots=True)
class ArticleRecord:
    """What ingestion knows about a document beyond its ExtractionResult."""

    external_id: str
    url: str | None = None
    canonical_url: str | None = None
    content_hash: str | None = None
    source_id: int | None = None
    run_id: int | None = None
    minhash: bytes | None = None
    near_duplicate_of: int | None = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SaveOutcome:
    article_id: int
    #: False when an article with the same canonical URL or content hash was already stored.
    created: bool
    replaced: bool = False


@dataclass(slots=True)
class StoredResult:
    """A stored ExtractionResult with its database ids (``fact_ids`` parallel to ``result.facts``)."""

    article_id: int
    result: ExtractionResult
    fact_ids: list[int]
    status: str
    near_duplicate_of: int | None = None


@dataclass(slots=True)
class KnownKeys:
    """Identity keys already stored, loaded once per run so skipping costs no query per document."""

    canonical_urls: set[str] = field(default_factory=set)
    content_hashes: set[str] = field(default_factory=set)
    #: External ids of failed documents that had neither URL nor content (e.g. unreadable files).
    keyless_ids: set[str] = field(default_factory=set)


# ---------------------------------------------------------------- row ↔ model conversion
def _location_columns(prefix: str, location: Location | None) -> dict[str, Any]:
    return {f"{prefix}_{name}": getattr(location, name) if location else None for name in LOCATION_FIELDS}


def _location_from_row(prefix: str, row: FactRow) -> Location | None:
    values = {name: getattr(row, f"{prefix}_{name}") for name in LOCATION_FIELDS}
    if values["name"] is None:
        return None
    return Location(**values)


def fact_to_row(fact: Fact, ordinal: int) -> FactRow:
    date = fact.date
    return FactRow(
        ordinal=ordinal,
        figure=fact.figure,
        figure_min=fact.figure_min,
        figure_max=fact.figure_max,
        figure_text=fact.figure_text,
        qualifier=fact.qualifier,
        unit=fact.unit,
        term=fact.term,
        modality=fact.modality,
        quote=fact.quote,
        quote_start=fact.start,
        quote_end=fact.end,
        country_iso3=fact.country_iso3,
        cause=fact.cause,
        hazard=fact.hazard,
        confidence=fact.confidence,
        date_start=date.start if date else None,
        date_end=date.end if date else None,
        date_precision=date.precision if date else None,
        date_text=date.text if date else None,
        review_status="pending",
        review_changes={},
        **_location_columns("location", fact.location),
        **_location_columns("destination", fact.destination),
    )


def fact_from_row(row: FactRow) -> Fact:
    has_date = row.date_start is not None or row.date_end is not None or row.date_precision is not None
    return Fact(
        figure=row.figure,
        figure_min=row.figure_min,
        figure_max=row.figure_max,
        qualifier=row.qualifier,  # type: ignore[arg-type]
        unit=row.unit,  # type: ignore[arg-type]
        term=row.term,  # type: ignore[arg-type]
        modality=row.modality,  # type: ignore[arg-type]
        quote=row.quote,
        start=row.quote_start,
        end=row.quote_end,
        location=_location_from_row("location", row),
        destination=_location_from_row("destination", row),
        country_iso3=row.country_iso3,
        date=DateSpan(row.date_start, row.date_end, row.date_precision, row.date_text)  # type: ignore[arg-type]
        if has_date or row.date_text
        else None,
        cause=row.cause,  # type: ignore[arg-type]
        hazard=row.hazard,  # type: ignore[arg-type]
        confidence=row.confidence,
        figure_text=row.figure_text,
    )


def _fill_article(row: ArticleRow, result: ExtractionResult, record: ArticleRecord) -> None:
    row.external_id = record.external_id
    row.url = record.url or result.url
    row.canonical_url = record.canonical_url
    row.content_hash = record.content_hash
    row.source_id = record.source_id
    row.run_id = record.run_id
    row.minhash = record.minhash
    row.near_duplicate_of = record.near_duplicate_of
    row.hints = record.hints
    row.title = result.title
    row.published = result.published
    row.language = result.language
    row.text = result.text
    row.status = "failed" if result.error else "processed"
    row.error = result.error
    row.relevant = result.relevant
    row.relevance_score = result.relevance_score
    row.cause = result.cause
    row.hazard = result.hazard
    row.country_iso3 = result.country_iso3
    row.timings_ms = dict(result.timings_ms)


def result_from_row(row: ArticleRow) -> ExtractionResult:
    return ExtractionResult(
        id=row.external_id,
        language=row.language,
        relevant=row.relevant,
        relevance_score=row.relevance_score,
        cause=row.cause,  # type: ignore[arg-type]
        hazard=row.hazard,  # type: ignore[arg-type]
        country_iso3=row.country_iso3,
        published=row.published,
        title=row.title,
        url=row.url,
        facts=[fact_from_row(f) for f in row.facts],
        error=row.error,
        text=row.text,
        timings_ms=dict(row.timings_ms or {}),
    )


# ---------------------------------------------------------------- the store
class Store:
    """Articles, facts, sources and runs in one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error (store-internal use)."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except OperationalError as err:
                session.rollback()
                raise StoreError(f"database error: {err.orig}") from err
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ sources and runs
    def ensure_source(self, kind: str, locator: str, title: str | None = None) -> int:
        """The id of the source (kind, locator), created on first sight."""
        with self.session() as session:
            found = session.scalar(
                select(SourceRow).where(SourceRow.kind == kind, SourceRow.locator == locator)
            )
            if found is None:
                found = SourceRow(kind=kind, locator=locator, title=title)
                session.add(found)
                try:
                    session.flush()
                except IntegrityError:  # created concurrently by another worker
                    session.rollback()
                    found = session.scalars(
                        select(SourceRow).where(SourceRow.kind == kind, SourceRow.locator == locator)
                    ).one()
            elif title and not found.title:
                found.title = title
            return found.id

    def record_source_fetch(self, source_id: int, *, error: str | None, title: str | None = None) -> None:
        with self.session() as session:
            row = session.get_one(SourceRow, source_id)
            row.last_fetched_at = utcnow()
            row.last_error = error
            if title:
                row.title = title

    def source_errors(self) -> dict[str, str]:
        """locator → last error, for sources whose last read failed."""
        with self.session() as session:
            rows = session.execute(
                select(SourceRow.locator, SourceRow.last_error).where(SourceRow.last_error.is_not(None))
            )
            return {locator: error or "" for locator, error in rows}

    def start_run(self, options: dict[str, Any]) -> int:
        with self.session() as session:
            run = RunRow(options=options, counts={}, status="running")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, counts: dict[str, Any], status: str = "finished") -> None:
        with self.session() as session:
            run = session.get_one(RunRow, run_id)
            run.counts = counts
            run.status = status
            run.finished_at = utcnow()

    def runs(self) -> list[dict[str, Any]]:
        with self.session() as session:
            return [
                {
                    "id": r.id,
                    "status": r.status,
                    "started_at": r.started_at,
                    "finished_at": r.finished_at,
                    "counts": r.counts,
                }
                for r in session.scalars(select(RunRow).order_by(RunRow.id))
            ]

    # ------------------------------------------------------------ articles
    def known_keys(self) -> KnownKeys:
        keys = KnownKeys()
        with self.session() as session:
            rows = session.execute(
                select(ArticleRow.canonical_url, ArticleRow.content_hash, ArticleRow.external_id)
            )
            for canonical_url, content_hash, external_id in rows:
                if canonical_url:
                    keys.canonical_urls.add(canonical_url)
                if content_hash:
                    keys.content_hashes.add(content_hash)
                if not canonical_url and not content_hash:
                    keys.keyless_ids.add(external_id)
        return keys

    def _find(self, session: Session, record: ArticleRecord) -> ArticleRow | None:
        conditions = []
        if record.canonical_url:
            conditions.append(ArticleRow.canonical_url == record.canonical_url)
        if record.content_hash:
            conditions.append(ArticleRow.content_hash == record.content_hash)
        if not conditions:
            conditions.append(
                (ArticleRow.external_id == record.external_id)
                & ArticleRow.canonical_url.is_(None)
                & ArticleRow.content_hash.is_(None)
            )
        return session.scalars(select(ArticleRow).where(or_(*conditions)).limit(1)).first()

    def save_result(
        self, result: ExtractionResult, record: ArticleRecord, *, replace: bool = False
    ) -> SaveOutcome:
        """Store one document and its facts in one transaction.

        An article with the same canonical URL or content hash is left untouched (``created`` is
        False) unless ``replace``, which rewrites it and its facts (their reviews are lost).
        """
        for attempt in range(2):
            try:
                with self.session() as session:
                    existing = self._find(session, record)
                    if existing is not None and not replace:
                        return SaveOutcome(existing.id, created=False)
                    if existing is not None:
                        existing.facts.clear()
                        session.flush()
                        if record.near_duplicate_of == existing.id:
                            record.near_duplicate_of = None
                    row = existing or ArticleRow()
                    _fill_article(row, result, record)
                    row.facts.extend(fact_to_row(fact, i) for i, fact in enumerate(result.facts))
                    if existing is None:
                        session.add(row)
                    session.flush()
                    return SaveOutcome(row.id, created=existing is None, replaced=existing is not None)
            except IntegrityError:
                # Another process stored the same URL/content between our lookup and insert.
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def iter_stored_results(
        self, *, status: str | None = "processed", relevant_only: bool = False, batch_size: int = 500
    ) -> Iterator[StoredResult]:
        """Every stored result in article-id order, streamed in batches."""
        last_id = 0
        while True:
            with self.session() as session:
                query = select(ArticleRow).where(ArticleRow.id > last_id)
                if status is not None:
                    query = query.where(ArticleRow.status == status)
                if relevant_only:
                    query = query.where(ArticleRow.relevant.is_(True))
                query = (
                    query.order_by(ArticleRow.id).limit(batch_size).options(selectinload(ArticleRow.facts))
                )
                rows = list(session.scalars(query))
                batch = [
                    StoredResult(
                        r.id, result_from_row(r), [f.id for f in r.facts], r.status, r.near_duplicate_of
                    )
                    for r in rows
                ]
            yield from batch
            if len(rows) < batch_size:
                return
            last_id = rows[-1].id

    def iter_results(
        self, *, status: str | None = "processed", relevant_only: bool = False
    ) -> Iterator[ExtractionResult]:
        for stored in self.iter_stored_results(status=status, relevant_only=relevant_only):
            yield stored.result

    def get_result(self, external_id: str) -> StoredResult | None:
        """The stored result whose input id is ``external_id`` (the first one if ids repeat)."""
        with self.session() as session:
            row = session.scalars(
                select(ArticleRow)
                .where(ArticleRow.external_id == external_id)
                .order_by(ArticleRow.id)
                .options(selectinload(ArticleRow.facts))
                .limit(1)
            ).first()
            if row is None:
                return None
            return StoredResult(
                row.id, result_from_row(row), [f.id for f in row.facts], row.status, row.near_duplicate_of
            )

    def iter_minhashes(self) -> Iterator[tuple[int, bytes]]:
        with self.session() as session:
            rows = session.execute(
                select(ArticleRow.id, ArticleRow.minhash).where(ArticleRow.minhash.is_not(None))
            ).all()
        for article_id, signature in rows:
            if signature is not None:
                yield article_id, signature

    def count_articles(self, status: str | None = None) -> int:
        with self.session() as session:
            query = select(func.count(ArticleRow.id))
            if status is not None:
                query = query.where(ArticleRow.status == status)
            return int(session.scalar(query) or 0)

    def count_facts(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count(FactRow.id))) or 0)

    def external_ids(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(ArticleRow.external_id).order_by(ArticleRow.id)))

    # ------------------------------------------------------------ review
    def review_fact(
        self,
        fact_id: int,
        status: str,
        *,
        reviewer: str | None = None,
        note: str | None = None,
        changes: dict[str, Any] | None = None,
    ) -> None:
        """Record a reviewer's decision; edited values go in ``review_changes``, originals stay."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"review status must be one of {REVIEW_STATUSES}, not {status!r}")
        with self.session() as session:
            row = session.get(FactRow, fact_id)
            if row is None:
                raise StoreError(f"no fact with id {fact_id}")
            row.review_status = status
            row.reviewed_by = reviewer
            row.reviewed_at = dt.datetime.now(dt.UTC)
            row.review_note = note
            row.review_changes = dict(changes or {})


def open_store(url: str | None = None) -> Store:
    """Connect to ``url`` (default ``$DM_DATABASE_URL`` or ``sqlite:///displacement.db``), migrate to head."""
    engine = make_engine(url)
    upgrade_schema(engine)
    return Store(engine)
