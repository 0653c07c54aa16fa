"""Where shards run: in this process, in a local process pool, or on a Dask cluster.

Every engine hands back futures with ``.result()``; the batch consumes them in submission order,
so what it writes does not depend on which engine ran or how many workers there were. Only
``dask_engine`` imports dask, and only when that engine is chosen.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Literal, Protocol

from displacement_monitor.errors import ConfigError
from displacement_monitor.scale.shards import Shard
from displacement_monitor.scale.work import ShardOutput, install_pipeline, process_shard, worker_ready
from displacement_monitor.workers import die_with_parent

EngineName = Literal["serial", "local", "dask"]
ENGINES: tuple[str, ...] = ("serial", "local", "dask")


def _init_pool_worker() -> None:
    """A pool worker ends with its parent and loads the models once."""
    die_with_parent()
    install_pipeline()


class ShardFuture(Protocol):
    def result(self, timeout: float | None = None) -> Any: ...


#: submit(shard, near-duplicate scope) → future of a ShardOutput.
Submit = Callable[[Shard, str], ShardFuture]


@contextmanager
def open_engine(name: str, *, workers: int = 1, scheduler: str | None = None) -> Iterator[tuple[Submit, int]]:
    """(submit, parallelism): ``submit(shard, near_duplicates)`` returns a future of a ShardOutput."""
    if name == "serial":
        yield _serial(), 1
    elif name == "local":
        with _local(max(workers, 1)) as submit:
            yield submit, max(workers, 1)
    elif name == "dask":
        from displacement_monitor.scale.dask_engine import dask_engine

        with dask_engine(workers=max(workers, 1), scheduler=scheduler) as (submit, parallelism):
            yield submit, parallelism
    else:
        raise ConfigError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def _serial() -> Submit:
    install_pipeline()

    def submit(shard: Shard, near_duplicates: str) -> ShardFuture:
        future: Future[ShardOutput] = Future()
        future.set_result(process_shard(shard, near_duplicates))  # type: ignore[arg-type]
        return future

    return submit


#: One worker = one core: numeric libraries must not start a thread per core in every worker
#: (as Dask's nanny also arranges), or two workers on two cores fight over four threads.
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@contextmanager
def _single_threaded_children() -> Iterator[None]:
    """Children spawned inside inherit the limits; this process's own environment is restored after."""
    saved = {name: os.environ.get(name) for name in SINGLE_THREAD_ENV}
    os.environ.update(SINGLE_THREAD_ENV)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _LocalPool:
    """A process pool that replaces itself when a worker dies (the lost shards are retried by the batch)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # spawn, not fork: the parent may hold Arrow/Dask threads a forked child would inherit stuck.
        self._context = multiprocessing.get_context("spawn")
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        with _single_threaded_children():
            pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=self._context, initializer=_init_pool_worker
            )
            _start_all(pool, self.workers)
        return pool

    def submit(self, shard: Shard, near_duplicates: str) -> ShardFuture:
        try:
            return self._pool.submit(process_shard, shard, near_duplicates)  # type: ignore[arg-type]
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(process_shard, shard, near_duplicates)  # type: ignore[arg-type]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _local(workers: int) -> Iterator[Submit]:
    pool = _LocalPool(workers)
    try:
        yield pool.submit
    finally:
        pool.close()


def _start_all(pool: ProcessPoolExecutor, workers: int, attempts: int = 20) -> None:
    """Wait until every pool process runs (models loaded), so start-up is not billed to the first shards."""
    seen: set[int] = set()
    for _ in range(attempts):
        seen.update(f.result() for f in [pool.submit(worker_ready) for _ in range(workers)])
        if len(seen) >= workers:
            return
