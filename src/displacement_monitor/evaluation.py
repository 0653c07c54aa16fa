"""Run extraction over the gold dev data and score it with the referee's own rules.

The referee (``tools/score.py`` of the shared material) is loaded from beside the gold data rather
than re-implemented, so our numbers are the referee's numbers.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.console import Console
from rich.table import Table

from displacement_monitor.errors import ConfigError
from displacement_monitor.model import document_from_dict, result_to_dict
from displacement_monitor.pipeline import Pipeline

GOLD_FILES = {"excerpts": "idetect_dev.jsonl", "articles": "articles_dev.jsonl"}
#: The floors a change must not fall below.
FLOORS = {
    "excerpts": {
        "figure_recall": 0.93,
        "unit_accuracy_given_figure": 0.96,
        "term_accuracy_given_figure": 0.82,
        "country_accuracy_given_figure": 0.89,
    },
    "articles": {
        "fact_f1": 0.80,
        "relevance_f1": 0.93,
        "negatives_without_facts": 1.0,
        "cause_accuracy": 0.93,
        "country_accuracy": 0.95,
    },
}


def default_data_dir() -> Path | None:
    """``../shared/data/dev`` next to the checkout, when it is there."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data" / "dev"
        if candidate.is_dir():
            return candidate
    return None


def load_referee(data_dir: Path) -> ModuleType:
    script = data_dir.parent.parent / "tools" / "score.py"
    if not script.is_file():
        raise ConfigError(f"referee scorer not found at {script}")
    spec = importlib.util.spec_from_file_location("dm_referee", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(gold_rows: list[dict[str, Any]], pipeline: Pipeline) -> list[dict[str, Any]]:
    return [
        result_to_dict(pipeline.process(document_from_dict(row, default_id=str(i))))
        for i, row in enumerate(gold_rows)
    ]


def evaluate_all(data_dir: Path, pipeline: Pipeline | None = None) -> dict[str, dict[str, Any]]:
    referee = load_referee(data_dir)
    pipeline = pipeline or Pipeline()
    scores: dict[str, dict[str, Any]] = {}
    for mode, name in GOLD_FILES.items():
        gold = [
            json.loads(line) for line in (data_dir / name).read_text(encoding="utf-8").splitlines() if line
        ]
        scorer = referee.score_excerpts if mode == "excerpts" else referee.score_articles
        scores[mode] = scorer(gold, predict(gold, pipeline))
    return scores


def below_floor(scores: dict[str, dict[str, Any]]) -> list[str]:
    """The metrics that fell below their floor, as readable lines."""
    return [
        f"{mode}.{metric} = {scores[mode].get(metric)} < {floor}"
        for mode, floors in FLOORS.items()
        for metric, floor in floors.items()
        if (scores[mode].get(metric) or 0.0) < floor
    ]


def render_scores(console: Console, scores: dict[str, dict[str, Any]]) -> None:
    for mode, values in scores.items():
        table = Table(title=f"{mode} ({GOLD_FILES[mode]})")
        table.add_column("metric")
        table.add_column("value", justify="right")
        table.add_column("floor", justify="right")
        for metric, value in values.items():
            floor = FLOORS.get(mode, {}).get(metric)
            ok = floor is None or (value or 0) >= floor
            shown = f"[green]{value}[/]" if ok else f"[red]{value}[/]"
            table.add_row(metric, shown, "" if floor is None else str(floor))
        console.print(table)
