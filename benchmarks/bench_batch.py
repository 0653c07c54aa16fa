"""Batch throughput: articles/s with 1 and 2 workers on the local engine and on Dask, peak RSS per worker.

The mixed news stream of ``../shared/data/bench/news_mix_dev.jsonl`` is replicated at run time to
``--docs`` documents (default 20,000) in a temporary JSONL file, every copy with its own id and a
closing line of its own; nothing is copied into the project. Each configuration runs the real
``run_batch`` (sharding, extraction, near-duplicate links, Parquet output, events) into a temporary
folder. Articles/s counts from the first shard submitted to the last one written (start-up, i.e.
spawning workers and loading models, is reported apart); peak RSS per worker is the maximum of
psutil samples of the worker processes and of the peak each worker reports itself.

    .venv/bin/python benchmarks/bench_batch.py [--docs 20000] [--engines local,dask] [--workers 1,2]
        [--shard-size 500] [--output benchmarks/results/batch-latest.json] [--shared-dir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
STREAM = Path("data") / "bench" / "news_mix_dev.jsonl"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "batch-latest.json"


def replicate(records: list[dict[str, Any]], count: int, prefix: str) -> Iterator[dict[str, Any]]:
    """``count`` records cycling over ``records``; copies get a new id and a closing line of their own."""
    for index in range(count):
        copy, position = divmod(index, len(records))
        record = dict(records[position])
        record["id"] = f"{prefix}-{copy}-{record.get('id', position)}"
        if copy and isinstance(record.get("text"), str):
            record["text"] = f"{record['text']}\n\nRef. {prefix}{index}."
        yield record


class RssSampler:
    """Peak RSS (MiB) of every descendant process, sampled in a background thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peaks: dict[int, float] = {}
        #: pid → CPU seconds (user + system) at the last sample.
        self.cpu_s: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss / 2**20
                    times = child.cpu_times()
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), rss)
                self.cpu_s[child.pid] = times.user + times.system
            self._stop.wait(self.interval)


@contextmanager
def quiet_logs() -> Iterator[None]:
    import logging

    previous = logging.root.level
    logging.getLogger("distributed").setLevel(logging.ERROR)
    logging.root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logging.root.setLevel(previous)


def run_one(inputs: list[str], engine: str, workers: int, shard_size: int) -> dict[str, Any]:
    from displacement_monitor.scale import run_batch

    load_before = os.getloadavg()[0]
    parent_cpu_before = time.process_time()
    with tempfile.TemporaryDirectory(prefix="dm-bench-batch-") as scratch, RssSampler() as sampler:
        summary = run_batch(
            inputs,
            Path(scratch) / "out",
            engine=engine,
            workers=workers,
            shard_size=shard_size,
            progress=False,
        )
        output_mb = sum(p.stat().st_size for p in Path(scratch).rglob("*.parquet")) / 2**20
    parent_cpu = time.process_time() - parent_cpu_before
    worker_pids = set(summary.worker_peak_rss_mb)
    worker_cpu = sum(sampler.cpu_s.get(pid, 0.0) for pid in worker_pids)
    per_worker = {
        pid: round(max(sampler.peaks.get(pid, 0.0), summary.worker_peak_rss_mb[pid]), 1)
        for pid in worker_pids
    }
    return {
        "engine": engine,
        "workers": workers,
        "documents": summary.documents,
        "failed": summary.failed,
        "relevant": summary.relevant,
        "facts": summary.facts,
        "near_duplicates": summary.near_duplicates,
        "events": summary.events,
        "shards": summary.shards,
        "startup_s": round(summary.startup_s, 2),
        "processing_s": round(summary.processing_s, 2),
        "elapsed_s": round(summary.elapsed_s, 2),
        "articles_per_second": round(summary.rate, 1),
        # CPU accounting, robust to other jobs on the machine (start-up model loading included)
        "worker_cpu_s": round(worker_cpu, 1),
        "coordinator_cpu_s": round(parent_cpu, 1),
        "articles_per_worker_cpu_second": round(summary.documents / summary.worker_cpu_s, 1)
        if summary.worker_cpu_s
        else None,
        "worker_cpu_s_on_shards": round(summary.worker_cpu_s, 1),
        "commit_s": round(summary.commit_s, 2),
        "peak_rss_mb_per_worker": per_worker,
        "peak_rss_mb_max": max(per_worker.values(), default=0.0),
        "parquet_mb": round(output_mb, 1),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def table(runs: list[dict[str, Any]]) -> str:
    header = (
        f"{'engine':<7} {'workers':>7} {'docs':>7} {'art/s':>8} {'speed-up':>8} {'start s':>8} "
        f"{'peak RSS/worker MiB':>20} {'art/worker-CPU-s':>16} {'load':>9}"
    )
    lines = [header, "-" * len(header)]
    base: dict[str, float] = {}
    for run in runs:
        if run["workers"] == 1:
            base[run["engine"]] = run["articles_per_second"]
        one = base.get(run["engine"])
        speedup = f"{run['articles_per_second'] / one:.2f}x" if one else "-"
        lines.append(
            f"{run['engine']:<7} {run['workers']:>7} {run['documents']:>7} "
            f"{run['articles_per_second']:>8.1f} {speedup:>8} {run['startup_s']:>8.1f} "
            f"{run['peak_rss_mb_max']:>20.0f} {run['articles_per_worker_cpu_second'] or 0:>16.1f} "
            f"{run['load_average_before']:>4.1f}/{run['load_average_after']:<4.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--engines", default="local,dask")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--shard-size", type=int, default=500)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--shared-dir", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args(argv)

    stream = args.shared_dir / STREAM
    if not stream.is_file():
        print(f"{stream} not found: the benchmark needs ../shared beside the project", file=sys.stderr)
        return 2
    with stream.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]

    runs = []
    with tempfile.TemporaryDirectory(prefix="dm-bench-input-") as scratch, quiet_logs():
        corpus = Path(scratch) / "mix.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for record in replicate(records, args.docs, "mix"):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        for engine in args.engines.split(","):
            for workers in (int(w) for w in args.workers.split(",")):
                print(f"running {engine} x{workers} on {args.docs} documents…", file=sys.stderr, flush=True)
                runs.append(run_one([str(corpus)], engine, workers, args.shard_size))
    print(table(runs))
    speedups = {
        engine: round(
            next(r for r in runs if r["engine"] == engine and r["workers"] == 2)["articles_per_second"]
            / next(r for r in runs if r["engine"] == engine and r["workers"] == 1)["articles_per_second"],
            2,
        )
        for engine in {r["engine"] for r in runs}
        if {1, 2} <= {r["workers"] for r in runs if r["engine"] == engine}
    }
    report = {
        "benchmark": "batch",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
        "input": {"stream": str(STREAM), "unique_records": len(records), "documents": args.docs},
        "shard_size": args.shard_size,
        "runs": runs,
        "speedup_1_to_2_workers": speedups,
        # the coordinating process over all runs: input planning, LSH index, Parquet buffers, events
        "coordinator_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"speed-up 1→2 workers: {speedups}; written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
