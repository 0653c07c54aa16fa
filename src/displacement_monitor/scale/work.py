"""Worker side: one Pipeline per worker process, and the task that turns a shard into outcomes.

The task function is the same for every engine (in-process, process pool, Dask); only how the
per-process Pipeline gets built differs (pool initializer or Dask worker plugin). Nothing in a
shard can make the task raise: unreadable inputs and failed documents come back as failed results.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from displacement_monitor.ingest.dedup import signature_of
from displacement_monitor.ingest.files import InputFailure
from displacement_monitor.ingest.runner import content_hash
from displacement_monitor.ingest.web import canonical_url
from displacement_monitor.model import Document, ExtractionResult
from displacement_monitor.pipeline import Pipeline
from displacement_monitor.scale.records import DocOutcome
from displacement_monitor.scale.shards import Shard, read_shard

log = logging.getLogger(__name__)

PipelineFactory = Callable[[], Pipeline]
#: Which documents get a MinHash signature (and so near-duplicate links): hashing every document
#: costs about a quarter of extraction time on a mixed stream, so by default only relevant ones.
NearDuplicateScope = Literal["relevant", "all", "off"]
NEAR_DUPLICATE_SCOPES: tuple[str, ...] = ("relevant", "all", "off")
_pipeline: Pipeline | None = None


@dataclass(slots=True)
class ShardOutput:
    index: int
    outcomes: list[DocOutcome] = field(default_factory=list)
    #: Peak resident memory of the worker process after the shard (MiB), for monitoring.
    worker_rss_mb: float | None = None
    worker_pid: int | None = None
    #: CPU seconds the worker spent on this shard (robust to other load on the machine).
    cpu_s: float = 0.0


def warm_pipeline(factory: PipelineFactory = Pipeline) -> Pipeline:
    """A Pipeline with every configured spaCy model and the gazetteer loaded now, not on first use."""
    pipeline = factory()
    engine = pipeline.engine
    _ = engine.resolver
    for language in list(engine.nlp.models):
        engine.nlp.get(language)
    return pipeline


def install_pipeline(factory: PipelineFactory = Pipeline) -> None:
    """Build this process's Pipeline (pool initializer, Dask worker plugin, or in-process)."""
    global _pipeline
    _pipeline = warm_pipeline(factory)


def current_pipeline() -> Pipeline:
    global _pipeline
    if _pipeline is None:  # a worker that joined without the plugin still works, just slower once
        _pipeline = warm_pipeline()
    return _pipeline


def worker_ready(pause_s: float = 0.2) -> int:
    """A no-op task: its pid tells which pool processes have started (and loaded their models)."""
    import os

    time.sleep(pause_s)
    return os.getpid()


def process_shard(shard: Shard, near_duplicates: NearDuplicateScope = "relevant") -> ShardOutput:
    """Read and extract one shard; every document yields exactly one outcome."""
    pipeline = current_pipeline()
    started = time.process_time()
    output = ShardOutput(shard.index)
    for item in read_shard(shard):
        output.outcomes.append(_process_item(pipeline, item, shard, near_duplicates))
    output.worker_rss_mb, output.worker_pid = _peak_rss_mb()
    output.cpu_s = time.process_time() - started
    return output


def _wants_signature(result: ExtractionResult, scope: NearDuplicateScope) -> bool:
    if result.error is not None or scope == "off":
        return False
    return scope == "all" or result.relevant


def _process_item(
    pipeline: Pipeline, item: Document | InputFailure, shard: Shard, scope: NearDuplicateScope
) -> DocOutcome:
    if isinstance(item, InputFailure):
        return DocOutcome(ExtractionResult(id=item.id, error=item.error), input=shard.url)
    try:
        result = pipeline.process(item)
        signature = signature_of(result.text or "") if _wants_signature(result, scope) else None
        return DocOutcome(
            result,
            input=shard.url,
            content_hash=content_hash(item),
            canonical_url=canonical_url(item.url) if item.url else None,
            minhash=signature,
            hints=dict(item.hints),
        )
    except Exception as err:  # the pipeline never raises; this guards the bookkeeping around it
        log.exception("document %s failed outside the pipeline", item.id)
        failed = ExtractionResult(id=item.id, url=item.url, error=f"[DM999] internal error: {err!r}")
        return DocOutcome(failed, input=shard.url)


def _peak_rss_mb() -> tuple[float | None, int | None]:
    import os
    import resource

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak_kib / 1024, os.getpid()
