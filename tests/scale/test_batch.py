"""The batch runner end to end on a small written corpus: engines agree, bad inputs are recorded."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from displacement_monitor.errors import InputError
from displacement_monitor.scale import BatchSummary, run_batch
from displacement_monitor.store import open_store

from .conftest import PG_SERVER
from .corpus import write_corpus

SHARD_SIZE = 8  # several shards, so copies and their sources land in different ones


def _rows(folder: Path, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    table = pq.read_table(folder)
    rows = [{k: v for k, v in row.items() if k not in drop} for row in table.to_pylist()]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def batch_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL (COPY load) when reachable, else SQLite (the store's save path)."""
    engine = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    schema = f"batch_{uuid.uuid4().hex[:10]}"
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'batch.db'}"
    finally:
        engine.dispose()
    return f"{PG_SERVER}/test?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="module")
def runs(
    inputs: list[str], batch_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[Path, BatchSummary]]]:
    """The same corpus through the three engines (the costly part, done once for the module)."""
    out: dict[str, tuple[Path, BatchSummary]] = {}
    for name, engine, workers in (("serial", "serial", 1), ("local", "local", 2), ("dask", "dask", 2)):
        folder = tmp_path_factory.mktemp(name)
        summary = run_batch(
            inputs,
            folder,
            engine=engine,
            workers=workers,
            shard_size=SHARD_SIZE,
            progress=False,
            database_url=batch_db if name == "serial" else None,
        )
        out[name] = (folder, summary)
    yield out
    if batch_db.startswith("postgresql"):
        engine = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            schema = batch_db.rsplit("%3D", 1)[1]
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_batch_facts_identical_across_engines_and_worker_counts(runs) -> None:
    serial_facts = _rows(runs["serial"][0] / "facts")
    assert len(serial_facts) >= 15
    for name in ("local", "dask"):
        assert _rows(runs[name][0] / "facts") == serial_facts, name


def test_batch_articles_and_events_identical_across_engines(runs) -> None:
    serial_articles = _rows(runs["serial"][0] / "articles")
    serial_events = (runs["serial"][0] / "events.jsonl").read_text(encoding="utf-8")
    assert serial_events.strip()
    for name in ("local", "dask"):
        assert _rows(runs[name][0] / "articles") == serial_articles, name
        assert (runs[name][0] / "events.jsonl").read_text(encoding="utf-8") == serial_events, name


def test_batch_files_named_the_same_whatever_the_engine(runs) -> None:
    def names(folder: Path) -> list[str]:
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.parquet"))

    assert names(runs["local"][0]) == names(runs["serial"][0]) == names(runs["dask"][0])


def test_batch_partitions_by_publication_month_and_country(runs) -> None:
    folder = runs["serial"][0]
    assert (folder / "facts" / "month=2024-03" / "country=BGD" / "part-00000.parquet").is_file()
    assert (folder / "articles" / "month=unknown" / "country=unknown").is_dir()
    facts = pq.read_table(folder / "facts").to_pylist()
    for fact in facts:
        expected = fact["published"].strftime("%Y-%m") if fact["published"] else "unknown"
        assert fact["month"] == expected


def test_batch_bad_documents_recorded_as_failed_rows(runs) -> None:
    folder, summary = runs["serial"]
    articles = {r["id"]: r for r in pq.read_table(folder / "articles").to_pylist()}
    failed = {i: r for i, r in articles.items() if r["status"] == "failed"}
    assert set(failed) == {"news:4", "no-text", "news:15", "empty-row", "missing"}
    assert all(r["error"].startswith("[DM") for r in failed.values())
    assert summary.failed == 5 and summary.processed == summary.documents - 5


def test_batch_links_near_duplicates_across_shards(runs) -> None:
    articles = {r["id"]: r for r in pq.read_table(runs["serial"][0] / "articles").to_pylist()}
    copy, source = articles["en-flood-1-wire"], articles["en-flood-1"]
    assert copy["near_duplicate_of"] == "en-flood-1"
    assert source["near_duplicate_of"] is None
    assert copy["input"] != source["input"]  # JSONL vs Parquet: different shards and files


def test_batch_refuses_to_overwrite_without_being_asked(inputs: list[str], runs) -> None:
    with pytest.raises(InputError):
        run_batch(inputs, runs["serial"][0], engine="serial", progress=False)


def test_batch_loads_the_same_articles_and_facts_into_the_store(runs, batch_db: str) -> None:
    summary = runs["serial"][1]
    # the off-topic stories appear twice with the same text: one article each, like ingest
    assert (summary.db_loaded, summary.db_skipped) == (summary.documents - 4, 4)
    store = open_store(batch_db)
    try:
        stored = {s.result.id: s for s in store.iter_stored_results(status=None)}
        assert store.count_facts() == summary.facts
        assert len(stored) == summary.db_loaded
        copy = stored["en-flood-1-wire"]
        assert copy.near_duplicate_of == stored["en-flood-1"].article_id
        assert stored["no-text"].status == "failed"
    finally:
        store.close()
