"""The store round-trips ExtractionResults exactly, once per URL or content, on both backends."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from displacement_monitor.model import DateSpan, ExtractionResult, Fact, Location
from displacement_monitor.store import ArticleRecord, open_store
from displacement_monitor.store.export import export_table


def _fact(figure: int = 2500, term: str = "evacuated") -> Fact:
    return Fact(
        figure=figure,
        figure_min=figure,
        figure_max=figure,
        qualifier="exact",
        unit="person",
        term=term,  # type: ignore[arg-type]
        modality="expected",
        quote=f"{figure:,} residents will leave the district",
        start=10,
        end=50,
        location=Location(
            name="Riverside",
            lat=12.5,
            lon=-3.25,
            admin1="North",
            country_iso3="ABC",
            precision="city",
            confidence=0.8,
            start=60,
            end=69,
        ),
        destination=Location(name="the hills", country_iso3="ABC", precision="region"),
        country_iso3="ABC",
        date=DateSpan(dt.date(2020, 5, 2), dt.date(2020, 5, 2), "day", "on Saturday"),
        cause="disaster",
        hazard="flood",
        confidence=0.9,
        figure_text=f"{figure:,}",
    )


def _result(doc_id: str = "doc-1", facts: list[Fact] | None = None) -> ExtractionResult:
    return ExtractionResult(
        id=doc_id,
        language="en",
        relevant=True,
        relevance_score=0.87,
        cause="disaster",
        hazard="flood",
        country_iso3="ABC",
        published=dt.date(2020, 5, 4),
        title="Floods force residents out",
        url=f"https://news.example.org/{doc_id}",
        facts=[_fact(), _fact(300, "displaced")] if facts is None else facts,
        text="Cleaned text of the article.",
        timings_ms={"clean": 1.5, "analyse": 20.0},
    )


def _record(doc_id: str = "doc-1", **kw: object) -> ArticleRecord:
    defaults: dict[str, object] = {
        "url": f"https://news.example.org/{doc_id}",
        "canonical_url": f"https://news.example.org/{doc_id}",
        "content_hash": f"hash-{doc_id}",
    }
    defaults.update(kw)
    return ArticleRecord(external_id=doc_id, **defaults)  # type: ignore[arg-type]


def test_repository_round_trips_every_fact_field(db_url: str) -> None:
    store = open_store(db_url)
    original = _result()
    outcome = store.save_result(original, _record())
    assert outcome.created
    stored = list(store.iter_stored_results())
    assert len(stored) == 1
    assert stored[0].result == original
    assert stored[0].article_id == outcome.article_id
    assert len(stored[0].fact_ids) == 2 and len(set(stored[0].fact_ids)) == 2
    assert list(store.iter_results()) == [original]
    store.close()


def test_repository_same_url_or_content_is_one_article(db_url: str) -> None:
    store = open_store(db_url)
    first = store.save_result(_result(), _record())
    same_url = store.save_result(_result(), _record(content_hash="other"))
    same_content = store.save_result(_result("doc-2"), _record("doc-2", content_hash="hash-doc-1"))
    assert not same_url.created and not same_content.created
    assert same_url.article_id == same_content.article_id == first.article_id
    assert store.count_articles() == 1 and store.count_facts() == 2
    store.close()


def test_repository_replace_rewrites_facts(db_url: str) -> None:
    store = open_store(db_url)
    store.save_result(_result(), _record())
    outcome = store.save_result(_result(facts=[_fact(7)]), _record(), replace=True)
    assert outcome.replaced and not outcome.created
    assert store.count_facts() == 1
    stored = store.get_result("doc-1")
    assert stored is not None and stored.result.facts[0].figure == 7
    store.close()


def test_repository_failed_document_is_recorded(db_url: str) -> None:
    store = open_store(db_url)
    failed = ExtractionResult(id="broken", error="[DM101] document is empty")
    store.save_result(failed, ArticleRecord(external_id="broken"))
    store.save_result(failed, ArticleRecord(external_id="broken"))
    assert store.count_articles(status="failed") == 1
    assert store.known_keys().keyless_ids == {"broken"}
    assert list(store.iter_results()) == []
    assert [r.error for r in store.iter_results(status="failed")] == ["[DM101] document is empty"]
    store.close()


def test_repository_open_twice_is_idempotent(db_url: str) -> None:
    open_store(db_url).close()
    store = open_store(db_url)
    assert store.count_articles() == 0
    store.close()


def test_repository_review_keeps_original_values(db_url: str) -> None:
    store = open_store(db_url)
    store.save_result(_result(), _record())
    stored = store.get_result("doc-1")
    assert stored is not None
    store.review_fact(stored.fact_ids[0], "edited", reviewer="analyst", changes={"figure": 2400})
    with pytest.raises(ValueError):
        store.review_fact(stored.fact_ids[0], "maybe")
    out = io.StringIO()
    export_table("facts", "jsonl", db_url, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["review_status"] == "edited" and lines[0]["figure"] == 2500
    store.close()


def test_repository_iter_results_streams_in_batches(db_url: str) -> None:
    store = open_store(db_url)
    for i in range(7):
        store.save_result(_result(f"d{i}", facts=[_fact(i + 1)]), _record(f"d{i}"))
    stored = list(store.iter_stored_results(batch_size=3))
    assert [s.result.id for s in stored] == [f"d{i}" for i in range(7)]
    assert [s.result.facts[0].figure for s in stored] == list(range(1, 8))
    store.close()
