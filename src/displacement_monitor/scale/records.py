"""Extraction results ↔ the flat rows of the ``articles`` and ``facts`` Parquet datasets.

The columns follow the store's tables (a fact's location and destination flattened into
``location_*`` / ``destination_*`` columns), so a dataset can be bulk-loaded or queried the same way
as the database. Partition keys (publication month, country) are the dataset's folders, not columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from displacement_monitor.model import LOCATION_FIELDS, DateSpan, ExtractionResult, Fact, Location

UNKNOWN = "unknown"
_ISO3 = re.compile(r"^[A-Z]{3}$")
_LOCATION_TYPES: dict[str, pa.DataType] = {
    "name": pa.string(),
    "geonames_id": pa.int64(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "admin1": pa.string(),
    "admin2": pa.string(),
    "country_iso3": pa.string(),
    "precision": pa.string(),
    "confidence": pa.float64(),
    "start": pa.int64(),
    "end": pa.int64(),
}

ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        #: Position in the input order of the batch (shard by shard, line by line).
        ("ordinal", pa.int64()),
        ("input", pa.string()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("language", pa.string()),
        ("relevant", pa.bool_()),
        ("relevance_score", pa.float64()),
        ("cause", pa.string()),
        ("hazard", pa.string()),
        ("country_iso3", pa.string()),
        ("fact_count", pa.int32()),
        #: Id of the earliest article of the batch whose text is near-identical (MinHash LSH).
        ("near_duplicate_of", pa.string()),
        ("content_hash", pa.string()),
        ("minhash", pa.binary()),
        ("text", pa.string()),
    ]
)

FACT_SCHEMA = pa.schema(
    [
        ("fact_id", pa.string()),
        ("article_id", pa.string()),
        ("ordinal", pa.int32()),
        ("published", pa.date32()),
        ("figure", pa.int64()),
        ("figure_min", pa.int64()),
        ("figure_max", pa.int64()),
        ("figure_text", pa.string()),
        ("qualifier", pa.string()),
        ("unit", pa.string()),
        ("term", pa.string()),
        ("modality", pa.string()),
        ("quote", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("country_iso3", pa.string()),
        ("cause", pa.string()),
        ("hazard", pa.string()),
        ("confidence", pa.float64()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("date_text", pa.string()),
        *((f"location_{name}", kind) for name, kind in _LOCATION_TYPES.items()),
        *((f"destination_{name}", kind) for name, kind in _LOCATION_TYPES.items()),
        ("total_of", pa.list_(pa.string())),
    ]
)

#: Article columns needed to rebuild results for event clustering (no text, no signature).
RESULT_COLUMNS = (
    "id",
    "ordinal",
    "url",
    "title",
    "published",
    "language",
    "relevant",
    "relevance_score",
    "cause",
    "hazard",
    "country_iso3",
    "fact_count",
)


@dataclass(slots=True)
class DocOutcome:
    """What a worker sends back for one document: the result and its dedup/identity keys."""

    result: ExtractionResult
    input: str
    content_hash: str | None = None
    canonical_url: str | None = None
    minhash: bytes | None = None
    hints: dict[str, Any] = field(default_factory=dict)


def month_of(published: dt.date | None) -> str:
    return f"{published.year:04d}-{published.month:02d}" if published else UNKNOWN


def country_key(iso3: str | None) -> str:
    """A safe folder name: the ISO3 code when it is one, else ``unknown``."""
    return iso3 if iso3 and _ISO3.match(iso3) else UNKNOWN


def fact_ids_of(result: ExtractionResult) -> list[str]:
    """``<article id>#<index>``: the ids events refer to (same as events' in-memory default)."""
    return [f"{result.id}#{i}" for i in range(len(result.facts))]


def article_row(outcome: DocOutcome, ordinal: int, near_duplicate_of: str | None) -> dict[str, Any]:
    result = outcome.result
    return {
        "id": result.id,
        "ordinal": ordinal,
        "input": outcome.input,
        "status": "failed" if result.error else "processed",
        "error": result.error,
        "url": result.url,
        "title": result.title,
        "published": result.published,
        "language": result.language,
        "relevant": result.relevant,
        "relevance_score": result.relevance_score,
        "cause": result.cause,
        "hazard": result.hazard,
        "country_iso3": result.country_iso3,
        "fact_count": len(result.facts),
        "near_duplicate_of": near_duplicate_of,
        "content_hash": outcome.content_hash,
        "minhash": outcome.minhash,
        "text": result.text,
    }


def _location_columns(prefix: str, location: Location | None) -> dict[str, Any]:
    return {f"{prefix}_{name}": getattr(location, name) if location else None for name in LOCATION_FIELDS}


def fact_rows(result: ExtractionResult) -> Iterator[dict[str, Any]]:
    for ordinal, (fact_id, fact) in enumerate(zip(fact_ids_of(result), result.facts, strict=True)):
        date = fact.date
        yield {
            "fact_id": fact_id,
            "article_id": result.id,
            "ordinal": ordinal,
            "published": result.published,
            "figure": fact.figure,
            "figure_min": fact.figure_min,
            "figure_max": fact.figure_max,
            "figure_text": fact.figure_text,
            "qualifier": fact.qualifier,
            "unit": fact.unit,
            "term": fact.term,
            "modality": fact.modality,
            "quote": fact.quote,
            "start": fact.start,
            "end": fact.end,
            "country_iso3": fact.country_iso3,
            "cause": fact.cause,
            "hazard": fact.hazard,
            "confidence": fact.confidence,
            "date_start": date.start if date else None,
            "date_end": date.end if date else None,
            "date_precision": date.precision if date else None,
            "date_text": date.text if date else None,
            **_location_columns("location", fact.location),
            **_location_columns("destination", fact.destination),
            "total_of": fact.total_of,
        }


def fact_partition(row: Mapping[str, Any], article_country: str | None) -> tuple[str, str]:
    return month_of(row["published"]), country_key(row["country_iso3"] or article_country)


# ---------------------------------------------------------------- rows → results (for events)
def _location_from(prefix: str, row: Mapping[str, Any]) -> Location | None:
    values: dict[str, Any] = {name: row.get(f"{prefix}_{name}") for name in LOCATION_FIELDS}
    return None if values["name"] is None else Location(**values)


def fact_from_row(row: Mapping[str, Any]) -> Fact:
    has_date = any(row.get(k) is not None for k in ("date_start", "date_end", "date_precision", "date_text"))
    return Fact(
        figure=row["figure"],
        figure_min=row["figure_min"],
        figure_max=row["figure_max"],
        qualifier=row["qualifier"],
        unit=row["unit"],
        term=row["term"],
        modality=row["modality"],
        quote=row["quote"],
        start=row["start"],
        end=row["end"],
        location=_location_from("location", row),
        destination=_location_from("destination", row),
        country_iso3=row["country_iso3"],
        date=DateSpan(row["date_start"], row["date_end"], row["date_precision"], row["date_text"])
        if has_date
        else None,
        cause=row["cause"],
        hazard=row["hazard"],
        confidence=row["confidence"],
        figure_text=row["figure_text"],
        total_of=row["total_of"],
    )


def results_from_rows(
    articles: Iterable[Mapping[str, Any]], facts: Iterable[Mapping[str, Any]]
) -> list[ExtractionResult]:
    """ExtractionResults (in article ordinal order) from article rows and their fact rows."""
    by_article: dict[str, list[Mapping[str, Any]]] = {}
    for row in facts:
        by_article.setdefault(row["article_id"], []).append(row)
    results = []
    for row in sorted(articles, key=lambda r: r["ordinal"]):
        rows = sorted(by_article.get(row["id"], []), key=lambda r: r["ordinal"])
        results.append(
            ExtractionResult(
                id=row["id"],
                language=row["language"],
                relevant=row["relevant"],
                relevance_score=row["relevance_score"],
                cause=row["cause"],
                hazard=row["hazard"],
                country_iso3=row["country_iso3"],
                published=row["published"],
                title=row["title"],
                url=row["url"],
                facts=[fact_from_row(r) for r in rows],
            )
        )
    return results
