"""Batch extraction at scale: inputs in shards, a process pool or a Dask cluster, Parquet out.

Dask is optional: nothing here imports it until the ``dask`` engine is chosen.
"""

from displacement_monitor.scale.batch import BatchSummary, format_batch_summary, run_batch

__all__ = ["BatchSummary", "format_batch_summary", "run_batch"]
