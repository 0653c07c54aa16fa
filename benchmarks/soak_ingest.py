"""Soak test of ``ingest`` → store: memory stays flat over a long run and no document is lost.

Writes a JSONL input of ``--docs`` documents at run time, replicating the news stream in
``../shared/data/bench/news_mix_dev.jsonl`` (never copied into the project) with a distinct id,
URL and closing line per copy, then runs the real ``run_ingest`` into a fresh SQLite database in a
child process. The parent samples the resident memory of that process and of its worker processes
every ``--interval`` seconds. At the end it counts the stored articles (extracted or failed): that
number must equal the number of documents given.

    .venv/bin/python benchmarks/soak_ingest.py --docs 100000 --workers 2
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STREAM = SHARED / "data" / "bench" / "news_mix_dev.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"


def write_input(path: Path, docs: int, stream: Path = STREAM) -> int:
    """Replicate the stream to ``docs`` documents, each with its own id, URL and content."""
    records = [json.loads(line) for line in stream.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for number in range(docs):
            record = records[number % len(records)]
            copy = {
                "id": f"soak-{number}",
                "url": f"https://soak.example.org/{number}/{record['id']}",
                "language": record.get("language"),
                "text": f"{record['text']}\n\nReference {number} of the soak run.",
            }
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
    return docs


def _ingest_child(input_path: Path, database: Path, workers: int, summary_path: Path) -> None:
    from displacement_monitor.ingest.runner import IngestSources, run_ingest

    summary = run_ingest(
        IngestSources(input=input_path), database_url=f"sqlite:///{database}", workers=workers
    )
    summary_path.write_text(json.dumps(summary.as_dict()))


def _rss_mb(process: psutil.Process) -> tuple[float, float, int]:
    """RSS of the process itself, the sum over its children, and how many children there are."""
    try:
        own = process.memory_info().rss / 2**20
        children = process.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0, 0.0, 0
    total = 0.0
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss / 2**20
    return own, total, len(children)


def _count_stored(database: Path) -> dict[str, int]:
    from displacement_monitor.store import open_store

    store = open_store(f"sqlite:///{database}")
    try:
        return {"articles": store.count_articles(), "facts": store.count_facts()}
    finally:
        store.close()


def soak(docs: int, workers: int, interval: float, workdir: Path, stream: Path = STREAM) -> dict[str, object]:
    """Run the soak in ``workdir``; returns the figures (RSS samples, counts, time)."""
    input_path, database, summary_path = workdir / "soak.jsonl", workdir / "soak.db", workdir / "summary.json"
    write_input(input_path, docs, stream)
    command = [
        sys.executable,
        __file__,
        "--child",
        str(input_path),
        str(database),
        str(workers),
        str(summary_path),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    watched = psutil.Process(child.pid)
    samples: list[dict[str, float]] = []
    while child.poll() is None:
        own, workers_rss, count = _rss_mb(watched)
        if own:
            samples.append(
                {
                    "t_s": round(time.perf_counter() - started, 1),
                    "parent_rss_mb": round(own, 1),
                    "workers_rss_mb": round(workers_rss, 1),
                    "worker_count": count,
                }
            )
        time.sleep(interval)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the ingest process failed with status {child.returncode}")
    summary = json.loads(summary_path.read_text())
    stored = _count_stored(database)
    return {
        "docs_given": docs,
        "workers": workers,
        "articles_stored": stored["articles"],
        "facts_stored": stored["facts"],
        "nothing_lost": stored["articles"] == docs,
        "ingest_summary": summary,
        "elapsed_s": round(elapsed, 1),
        "docs_per_s": round(docs / elapsed, 1),
        "rss": _rss_trend(samples),
        "samples": samples,
    }


def _rss_trend(samples: list[dict[str, float]]) -> dict[str, float]:
    """Peak RSS and the change between the first and last quarter of the run (flat = no leak)."""
    if len(samples) < 4:
        return {}
    quarter = len(samples) // 4

    def mean(key: str, part: list[dict[str, float]]) -> float:
        return round(sum(s[key] for s in part) / len(part), 1)

    early, late = samples[quarter : 2 * quarter], samples[-quarter:]
    return {
        "parent_peak_mb": max(s["parent_rss_mb"] for s in samples),
        "workers_peak_mb": max(s["workers_rss_mb"] for s in samples),
        "parent_second_quarter_mb": mean("parent_rss_mb", early),
        "parent_last_quarter_mb": mean("parent_rss_mb", late),
        "workers_second_quarter_mb": mean("workers_rss_mb", early),
        "workers_last_quarter_mb": mean("workers_rss_mb", late),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        _ingest_child(Path(argv[1]), Path(argv[2]), int(argv[3]), Path(argv[4]))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--stream", type=Path, default=STREAM)
    parser.add_argument("--output", type=Path, default=RESULTS / "soak-latest.json")
    args = parser.parse_args(argv)
    if not args.stream.is_file():
        print(f"{args.stream} is missing: the soak needs ../shared beside the project", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dm-soak-") as tmp:
        figures = soak(args.docs, args.workers, args.interval, Path(tmp), args.stream)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    shown = {k: v for k, v in figures.items() if k != "samples"}
    print(json.dumps(shown, indent=2))
    return 0 if figures["nothing_lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
