"""The extraction benchmark script: input preparation, the missing-data message, a tiny real run."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_extract.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extract", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_extract"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


RECORDS = [
    {
        "id": "a",
        "language": "en",
        "text": "Storm forced 300 families from their homes.",
        "mentions_displacement": True,
    },
    {"id": "b", "language": "fr", "text": "Le club a gagné trois matchs.", "mentions_displacement": False},
    {
        "id": "c",
        "language": "de",
        "text": "Hochwasser: 50 Menschen evakuiert.",
        "mentions_displacement": True,
    },
]


def test_bench_extract_replicate_gives_distinct_ids_and_texts(bench: ModuleType) -> None:
    docs = bench.replicate(RECORDS, 7, "mix")

    assert len(docs) == 7
    assert len({d.record["id"] for d in docs}) == 7
    assert docs[0].record["text"] == RECORDS[0]["text"]  # the first pass is the stream as it is
    assert len({d.record["text"] for d in docs}) == 7  # later copies differ from every other document
    assert docs[0].words == 7


def test_bench_extract_relevant_records_keep_supported_languages_and_gold_relevant(bench: ModuleType) -> None:
    dev = [{"id": "g1", "gold": {"relevant": True}}, {"id": "g2", "gold": {"relevant": False}}]

    chosen = bench.relevant_records(RECORDS, dev)

    assert [r["id"] for r in chosen] == ["a", "g1"]


def test_bench_extract_without_shared_data_explains_and_exits(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = bench.main(["--shared-dir", str(tmp_path / "absent"), "--output", str(tmp_path / "out.json")])

    assert status == 2
    assert "shared benchmark data is missing" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.slow
def test_bench_extract_tiny_run_writes_summary(shared_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "extract.json"
    command = [
        sys.executable,
        str(SCRIPT),
        "--docs",
        "30",
        "--relevant-docs",
        "8",
        "--baseline-docs",
        "8",
        "--shared-dir",
        str(shared_dir),
        "--output",
        str(output),
        "--format",
        "json",
    ]

    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)

    assert completed.returncode == 0, completed.stderr
    summary = json.loads(output.read_text(encoding="utf-8"))
    assert summary["mixed"]["docs"] == 30 and summary["relevant"]["docs"] == 8
    assert summary["mixed"]["errors"] == 0
    assert summary["speedup_mixed_vs_baseline"] > 0
    assert 0 < summary["memory"]["peak_rss_mb_extraction"] <= summary["memory"]["peak_rss_mb_end"]
    assert set(summary["targets_met"]) == {
        "mixed_speedup_vs_baseline",
        "relevant_articles_per_second",
        "peak_rss_mb",
    }
