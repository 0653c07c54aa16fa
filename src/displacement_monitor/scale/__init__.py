"""Batch extraction at scale: inputs in shards, a process pool or a Dask cluster, Parquet out.

Dask is optional: nothing here imports it until the ``dask`` engine is chosen. The heavy modules
load on first use, so the command line stays quick to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from displacement_monitor.scale.batch import BatchSummary, format_batch_summary, run_batch

__all__ = ["BatchSummary", "format_batch_summary", "run_batch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from displacement_monitor.scale import batch

        return getattr(batch, name)
    raise AttributeError(name)
