"""The ``ingest`` batch: sources → documents → clean/extract (worker processes) → store.

Design for crashes: each document is committed on its own (article + facts + status in one
transaction) by the parent process only, and a run starts by loading the identity keys already
stored (canonical URL, content hash), so running the same command again after a ``kill -9`` skips
everything committed and redoes only what was in flight. A worker killed mid-document breaks the
pool; the pool is rebuilt and the in-flight documents are retried (twice at most, then recorded as
failed), so one poisonous document cannot stop a batch.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from displacement_monitor.errors import DMError, InputError
from displacement_monitor.ingest.dedup import NearDuplicateIndex, signature_of
from displacement_monitor.ingest.feeds import parse_feed
from displacement_monitor.ingest.files import InputFailure, read_inputs
from displacement_monitor.ingest.gdelt import parse_gkg
from displacement_monitor.ingest.warc import read_warc
from displacement_monitor.ingest.web import (
    ARCHIVE_TYPES,
    FEED_TYPES,
    HTML_TYPES,
    Fetcher,
    FetchPolicy,
    canonical_url,
)
from displacement_monitor.model import Document, ExtractionResult
from displacement_monitor.store import ArticleRecord, KnownKeys, Store, open_store
from displacement_monitor.workers import die_with_parent

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
_CANONICAL_LINK = re.compile(
    r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>]+)["']""", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class DocumentProcessor(Protocol):
    def process(self, document: Document) -> ExtractionResult: ...


def _default_pipeline() -> DocumentProcessor:
    from displacement_monitor.pipeline import Pipeline

    return Pipeline()


@dataclass(slots=True)
class IngestSources:
    """Everything one ``ingest`` command reads. URLs in ``paths`` are fetched; ``-`` is stdin."""

    paths: list[str] = field(default_factory=list)
    input: Path | None = None
    feeds: list[str] = field(default_factory=list)
    gdelt: list[str] = field(default_factory=list)
    warc: list[Path] = field(default_factory=list)
    stdin: TextIO | None = None


@dataclass(slots=True)
class IngestSummary:
    run_id: int
    #: Documents (or URLs) found in the sources.
    seen: int = 0
    #: Already stored before this run (same canonical URL, content or failed id) and skipped.
    skipped: int = 0
    processed: int = 0
    failed: int = 0
    #: Processed here but found stored under another URL with the same content.
    duplicates: int = 0
    near_duplicates: int = 0
    facts: int = 0
    retried: int = 0
    source_errors: dict[str, str] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def rate(self) -> float:
        """Documents handled (processed, failed or duplicate) per second."""
        done = self.processed + self.failed + self.duplicates
        return done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rate"] = round(self.rate, 2)
        return data


@dataclass(slots=True)
class Task:
    """One unit of work, picklable: a document read already, or a URL a worker will fetch."""

    external_id: str
    source_id: int | None
    document: Document | None = None
    url: str | None = None
    error: str | None = None
    content_hash: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    published: Any = None
    source: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0


@dataclass(slots=True)
class Outcome:
    task: Task
    result: ExtractionResult
    content_hash: str | None
    canonical_url: str | None
    url: str | None
    minhash: bytes | None


def content_hash(document: Document) -> str | None:
    """SHA-256 of the raw text (or HTML) with whitespace collapsed: the same content twice is one."""
    raw = document.text if document.text and document.text.strip() else document.html
    if not raw or not raw.strip():
        return None
    return hashlib.sha256(_SPACES.sub(" ", raw).strip().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- worker side
_worker_pipeline: DocumentProcessor | None = None
_worker_fetcher: Fetcher | None = None


def _init_worker(pipeline_factory: Callable[[], DocumentProcessor], policy: FetchPolicy) -> None:
    """Build the pipeline (models) and HTTP client once per worker process."""
    global _worker_pipeline, _worker_fetcher
    die_with_parent()
    _worker_pipeline = pipeline_factory()
    _worker_fetcher = Fetcher(policy)


def _fetch_document(task: Task, fetcher: Fetcher) -> tuple[Document, str]:
    assert task.url is not None
    fetched = fetcher.fetch(task.url, accept=HTML_TYPES)
    body = fetched.text()
    is_html = fetched.content_type != "text/plain"
    final = fetched.final_url
    link = _CANONICAL_LINK.search(body[:20000]) if is_html else None
    canonical = canonical_url(link.group(1)) if link and link.group(1).startswith("http") else None
    document = Document(
        id=task.external_id,
        text=None if is_html else body,
        html=body if is_html else None,
        url=final,
        published=task.published,
        title=task.title,
        source=task.source,
        hints=dict(task.hints),
    )
    return document, canonical or canonical_url(final)


def work(task: Task) -> Outcome:
    """Fetch if needed, clean and extract one task (runs in a worker process, never raises DMError)."""
    assert _worker_pipeline is not None and _worker_fetcher is not None
    canonical = task.canonical_url
    url = task.url or (task.document.url if task.document else None)
    if task.error is not None:
        failed = ExtractionResult(id=task.external_id, url=url, error=task.error)
        return Outcome(task, failed, None, canonical, url, None)
    document = task.document
    if document is None:
        try:
            document, canonical = _fetch_document(task, _worker_fetcher)
        except DMError as err:
            failed = ExtractionResult(
                id=task.external_id, url=url, title=task.title, published=task.published, error=str(err)
            )
            return Outcome(task, failed, None, canonical, url, None)
        url = document.url
    digest = task.content_hash or content_hash(document)
    result = _worker_pipeline.process(document)
    signature = None
    if result.error is None:
        signature = signature_of(result.text or document.text or "")
    return Outcome(task, result, digest, canonical, url, signature)


# ---------------------------------------------------------------- planning (parent side)
class _Planner:
    """Turns sources into tasks, dropping what is stored already or planned twice in this run."""

    def __init__(self, store: Store, known: KnownKeys, fetcher: Fetcher, *, reprocess: bool) -> None:
        self.store = store
        self.known = known
        self.fetcher = fetcher
        self.reprocess = reprocess
        self.planned_urls: set[str] = set()
        self.planned_hashes: set[str] = set()
        self.planned_ids: set[str] = set()
        self.seen = 0
        self.skipped = 0
        self.source_errors: dict[str, str] = {}

    def _admit(self, task: Task) -> bool:
        self.seen += 1
        keys_known = (task.canonical_url and task.canonical_url in self.planned_urls) or (
            task.content_hash and task.content_hash in self.planned_hashes
        )
        if not self.reprocess:
            keys_known = keys_known or (
                (task.canonical_url and task.canonical_url in self.known.canonical_urls)
                or (task.content_hash and task.content_hash in self.known.content_hashes)
            )
        keyless = not task.canonical_url and not task.content_hash
        if keyless:
            keys_known = task.external_id in self.planned_ids or (
                not self.reprocess and task.external_id in self.known.keyless_ids
            )
        if keys_known:
            self.skipped += 1
            return False
        if task.canonical_url:
            self.planned_urls.add(task.canonical_url)
        if task.content_hash:
            self.planned_hashes.add(task.content_hash)
        if keyless:
            self.planned_ids.add(task.external_id)
        return True

    def _from_item(self, item: Document | InputFailure | InputError, source_id: int | None) -> Task:
        if isinstance(item, InputFailure):
            return Task(external_id=item.id, source_id=source_id, error=item.error)
        if isinstance(item, InputError):
            return Task(external_id=item.url or "unknown", source_id=source_id, error=str(item), url=item.url)
        return Task(
            external_id=item.id,
            source_id=source_id,
            document=item,
            content_hash=content_hash(item),
            canonical_url=canonical_url(item.url) if item.url else None,
        )

    def _url_task(self, url: str, source_id: int | None, **meta: Any) -> Task:
        return Task(external_id=url, source_id=source_id, url=url, canonical_url=canonical_url(url), **meta)

    def _read_remote_or_local(self, locator: str, accept: tuple[str, ...], max_bytes: int) -> bytes:
        if locator.startswith(("http://", "https://")):
            return self.fetcher.fetch(locator, accept=accept, max_bytes=max_bytes).body
        try:
            return Path(locator).read_bytes()
        except OSError as err:
            raise InputError(f"cannot read {locator}: {err.strerror or err}") from err

    def _source_failed(self, source_id: int, locator: str, err: DMError) -> None:
        self.source_errors[locator] = str(err)
        self.store.record_source_fetch(source_id, error=str(err))
        log.warning("source %s failed: %s", locator, err)

    def tasks(self, sources: IngestSources) -> Iterator[Task]:
        # Anything with a scheme is a URL, so file:// or gopher:// meet the guard, not the disk.
        urls = [p for p in sources.paths if _URL_SCHEME.match(p)]
        files = [p for p in sources.paths if p not in urls]
        if files or sources.input is not None:
            source_id = self.store.ensure_source("files", ";".join([*files, str(sources.input or "")]))
            for item in read_inputs(files, sources.input, sources.stdin):
                yield from self._keep(self._from_item(item, source_id))
        if urls:
            source_id = self.store.ensure_source("urls", "command line")
            for url in urls:
                yield from self._keep(self._url_task(url, source_id))
        for path in sources.warc:
            source_id = self.store.ensure_source("warc", str(path))
            for warc_item in read_warc(Path(path)):
                yield from self._keep(self._from_item(warc_item, source_id))
        for feed_locator in sources.feeds:
            source_id = self.store.ensure_source("feed", feed_locator)
            try:
                feed = parse_feed(
                    self._read_remote_or_local(feed_locator, FEED_TYPES, 10_000_000), url=feed_locator
                )
            except DMError as err:
                self._source_failed(source_id, feed_locator, err)
                continue
            self.store.record_source_fetch(source_id, error=None, title=feed.title)
            for entry in feed.entries:
                yield from self._keep(
                    self._url_task(
                        entry.url,
                        source_id,
                        title=entry.title,
                        published=entry.published,
                        source=feed.title,
                        hints=entry.hints,
                    )
                )
        for gkg_locator in sources.gdelt:
            source_id = self.store.ensure_source("gdelt", gkg_locator)
            try:
                records = list(parse_gkg(self._read_remote_or_local(gkg_locator, ARCHIVE_TYPES, 200_000_000)))
            except DMError as err:
                self._source_failed(source_id, gkg_locator, err)
                continue
            self.store.record_source_fetch(source_id, error=None)
            for record in records:
                yield from self._keep(
                    self._url_task(
                        record.url,
                        source_id,
                        published=record.published,
                        source=record.source,
                        hints=record.hints,
                    )
                )

    def _keep(self, task: Task) -> Iterator[Task]:
        if self._admit(task):
            yield task


# ---------------------------------------------------------------- execution
def _run_serial(tasks: list[Task], on_outcome: Callable[[Outcome], None]) -> None:
    for task in tasks:
        on_outcome(work(task))


def _run_pool(
    tasks: list[Task],
    on_outcome: Callable[[Outcome], None],
    *,
    workers: int,
    initargs: tuple[Any, ...],
    summary: IngestSummary,
) -> None:
    """Keep ``workers * 4`` tasks in flight; rebuild the pool if a worker dies, retrying its tasks."""
    pending = list(reversed(tasks))
    while pending:
        executor = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=initargs)
        in_flight: dict[Future[Outcome], Task] = {}
        broken = False
        try:
            while pending or in_flight:
                while pending and len(in_flight) < workers * 4 and not broken:
                    task = pending.pop()
                    try:
                        in_flight[executor.submit(work, task)] = task
                    except BrokenProcessPool:  # a worker died between two submissions
                        pending.append(task)
                        broken = True
                        break
                    task.attempts += 1
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        broken = True
                        _requeue(task, pending, on_outcome, summary)
                        continue
                    on_outcome(outcome)
                if broken:
                    for task in in_flight.values():
                        _requeue(task, pending, on_outcome, summary)
                    in_flight.clear()
                    break
        finally:
            executor.shutdown(wait=not broken, cancel_futures=True)


def _requeue(
    task: Task, pending: list[Task], on_outcome: Callable[[Outcome], None], summary: IngestSummary
) -> None:
    if task.attempts >= MAX_ATTEMPTS:
        error = f"[DM999] worker process died {task.attempts} times on this document"
        url = task.url or (task.document.url if task.document else None)
        on_outcome(
            Outcome(
                task,
                ExtractionResult(id=task.external_id, url=url, error=error),
                None,
                task.canonical_url,
                url,
                None,
            )
        )
        return
    summary.retried += 1
    pending.append(task)


def _progress_bar(enabled: bool):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} doc/s" if speed else "– doc/s", style="progress.data.speed")

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def run_ingest(
    sources: IngestSources,
    *,
    database_url: str | None = None,
    workers: int = 1,
    reprocess: bool = False,
    allow_loopback: bool = False,
    progress: bool = False,
    fetch_policy: FetchPolicy | None = None,
    pipeline_factory: Callable[[], DocumentProcessor] = _default_pipeline,
    store: Store | None = None,
) -> IngestSummary:
    """Read every source, extract each new document and store it; returns what happened.

    ``workers`` > 1 runs extraction in that many processes (models loaded once per process);
    ``reprocess`` re-extracts and rewrites documents already stored.
    """
    started = time.perf_counter()
    policy = fetch_policy or FetchPolicy()
    policy.allow_loopback = policy.allow_loopback or allow_loopback
    own_store = store is None
    store = store or open_store(database_url)
    run_id = store.start_run(
        {
            "workers": workers,
            "reprocess": reprocess,
            "paths": list(sources.paths),
            "feeds": list(sources.feeds),
        }
    )
    summary = IngestSummary(run_id=run_id)
    near = NearDuplicateIndex()
    near.load(store.iter_minhashes())
    try:
        with Fetcher(policy) as fetcher:
            planner = _Planner(store, store.known_keys(), fetcher, reprocess=reprocess)
            tasks = list(planner.tasks(sources))
        summary.seen, summary.skipped = planner.seen, planner.skipped
        summary.source_errors = dict(planner.source_errors)

        with _progress_bar(progress) as bar:
            bar_task = bar.add_task("ingest", total=len(tasks))

            def on_outcome(outcome: Outcome) -> None:
                _store_outcome(store, outcome, near, summary, run_id=run_id, reprocess=reprocess)
                bar.advance(bar_task)

            if workers <= 1:
                _init_worker(pipeline_factory, policy)
                _run_serial(tasks, on_outcome)
            else:
                _run_pool(
                    tasks, on_outcome, workers=workers, initargs=(pipeline_factory, policy), summary=summary
                )
        summary.elapsed_s = time.perf_counter() - started
        store.finish_run(run_id, summary.as_dict())
        return summary
    except BaseException:
        summary.elapsed_s = time.perf_counter() - started
        store.finish_run(run_id, summary.as_dict(), status="interrupted")
        raise
    finally:
        if own_store:
            store.close()


def _store_outcome(
    store: Store,
    outcome: Outcome,
    near: NearDuplicateIndex,
    summary: IngestSummary,
    *,
    run_id: int,
    reprocess: bool,
) -> None:
    task, result = outcome.task, outcome.result
    near_of = near.query(outcome.minhash) if outcome.minhash else None
    hints = dict(task.document.hints if task.document else task.hints)
    record = ArticleRecord(
        external_id=task.external_id,
        url=outcome.url,
        canonical_url=outcome.canonical_url,
        content_hash=outcome.content_hash,
        source_id=task.source_id,
        run_id=run_id,
        minhash=outcome.minhash,
        near_duplicate_of=near_of,
        hints=hints,
    )
    saved = store.save_result(result, record, replace=reprocess)
    if not saved.created and not saved.replaced:
        summary.duplicates += 1
        return
    if outcome.minhash and saved.created:
        near.insert(saved.article_id, outcome.minhash)
    if result.error:
        summary.failed += 1
    else:
        summary.processed += 1
        summary.facts += len(result.facts)
        if near_of is not None:
            summary.near_duplicates += 1


def format_summary(summary: IngestSummary) -> str:
    """The lines printed after a run."""
    lines = [
        f"run {summary.run_id}: {summary.seen} seen, {summary.skipped} already stored, "
        f"{summary.processed} processed, {summary.failed} failed, {summary.duplicates} duplicates, "
        f"{summary.near_duplicates} near-duplicates, {summary.facts} facts "
        f"in {summary.elapsed_s:.1f}s ({summary.rate:.1f} doc/s)",
    ]
    lines.extend(f"source failed: {locator}: {error}" for locator, error in summary.source_errors.items())
    return "\n".join(lines)


__all__ = ["IngestSources", "IngestSummary", "format_summary", "run_ingest", "work"]
