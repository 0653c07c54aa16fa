"""The ingest batch: idempotent, deduplicating, failure-tolerant, resumable after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from displacement_monitor.ingest.runner import IngestSources, format_summary, run_ingest
from displacement_monitor.store import open_store

from .helpers import cleaning_processor, story

HERE = Path(__file__).resolve().parent


def _write_jsonl(path: Path, count: int, *, start: int = 0, extra: list[dict] | None = None) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            line = {"id": f"doc-{n}", "text": story(n), "url": f"https://news.example.org/a/{n}"}
            out.write(json.dumps(line) + "\n")
        for line in extra or []:
            out.write(json.dumps(line) + "\n")
    return path


def _ingest(path: Path, db_url: str, **kw: object):
    return run_ingest(
        IngestSources(input=path),
        database_url=db_url,
        pipeline_factory=cleaning_processor,
        **kw,  # type: ignore[arg-type]
    )


def test_runner_ingest_is_idempotent(db_url: str, tmp_path: Path) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", 5)
    first = _ingest(docs, db_url)
    assert (first.seen, first.processed, first.failed, first.facts) == (5, 5, 0, 5)
    again = _ingest(docs, db_url)
    assert (again.seen, again.skipped, again.processed) == (5, 5, 0)
    store = open_store(db_url)
    assert store.count_articles() == 5 and store.count_facts() == 5
    stored = store.get_result("doc-3")
    assert stored is not None and stored.result.facts[0].figure == 1003
    assert stored.result.text and "1003 people were displaced" in stored.result.text
    store.close()
    assert "5 processed" in format_summary(first)


def test_runner_reprocess_rewrites_without_duplicating(db_url: str, tmp_path: Path) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", 3)
    _ingest(docs, db_url)
    summary = _ingest(docs, db_url, reprocess=True)
    assert summary.processed == 3 and summary.skipped == 0
    store = open_store(db_url)
    assert store.count_articles() == 3 and store.count_facts() == 3
    store.close()


def test_runner_same_url_or_content_is_one_article(db_url: str, tmp_path: Path) -> None:
    docs = _write_jsonl(
        tmp_path / "docs.jsonl",
        2,
        extra=[
            # same content, other id and URL
            {"id": "copy", "text": story(0), "url": "https://mirror.example.net/x"},
            # same URL (tracking parameter and fragment differ), other content
            {"id": "same-url", "text": story(99), "url": "https://NEWS.example.org/a/1?utm_source=x#top"},
        ],
    )
    summary = _ingest(docs, db_url)
    assert (summary.seen, summary.processed, summary.skipped) == (4, 2, 2)
    store = open_store(db_url)
    assert store.external_ids() == ["doc-0", "doc-1"]
    store.close()


def test_runner_links_near_duplicates(db_url: str, tmp_path: Path) -> None:
    edited = story(7) + "\n\nReporting by the wire desk."
    docs = _write_jsonl(
        tmp_path / "docs.jsonl",
        1,
        start=7,
        extra=[{"id": "wire-copy", "text": edited, "url": "https://b.example/7"}],
    )
    summary = _ingest(docs, db_url)
    assert summary.processed == 2 and summary.near_duplicates == 1
    store = open_store(db_url)
    original, copy = store.get_result("doc-7"), store.get_result("wire-copy")
    assert original is not None and copy is not None
    assert copy.near_duplicate_of == original.article_id and original.near_duplicate_of is None
    store.close()


def test_runner_records_bad_inputs_and_goes_on(db_url: str, tmp_path: Path) -> None:
    docs = tmp_path / "mixed.jsonl"
    docs.write_text(
        json.dumps({"id": "good", "text": story(1)})
        + "\n{not json\n"
        + json.dumps({"id": "empty", "text": "   "})
        + "\n"
        + json.dumps({"id": "tiny", "text": "."})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "folder" / "page.html").write_text("<html><body><p>" + story(2) + "</p>", encoding="utf-8")
    summary = run_ingest(
        IngestSources(paths=[str(tmp_path / "folder")], input=docs),
        database_url=db_url,
        pipeline_factory=cleaning_processor,
    )
    assert summary.seen == 6 and summary.processed + summary.failed == 6
    assert summary.processed >= 2
    store = open_store(db_url)
    errors = {r.id: r.error for r in store.iter_results(status="failed")}
    assert errors["binary"] and "DM102" in errors["binary"]
    assert "mixed:2" in errors and "not valid JSON" in errors["mixed:2"]
    assert "DM101" in errors["empty"]
    # failed documents are not retried on a re-run
    again = run_ingest(
        IngestSources(paths=[str(tmp_path / "folder")], input=docs),
        database_url=db_url,
        pipeline_factory=cleaning_processor,
    )
    assert again.skipped == 6 and store.count_articles() == 6
    store.close()


def test_runner_two_workers_match_one(tmp_path: Path) -> None:
    docs = _write_jsonl(tmp_path / "docs.jsonl", 24)
    one = _ingest(docs, f"sqlite:///{tmp_path / 'one.db'}")
    two = _ingest(docs, f"sqlite:///{tmp_path / 'two.db'}", workers=2)
    assert one.processed == two.processed == 24
    results = []
    for name in ("one", "two"):
        store = open_store(f"sqlite:///{tmp_path / name}.db")
        results.append(sorted((r.id, r.facts[0].figure) for r in store.iter_results()))
        store.close()
    assert results[0] == results[1]


def _start_ingest(docs: Path, db_url: str, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "crash_driver.py"), str(docs), db_url, str(workers)],
        env={**os.environ, "PYTHONPATH": str(HERE.parents[1])},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_articles(db_url: str, minimum: int, timeout: float = 60) -> int:
    store = open_store(db_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            count = store.count_articles()
            if count >= minimum:
                return count
            time.sleep(0.05)
    finally:
        store.close()
    raise AssertionError(f"fewer than {minimum} articles after {timeout}s")


@pytest.mark.slow
def test_runner_resumes_after_sigkill(db_url: str, tmp_path: Path) -> None:
    total = 300
    docs = _write_jsonl(tmp_path / "docs.jsonl", total)
    process = _start_ingest(docs, db_url, workers=2)
    _wait_for_articles(db_url, 60)
    workers = psutil.Process(process.pid).children()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "workers must not outlive a killed ingest"
    store = open_store(db_url)
    partial = store.count_articles()
    assert 60 <= partial < total, "the kill must land mid-run"
    store.close()
    rerun = _start_ingest(docs, db_url, workers=2)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["skipped"] == partial and summary["processed"] == total - partial
    store = open_store(db_url)
    ids = store.external_ids()
    assert len(ids) == len(set(ids)) == total and store.count_facts() == total
    store.close()


@pytest.mark.slow
def test_runner_survives_a_killed_worker(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'w.db'}"
    docs = _write_jsonl(tmp_path / "docs.jsonl", 200)
    process = _start_ingest(docs, db_url, workers=2)
    _wait_for_articles(db_url, 30)
    children = [
        child
        for child in psutil.Process(process.pid).children()
        if not any(helper in " ".join(child.cmdline()) for helper in ("resource_tracker", "forkserver"))
    ]
    assert children, "workers must be running"
    os.kill(children[0].pid, signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["processed"] == 200 and summary["retried"] >= 1
    store = open_store(db_url)
    ids = store.external_ids()
    assert len(ids) == len(set(ids)) == 200
    store.close()


def test_runner_real_pipeline_end_to_end(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps(
            {
                "id": "flood-1",
                "published": "2020-05-04",
                "text": "Floods in northern Examplestan forced 2,500 people to flee their homes on Saturday, "
                "officials said. Rescue teams evacuated hundreds of families from the riverbanks.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    db_url = f"sqlite:///{tmp_path / 'real.db'}"
    summary = run_ingest(IngestSources(input=docs), database_url=db_url)
    assert summary.processed + summary.failed == 1
    store = open_store(db_url)
    stored = store.get_result("flood-1")
    assert stored is not None and stored.status == "processed", stored
    assert any(f.figure == 2500 for f in stored.result.facts)
    store.close()
