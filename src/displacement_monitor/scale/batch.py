"""The ``batch`` command: many inputs → Parquet datasets (+ events, + optional database load).

Shards go to the engine's workers; their outputs are committed here strictly in input order,
through a window of a few shards per worker. That order is what makes the output identical for any
engine and worker count (near-duplicate links point to the earliest copy in input order, files are
cut at the same rows), and the window is what bounds memory: at most ``window`` shard outputs
exist at once, and the Parquet writers flush their buffers at a fixed row count.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from displacement_monitor.errors import ConfigError, InputError
from displacement_monitor.events import cluster_results, write_events
from displacement_monitor.events.export import fact_quotes
from displacement_monitor.ingest.dedup import NearDuplicateIndex
from displacement_monitor.model import ExtractionResult
from displacement_monitor.scale.dbload import StoreLoader
from displacement_monitor.scale.engines import ShardFuture, open_engine
from displacement_monitor.scale.records import (
    ARTICLE_SCHEMA,
    FACT_SCHEMA,
    RESULT_COLUMNS,
    DocOutcome,
    article_row,
    country_key,
    fact_partition,
    fact_rows,
    month_of,
    results_from_rows,
)
from displacement_monitor.scale.shards import DEFAULT_SHARD_SIZE, Shard, plan_shards
from displacement_monitor.scale.work import NEAR_DUPLICATE_SCOPES, ShardOutput
from displacement_monitor.scale.writer import PartitionedWriter

log = logging.getLogger(__name__)

ARTICLES_DIR = "articles"
FACTS_DIR = "facts"
EVENTS_FILE = "events.jsonl"
SUMMARY_FILE = "batch.json"
#: Shard outputs in flight per worker: enough to keep workers busy while the parent commits.
WINDOW_PER_WORKER = 2


@dataclass(slots=True)
class BatchSummary:
    output: str
    engine: str
    workers: int
    shards: int = 0
    documents: int = 0
    processed: int = 0
    failed: int = 0
    relevant: int = 0
    facts: int = 0
    near_duplicates: int = 0
    events: int = 0
    article_files: int = 0
    fact_files: int = 0
    db_loaded: int | None = None
    db_skipped: int | None = None
    #: Engine start-up (workers spawned, models and gazetteer loaded), seconds.
    startup_s: float = 0.0
    #: From the first shard submitted to the last one committed, seconds.
    processing_s: float = 0.0
    elapsed_s: float = 0.0
    #: Time the coordinating process spent committing outputs (dedup, Parquet, database), seconds.
    commit_s: float = 0.0
    #: CPU seconds the workers spent on shards (start-up excluded), summed over workers.
    worker_cpu_s: float = 0.0
    #: Worker process id → its peak resident memory (MiB) as the worker measured it.
    worker_peak_rss_mb: dict[int, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Documents per second of processing (start-up excluded)."""
        return self.documents / self.processing_s if self.processing_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["articles_per_second"] = round(self.rate, 2)
        out["articles_per_worker_cpu_second"] = (
            round(self.documents / self.worker_cpu_s, 2) if self.worker_cpu_s > 0 else None
        )
        return out


def format_batch_summary(summary: BatchSummary) -> str:
    """The lines the CLI prints after a batch."""
    line = (
        f"{summary.documents} documents in {summary.shards} shards: {summary.processed} processed, "
        f"{summary.failed} failed, {summary.relevant} relevant, {summary.facts} facts, "
        f"{summary.near_duplicates} near-duplicates, {summary.events} events; "
        f"{summary.rate:.1f} doc/s on {summary.engine} x{summary.workers} "
        f"(start-up {summary.startup_s:.1f}s, total {summary.elapsed_s:.1f}s) → {summary.output}"
    )
    if summary.db_loaded is not None:
        line += f"\ndatabase: {summary.db_loaded} articles loaded, {summary.db_skipped} already stored"
    return line


class _Committer:
    """Parent side: near-duplicate links, Parquet rows, database load, counts — in input order."""

    def __init__(self, output: Path, summary: BatchSummary, loader: StoreLoader | None) -> None:
        self.articles = PartitionedWriter(output / ARTICLES_DIR, ARTICLE_SCHEMA)
        self.facts = PartitionedWriter(output / FACTS_DIR, FACT_SCHEMA)
        self.summary = summary
        self.loader = loader
        self.near = NearDuplicateIndex()
        self._ids_with_signature: dict[int, str] = {}
        self._ordinal = 0

    def commit(self, output: ShardOutput) -> None:
        loads: list[tuple[int, DocOutcome, int | None]] = []
        for outcome in output.outcomes:
            ordinal = self._ordinal
            self._ordinal += 1
            near = self._link(ordinal, outcome)
            self._write(ordinal, outcome, near)
            loads.append((ordinal, outcome, near))
        if self.loader is not None:
            self.loader.load(loads)
        self.summary.worker_cpu_s += output.cpu_s
        if output.worker_pid is not None and output.worker_rss_mb is not None:
            peaks = self.summary.worker_peak_rss_mb
            peaks[output.worker_pid] = max(peaks.get(output.worker_pid, 0.0), round(output.worker_rss_mb, 1))

    def _link(self, ordinal: int, outcome: DocOutcome) -> int | None:
        if not outcome.minhash:
            return None
        near = self.near.query(outcome.minhash)
        self.near.insert(ordinal, outcome.minhash)
        self._ids_with_signature[ordinal] = outcome.result.id
        return near

    def _write(self, ordinal: int, outcome: DocOutcome, near: int | None) -> None:
        result, summary = outcome.result, self.summary
        near_id = self._ids_with_signature.get(near) if near is not None else None
        self.articles.add(
            (month_of(result.published), country_key(result.country_iso3)),
            article_row(outcome, ordinal, near_id),
        )
        for row in fact_rows(result):
            self.facts.add(fact_partition(row, result.country_iso3), row)
        summary.documents += 1
        summary.failed += result.error is not None
        summary.processed += result.error is None
        summary.relevant += result.relevant
        summary.facts += len(result.facts)
        summary.near_duplicates += near_id is not None

    def close(self) -> None:
        self.articles.close()
        self.facts.close()
        self.summary.article_files = len(self.articles.files)
        self.summary.fact_files = len(self.facts.files)


def _prepare_output(output: Path, overwrite: bool) -> None:
    ours = [output / ARTICLES_DIR, output / FACTS_DIR, output / EVENTS_FILE, output / SUMMARY_FILE]
    present = [p for p in ours if p.exists()]
    if present and not overwrite:
        names = ", ".join(p.name for p in present)
        raise InputError(f"{output} already holds a batch output ({names}); pass overwrite to replace it")
    for path in present:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    output.mkdir(parents=True, exist_ok=True)


def _shard_failed(shard: Shard, err: BaseException) -> ShardOutput:
    """A shard whose task died (worker killed, cluster lost): one failed row names it."""
    log.error("shard %s failed: %r", shard.label, err)
    error = f"[DM999] shard {shard.label} failed: {err!r}"
    return ShardOutput(
        shard.index,
        [DocOutcome(ExtractionResult(id=f"{shard.stem}@{shard.first_number}", error=error), input=shard.url)],
    )


def run_batch(
    inputs: list[str],
    output: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int = 1,
    database_url: str | None = None,
    progress: bool = True,
    shard_size: int = DEFAULT_SHARD_SIZE,
    overwrite: bool = False,
    events: bool = True,
    near_duplicates: str = "relevant",
) -> BatchSummary:
    """Extract every document of ``inputs`` on ``engine`` and write the datasets under ``output``.

    ``engine``: ``local`` (process pool of ``workers``), ``dask`` (``scheduler`` address, or a
    LocalCluster of ``workers`` processes) or ``serial`` (this process). Writes ``articles/`` and
    ``facts/`` (Parquet, partitioned by publication month and country), ``events.jsonl`` and
    ``batch.json``; with ``database_url``, also loads articles and facts into that store.
    ``near_duplicates``: which documents are MinHashed and linked (``relevant``, ``all``, ``off``).
    """
    if near_duplicates not in NEAR_DUPLICATE_SCOPES:
        raise ConfigError(f"near_duplicates must be one of {', '.join(NEAR_DUPLICATE_SCOPES)}")
    started = time.perf_counter()
    output = Path(output)
    _prepare_output(output, overwrite)
    summary = BatchSummary(output=str(output), engine=engine, workers=workers)
    shards = list(plan_shards(inputs, shard_size))
    summary.shards = len(shards)
    loader = None
    if database_url:
        options = {"engine": engine, "workers": workers, "inputs": list(inputs), "output": str(output)}
        loader = StoreLoader(database_url, options=options)
    committer = _Committer(output, summary, loader)
    status = "interrupted"
    try:
        with open_engine(engine, workers=workers, scheduler=scheduler) as (submit, parallelism):
            summary.startup_s = time.perf_counter() - started
            summary.workers = parallelism if engine == "dask" else summary.workers
            begun = time.perf_counter()
            _run_ordered(
                shards,
                lambda shard: submit(shard, near_duplicates),
                committer,
                window=WINDOW_PER_WORKER * parallelism + 1,
                bar=progress,
            )
            summary.processing_s = time.perf_counter() - begun
        committer.close()
        if events:
            summary.events = write_batch_events(output)
        status = "finished"
    finally:
        if loader is not None:
            summary.db_loaded, summary.db_skipped = loader.loaded, loader.skipped
            loader.close(summary.as_dict(), status=status)
    summary.elapsed_s = time.perf_counter() - started
    (output / SUMMARY_FILE).write_text(json.dumps(summary.as_dict(), indent=2) + "\n", encoding="utf-8")
    return summary


def _run_ordered(
    shards: Sequence[Shard], submit: Any, committer: _Committer, *, window: int, bar: bool
) -> None:
    """Keep ``window`` shards in flight; commit each in input order as soon as it and all before are done."""
    from tqdm import tqdm

    pending: deque[tuple[Shard, ShardFuture]] = deque()
    upcoming = iter(shards)
    with tqdm(total=len(shards), unit="shard", disable=not bar, file=sys.stderr) as progress_bar:
        while True:
            while len(pending) < window and (shard := next(upcoming, None)) is not None:
                pending.append((shard, submit(shard)))
            if not pending:
                return
            shard, future = pending.popleft()
            try:
                result: ShardOutput = future.result()
            except Exception as first:  # a dead worker: retry once, alone, then record the shard failed
                log.warning("shard %s failed (%r); retrying it once", shard.label, first)
                try:
                    result = submit(shard).result()
                except Exception as err:
                    result = _shard_failed(shard, err)
            started = time.perf_counter()
            committer.commit(result)
            committer.summary.commit_s += time.perf_counter() - started
            progress_bar.update(1)


# ---------------------------------------------------------------- events after the batch
def read_batch_results(output: Path) -> list[ExtractionResult]:
    """Results worth clustering, rebuilt from the written ``articles/`` and ``facts/`` datasets."""
    articles_dir, facts_dir = output / ARTICLES_DIR, output / FACTS_DIR
    if not any(articles_dir.rglob("*.parquet")):
        return []
    # what events cluster: articles with facts, and relevant ones without (they report the happening)
    wanted = [[("fact_count", ">", 0)], [("relevant", "=", True)]]
    articles = pq.read_table(articles_dir, columns=list(RESULT_COLUMNS), filters=wanted)
    facts = []
    if any(facts_dir.rglob("*.parquet")):
        facts = pq.read_table(facts_dir, columns=list(FACT_SCHEMA.names)).to_pylist()
    return results_from_rows(articles.to_pylist(), facts)


def write_batch_events(output: Path) -> int:
    """Cluster the batch's stored facts into events; writes ``events.jsonl``, returns how many."""
    results = read_batch_results(output)
    found = cluster_results(results)
    with (output / EVENTS_FILE).open("w", encoding="utf-8") as out:
        write_events(found, out, quotes=fact_quotes(results))
    return len(found)
