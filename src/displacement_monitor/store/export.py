"""``export {articles,facts} --format {jsonl,csv}``: the store as flat files.

Article lines carry the input id as ``id``; fact lines carry their article's input ``id`` plus
their own ``fact_id``. JSON lines keep the contract's nesting (``location``, ``date``); CSV
flattens it into ``location_name``, ``date_start``… columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, Literal, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from displacement_monitor.errors import ConfigError
from displacement_monitor.model import to_dict
from displacement_monitor.store.repository import Store, fact_from_row, open_store
from displacement_monitor.store.tables import ArticleRow, FactRow

ExportKind = Literal["articles", "facts"]
ExportFormat = Literal["jsonl", "csv"]

ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "published",
    "language",
    "status",
    "error",
    "relevant",
    "relevance_score",
    "cause",
    "hazard",
    "country_iso3",
    "content_hash",
    "near_duplicate_of",
    "fact_count",
)
_FACT_SCALARS = (
    "figure",
    "figure_min",
    "figure_max",
    "figure_text",
    "qualifier",
    "unit",
    "term",
    "modality",
    "quote",
    "start",
    "end",
    "country_iso3",
    "cause",
    "hazard",
    "confidence",
)
_LOCATION_KEYS = ("name", "geonames_id", "lat", "lon", "admin1", "admin2", "country_iso3", "precision")
FACT_CSV_FIELDS = (
    "id",
    "fact_id",
    *_FACT_SCALARS,
    *(f"location_{k}" for k in _LOCATION_KEYS),
    *(f"destination_{k}" for k in _LOCATION_KEYS),
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "review_status",
    "reviewed_by",
    "review_note",
)


def _iter_articles(store: Store) -> Iterator[dict[str, Any]]:
    twin = aliased(ArticleRow)
    with store.session() as session:
        fact_count = (
            select(func.count(FactRow.id)).where(FactRow.article_id == ArticleRow.id).scalar_subquery()
        )
        query = (
            select(ArticleRow, twin.external_id, fact_count)
            .outerjoin(twin, ArticleRow.near_duplicate_of == twin.id)
            .order_by(ArticleRow.id)
            .execution_options(yield_per=1000)
        )
        for row, twin_id, n_facts in session.execute(query):
            yield {
                "id": row.external_id,
                "url": row.url,
                "canonical_url": row.canonical_url,
                "title": row.title,
                "published": row.published.isoformat() if row.published else None,
                "language": row.language,
                "status": row.status,
                "error": row.error,
                "relevant": row.relevant,
                "relevance_score": round(row.relevance_score, 3),
                "cause": row.cause,
                "hazard": row.hazard,
                "country_iso3": row.country_iso3,
                "content_hash": row.content_hash,
                "near_duplicate_of": twin_id,
                "fact_count": int(n_facts or 0),
            }


def _iter_facts(store: Store) -> Iterator[dict[str, Any]]:
    with store.session() as session:
        query = (
            select(FactRow, ArticleRow.external_id)
            .join(ArticleRow, FactRow.article_id == ArticleRow.id)
            .order_by(FactRow.article_id, FactRow.ordinal)
            .execution_options(yield_per=1000)
        )
        for row, external_id in session.execute(query):
            line: dict[str, Any] = {"id": external_id, "fact_id": row.id}
            line.update(to_dict(fact_from_row(row)))
            line["review_status"] = row.review_status
            line["reviewed_by"] = row.reviewed_by
            line["review_note"] = row.review_note
            yield line


def _flatten_fact(line: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in line.items() if k not in ("location", "destination", "date")}
    for prefix in ("location", "destination"):
        place = line.get(prefix) or {}
        for key in _LOCATION_KEYS:
            flat[f"{prefix}_{key}"] = place.get(key)
    span = line.get("date") or {}
    for key in ("start", "end", "precision", "text"):
        flat[f"date_{key}"] = span.get(key)
    return flat


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_export(store: Store, kind: ExportKind, fmt: ExportFormat, out: TextIO) -> int:
    """Write every article or fact of ``store`` to ``out``; returns the number of records."""
    if kind not in ("articles", "facts"):
        raise ConfigError(f"export kind must be 'articles' or 'facts', not {kind!r}")
    if fmt not in ("jsonl", "csv"):
        raise ConfigError(f"export format must be 'jsonl' or 'csv', not {fmt!r}")
    if kind == "articles":
        lines: Iterator[dict[str, Any]] = _iter_articles(store)
        fields: tuple[str, ...] = ARTICLE_FIELDS
    else:
        lines = _iter_facts(store)
        fields = FACT_CSV_FIELDS
    count = 0
    if fmt == "jsonl":
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, default=_json_default) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for line in lines:
        writer.writerow(_flatten_fact(line) if kind == "facts" else line)
        count += 1
    return count


def export_table(kind: ExportKind, fmt: ExportFormat, database_url: str | None, out: TextIO) -> int:
    """CLI entry point of ``export``: open the store at ``database_url`` and write to ``out``."""
    store = open_store(database_url)
    try:
        return write_export(store, kind, fmt, out)
    finally:
        store.close()
