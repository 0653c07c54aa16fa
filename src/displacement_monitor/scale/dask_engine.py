"""The Dask engine: a client on a given scheduler, or a LocalCluster of single-threaded processes.

The Pipeline (spaCy models, gazetteer) is built by a worker plugin when each worker starts, or
joins later, so tasks find it ready; a task never loads a model. This is the only module of the
project that imports dask, and only the ``dask`` extra installs it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from displacement_monitor.errors import ConfigError
from displacement_monitor.scale.shards import Shard
from displacement_monitor.scale.work import install_pipeline, process_shard

try:
    from distributed import Client, LocalCluster, WorkerPlugin
except ImportError as err:  # pragma: no cover - depends on the installed extras
    raise ConfigError(
        "the dask engine needs the dask extra: pip install 'displacement-monitor[dask]'"
    ) from err

PLUGIN_NAME = "displacement-monitor-pipeline"


class PipelinePlugin(WorkerPlugin):
    """Loads the models and the gazetteer once per worker process, before its first task."""

    def setup(self, worker: Any) -> None:
        install_pipeline()


@contextmanager
def dask_engine(*, workers: int, scheduler: str | None) -> Iterator[tuple[Any, int]]:
    """(submit, parallelism) on ``scheduler`` (``tcp://host:8786``) or a fresh LocalCluster."""
    cluster: LocalCluster | None = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
    try:
        client.register_plugin(PipelinePlugin(), name=PLUGIN_NAME)
        parallelism = max(sum(client.nthreads().values()), 1)

        def submit(shard: Shard, near_duplicates: str) -> Any:
            return client.submit(
                process_shard,
                shard,
                near_duplicates,
                pure=False,
                key=f"dm-shard-{shard.index:06d}-{uuid.uuid4().hex[:8]}",
            )

        yield submit, parallelism
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
