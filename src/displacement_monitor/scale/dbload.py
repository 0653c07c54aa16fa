"""Optional load of a batch into the store: COPY on PostgreSQL, the normal save path elsewhere.

Identity is the store's (canonical URL, content hash): a document already stored, or seen earlier
in the batch, is skipped, so a batch re-run over the same inputs adds nothing. On PostgreSQL each
shard is one transaction: article ids are reserved from the table's sequence, then the articles and
their facts are streamed with ``COPY … FROM STDIN`` (an order of magnitude faster than inserts).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from displacement_monitor.model import LOCATION_FIELDS
from displacement_monitor.scale.records import DocOutcome
from displacement_monitor.store import ArticleRecord, Store, open_store

ARTICLE_COLUMNS = (
    "id",
    "external_id",
    "source_id",
    "run_id",
    "url",
    "canonical_url",
    "content_hash",
    "title",
    "published",
    "language",
    "text",
    "status",
    "error",
    "relevant",
    "relevance_score",
    "cause",
    "hazard",
    "country_iso3",
    "near_duplicate_of",
    "minhash",
    "timings_ms",
    "hints",
    "created_at",
    "updated_at",
)
FACT_COLUMNS = (
    "article_id",
    "ordinal",
    "figure",
    "figure_min",
    "figure_max",
    "figure_text",
    "qualifier",
    "unit",
    "term",
    "modality",
    "quote",
    "quote_start",
    "quote_end",
    "country_iso3",
    "cause",
    "hazard",
    "confidence",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    *(f"location_{name}" for name in LOCATION_FIELDS),
    *(f"destination_{name}" for name in LOCATION_FIELDS),
    "review_status",
    "review_changes",
    "created_at",
)


class StoreLoader:
    """Loads committed shards (in input order) into the database at ``url``."""

    def __init__(self, url: str, *, options: dict[str, Any]) -> None:
        self.store: Store = open_store(url)
        self.use_copy = self.store.dialect == "postgresql"
        self.run_id = self.store.start_run({"command": "batch", **options})
        known = self.store.known_keys()
        self._urls = known.canonical_urls
        self._hashes = known.content_hashes
        self._keyless = known.keyless_ids
        self._sources: dict[str, int] = {}
        #: batch ordinal → database article id, to turn near-duplicate links into foreign keys.
        self._article_ids: dict[int, int] = {}
        self.loaded = 0
        self.skipped = 0

    def close(self, counts: dict[str, Any], status: str = "finished") -> None:
        try:
            self.store.finish_run(self.run_id, counts, status=status)
        finally:
            self.store.close()

    def _source_id(self, locator: str) -> int:
        if locator not in self._sources:
            kind = "warc" if ".warc" in locator.lower() else "batch"
            self._sources[locator] = self.store.ensure_source(kind, locator)
        return self._sources[locator]

    def _admit(self, outcome: DocOutcome) -> bool:
        """False for a document stored already or earlier in this batch; claims its keys otherwise."""
        url, digest = outcome.canonical_url, outcome.content_hash
        if (url and url in self._urls) or (digest and digest in self._hashes):
            return False
        if not url and not digest:  # a failure with nothing to identify it but its id
            if outcome.result.id in self._keyless:
                return False
            self._keyless.add(outcome.result.id)
            return True
        if url:
            self._urls.add(url)
        if digest:
            self._hashes.add(digest)
        return True

    def load(self, items: Sequence[tuple[int, DocOutcome, int | None]]) -> None:
        """``(ordinal, outcome, near-duplicate ordinal)`` of one shard, in order."""
        admitted = [item for item in items if self._admit(item[1])]
        self.skipped += len(items) - len(admitted)
        if not admitted:
            return
        if self.use_copy:
            self._copy(admitted)
        else:
            for ordinal, outcome, near in admitted:
                record = self._record(outcome, near)
                saved = self.store.save_result(outcome.result, record)
                if saved.created:
                    self._article_ids[ordinal] = saved.article_id
                    self.loaded += 1
                else:
                    self.skipped += 1

    def _record(self, outcome: DocOutcome, near: int | None) -> ArticleRecord:
        return ArticleRecord(
            external_id=outcome.result.id,
            url=outcome.result.url,
            canonical_url=outcome.canonical_url,
            content_hash=outcome.content_hash,
            source_id=self._source_id(outcome.input),
            run_id=self.run_id,
            minhash=outcome.minhash,
            near_duplicate_of=self._article_ids.get(near) if near is not None else None,
            hints=outcome.hints,
        )

    def _copy(self, items: Sequence[tuple[int, DocOutcome, int | None]]) -> None:
        now = dt.datetime.now(dt.UTC)
        raw = self.store.engine.raw_connection()
        try:
            connection: Any = raw.driver_connection
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, %s)",
                    (len(items),),
                )
                ids = [row[0] for row in cursor.fetchall()]
                # ids first, so a near-duplicate within the same shard links too (checked at COPY end)
                for article_id, (ordinal, _, _) in zip(ids, items, strict=True):
                    self._article_ids[ordinal] = article_id
                records = [self._record(outcome, near) for _, outcome, near in items]
                with cursor.copy(f"COPY articles ({', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as copy:
                    for article_id, (_, outcome, _), record in zip(ids, items, records, strict=True):
                        copy.write_row(_article_values(article_id, outcome, record, now))
                with cursor.copy(f"COPY facts ({', '.join(FACT_COLUMNS)}) FROM STDIN") as copy:
                    for article_id, (_, outcome, _) in zip(ids, items, strict=True):
                        for ordinal, fact in enumerate(outcome.result.facts):
                            copy.write_row(_fact_values(article_id, ordinal, fact, now))
            connection.commit()
        except BaseException:
            raw.rollback()
            for ordinal, _, _ in items:
                self._article_ids.pop(ordinal, None)
            raise
        finally:
            raw.close()
        self.loaded += len(items)


def _article_values(
    article_id: int, outcome: DocOutcome, record: ArticleRecord, now: dt.datetime
) -> list[Any]:
    result = outcome.result
    return [
        article_id,
        record.external_id,
        record.source_id,
        record.run_id,
        record.url,
        record.canonical_url,
        record.content_hash,
        result.title,
        result.published,
        result.language,
        result.text,
        "failed" if result.error else "processed",
        result.error,
        result.relevant,
        result.relevance_score,
        result.cause,
        result.hazard,
        result.country_iso3,
        record.near_duplicate_of,
        record.minhash,
        json.dumps(result.timings_ms),
        json.dumps(record.hints, default=str),
        now,
        now,
    ]


def _fact_values(article_id: int, ordinal: int, fact: Any, now: dt.datetime) -> list[Any]:
    date = fact.date

    def location(value: Any) -> list[Any]:
        return [getattr(value, name) if value else None for name in LOCATION_FIELDS]

    return [
        article_id,
        ordinal,
        fact.figure,
        fact.figure_min,
        fact.figure_max,
        fact.figure_text,
        fact.qualifier,
        fact.unit,
        fact.term,
        fact.modality,
        fact.quote,
        fact.start,
        fact.end,
        fact.country_iso3,
        fact.cause,
        fact.hazard,
        fact.confidence,
        date.start if date else None,
        date.end if date else None,
        date.precision if date else None,
        date.text if date else None,
        *location(fact.location),
        *location(fact.destination),
        "pending",
        "{}",
        now,
    ]
