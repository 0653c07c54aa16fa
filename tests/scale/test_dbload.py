"""Loading batch outcomes into the store: COPY on PostgreSQL, the save path on SQLite, same rows."""

from __future__ import annotations

import datetime as dt

from displacement_monitor.ingest.dedup import signature_of
from displacement_monitor.model import DateSpan, ExtractionResult, Fact, Location
from displacement_monitor.scale.dbload import StoreLoader
from displacement_monitor.scale.records import DocOutcome
from displacement_monitor.store import open_store

STORY = (
    "Floodwater covered most of the river valley on Tuesday and the district office said that "
    "about 4,000 people had been moved to schools on higher ground while engineers checked the "
    "embankments along both banks of the river before more rain expected later in the week."
)


def _outcome(doc_id: str, text: str, *, url: str | None = None, figure: int | None = 4000) -> DocOutcome:
    facts = []
    if figure is not None:
        facts.append(
            Fact(
                figure=figure,
                figure_min=None,
                figure_max=None,
                qualifier="approximately",
                unit="person",
                term="evacuated",
                modality="reported",
                quote=text[:60],
                start=0,
                end=60,
                location=Location(name="Valley", country_iso3="BGD", lat=24.9, lon=91.9, start=5, end=11),
                country_iso3="BGD",
                date=DateSpan(dt.date(2024, 3, 12), dt.date(2024, 3, 12), "day", "on Tuesday"),
                cause="disaster",
                hazard="flood",
                confidence=0.8,
                figure_text="4,000",
            )
        )
    result = ExtractionResult(
        id=doc_id,
        language="en",
        relevant=figure is not None,
        relevance_score=0.9,
        cause="disaster",
        hazard="flood",
        country_iso3="BGD",
        published=dt.date(2024, 3, 13),
        title="Valley floods",
        url=url,
        facts=facts,
        text=text,
    )
    return DocOutcome(
        result,
        input="/data/news.jsonl",
        content_hash=f"hash-{doc_id}",
        canonical_url=url,
        minhash=signature_of(text),
        hints={"path": "/data/news.jsonl"},
    )


def test_dbload_stores_articles_facts_and_near_duplicate_links(store_url: str) -> None:
    loader = StoreLoader(store_url, options={"engine": "serial"})
    source = _outcome("a", STORY, url="https://news.example/a")
    copy = _outcome("b", STORY + " Wire copy.", url="https://wire.example/b")
    failed = DocOutcome(ExtractionResult(id="bad", error="[DM100] line 3 is not valid JSON"), input="x")
    loader.load([(0, source, None), (1, copy, 0)])
    loader.load([(2, failed, None)])
    loader.close({"documents": 3})
    assert (loader.loaded, loader.skipped) == (3, 0)

    store = open_store(store_url)
    try:
        stored = {s.result.id: s for s in store.iter_stored_results(status=None)}
        assert set(stored) == {"a", "b", "bad"}
        assert stored["b"].near_duplicate_of == stored["a"].article_id
        assert stored["bad"].status == "failed"
        fact = stored["a"].result.facts[0]
        assert (fact.figure, fact.term, fact.location and fact.location.name) == (4000, "evacuated", "Valley")
        assert fact.date is not None and fact.date.start == dt.date(2024, 3, 12)
        assert store.count_facts() == 2
        assert list(store.iter_minhashes())  # signatures kept for later ingest runs
    finally:
        store.close()


def test_dbload_second_run_skips_what_is_stored(store_url: str) -> None:
    first = StoreLoader(store_url, options={})
    first.load([(0, _outcome("a", STORY, url="https://news.example/a"), None)])
    first.close({})
    again = StoreLoader(store_url, options={})
    again.load(
        [
            (0, _outcome("a", STORY, url="https://news.example/a"), None),
            (1, _outcome("c", STORY + " Other.", url="https://news.example/c"), None),
        ]
    )
    again.close({})
    assert (again.loaded, again.skipped) == (1, 1)
    store = open_store(store_url)
    try:
        assert store.count_articles() == 2
    finally:
        store.close()
