"""Results survive the trip through the flat Parquet rows unchanged (events are built from them)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from displacement_monitor.model import DateSpan, ExtractionResult, Fact, Location
from displacement_monitor.scale.records import (
    ARTICLE_SCHEMA,
    FACT_SCHEMA,
    DocOutcome,
    article_row,
    country_key,
    fact_rows,
    month_of,
    results_from_rows,
)


def _result() -> ExtractionResult:
    facts = [
        Fact(
            figure=None,
            figure_min=200,
            figure_max=300,
            qualifier="range",
            unit="household",
            term="destroyed_housing",
            modality="reported",
            quote="between 200 and 300 homes were destroyed",
            start=10,
            end=50,
            location=Location("Harbour Town", 123, 1.5, 2.5, "Coast", None, "MOZ", "city", 0.9, 60, 72),
            destination=Location("Hill Camp"),
            country_iso3="MOZ",
            date=DateSpan(dt.date(2024, 4, 14), dt.date(2024, 4, 14), "day", "on Sunday"),
            cause="disaster",
            hazard="storm",
            confidence=0.75,
            figure_text="between 200 and 300",
            total_of=["200", "100"],
        ),
        Fact(None, None, None, "vague", "person", "displaced", "expected", "thousands may flee", 0, 18),
    ]
    return ExtractionResult(
        id="story-1",
        language="en",
        relevant=True,
        relevance_score=0.8,
        cause="disaster",
        hazard="storm",
        country_iso3="MOZ",
        published=dt.date(2024, 4, 15),
        title="Cyclone",
        url="https://news.example/cyclone",
        facts=facts,
        text="x" * 80,
    )


def test_records_round_trip_through_arrow_keeps_every_fact_field() -> None:
    result = _result()
    articles = pa.Table.from_pylist(
        [article_row(DocOutcome(result, input="in.jsonl"), 0, None)], schema=ARTICLE_SCHEMA
    )
    facts = pa.Table.from_pylist(list(fact_rows(result)), schema=FACT_SCHEMA)

    (back,) = results_from_rows(articles.to_pylist(), facts.to_pylist())

    assert back.facts == result.facts
    assert (back.id, back.published, back.country_iso3, back.title, back.url) == (
        "story-1",
        dt.date(2024, 4, 15),
        "MOZ",
        "Cyclone",
        "https://news.example/cyclone",
    )


def test_records_partition_keys_are_safe_folder_names() -> None:
    assert month_of(dt.date(2024, 4, 15)) == "2024-04"
    assert month_of(None) == "unknown"
    assert country_key("MOZ") == "MOZ"
    assert country_key("../etc") == country_key(None) == country_key("moz") == "unknown"
