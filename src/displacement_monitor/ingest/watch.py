"""``watch``: poll feeds and GDELT files on a schedule and ingest what is new.

The schedule lives in ``watch.toml``; the state of each job (next run, last error, lease) lives in
the database, so stopping and restarting continues the schedule, and several ``watch`` processes
on one PostgreSQL database share the jobs (see ``store.jobs``). Example::

    [watch]
    poll_seconds = 30        # how often an idle worker looks for due jobs
    workers = 1              # extraction processes per job run

    [[feeds]]
    url = "https://example.org/news.rss"
    interval_minutes = 15

    [[gdelt]]
    url = "http://data.gdeltproject.org/gdeltv2/lastupdate.txt-resolved-file.gkg.csv.zip"
    interval_minutes = 15
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from displacement_monitor.errors import ConfigError, DMError
from displacement_monitor.ingest.runner import (
    DocumentProcessor,
    IngestSources,
    IngestSummary,
    _default_pipeline,
    run_ingest,
)
from displacement_monitor.store import open_store
from displacement_monitor.store.jobs import JobSpec, claim_due_job, finish_job, next_due_in, sync_jobs

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MINUTES = 15.0


@dataclass(slots=True)
class WatchConfig:
    jobs: list[JobSpec]
    poll_seconds: float = 30.0
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def _interval(entry: dict[str, Any], where: str) -> int:
    if "interval_seconds" in entry:
        value = float(entry["interval_seconds"])
    else:
        value = float(entry.get("interval_minutes", DEFAULT_INTERVAL_MINUTES)) * 60
    if value <= 0:
        raise ConfigError(f"{where}: the interval must be positive")
    return int(value)


def load_watch_config(path: str | Path) -> WatchConfig:
    """Parse ``watch.toml``; every mistake is a ConfigError naming the entry."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} is not valid TOML: {err}") from err
    jobs: list[JobSpec] = []
    for kind, section in (("feed", "feeds"), ("gdelt", "gdelt")):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: [{section}] must be an array of tables ([[{section}]])")
        for i, entry in enumerate(entries):
            where = f"{path}: {section}[{i}]"
            target = entry.get("url") or entry.get("path") if isinstance(entry, dict) else None
            if not isinstance(target, str) or not target:
                raise ConfigError(f"{where} needs a 'url' (or 'path')")
            jobs.append(JobSpec(kind, target, _interval(entry, where)))
    if not jobs:
        raise ConfigError(f"{path} lists no [[feeds]] and no [[gdelt]] sources")
    settings = data.get("watch", {})
    return WatchConfig(
        jobs=jobs,
        poll_seconds=float(settings.get("poll_seconds", 30)),
        workers=int(settings.get("workers", 1)),
        extra={k: v for k, v in data.items() if k not in ("feeds", "gdelt", "watch")},
    )


def run_watch(
    config_path: str | Path,
    database_url: str | None = None,
    *,
    once: bool = False,
    allow_loopback: bool = False,
    progress: bool = False,
    stop: threading.Event | None = None,
    pipeline_factory: Callable[[], DocumentProcessor] = _default_pipeline,
    on_run: Callable[[str, IngestSummary | None, str | None], None] | None = None,
) -> int:
    """Run due jobs until ``stop`` is set (or, with ``once``, until none is due); returns jobs run."""
    config = load_watch_config(config_path)
    store = open_store(database_url)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    stop = stop or threading.Event()
    ran = 0
    try:
        sync_jobs(store, config.jobs)
        while not stop.is_set():
            job = claim_due_job(store, worker)
            if job is None:
                if once:
                    break
                wait = next_due_in(store)
                stop.wait(min(config.poll_seconds, wait if wait is not None else config.poll_seconds))
                continue
            sources = (
                IngestSources(feeds=[job.target]) if job.kind == "feed" else IngestSources(gdelt=[job.target])
            )
            summary: IngestSummary | None = None
            error: str | None = None
            try:
                summary = run_ingest(
                    sources,
                    workers=config.workers,
                    allow_loopback=allow_loopback,
                    progress=progress,
                    pipeline_factory=pipeline_factory,
                    store=store,
                )
                error = summary.source_errors.get(job.target)
            except DMError as err:
                error = str(err)
            ran += 1
            finish_job(store, job.id, error=error, counts=summary.as_dict() if summary else {})
            log.info("job %s %s done: %s", job.kind, job.target, error or "ok")
            if on_run is not None:
                on_run(job.target, summary, error)
        return ran
    finally:
        store.close()
