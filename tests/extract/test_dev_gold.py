"""The gold dev data scored with the referee: these floors must hold (issue: extraction engine)."""

from __future__ import annotations

from pathlib import Path

from displacement_monitor.cli import app
from displacement_monitor.evaluation import below_floor, evaluate_all
from displacement_monitor.pipeline import Pipeline


def test_dev_scores_stay_above_floors(shared_dir: Path, pipeline: Pipeline) -> None:
    scores = evaluate_all(shared_dir / "data" / "dev", pipeline)
    assert below_floor(scores) == [], scores


def test_seed_al_waer_three_facts_once_and_no_deaths(shared_dir: Path, pipeline: Pipeline) -> None:
    from displacement_monitor.ingest.files import read_inputs

    (document,) = list(read_inputs([shared_dir / "data" / "seed" / "al-waer-2017.txt"]))
    result = pipeline.process(document)  # type: ignore[arg-type]
    found = sorted(((f.figure_min, f.figure_max, f.modality) for f in result.facts), key=str)
    assert (200, 999, "reported") in found
    assert any(f.figure == 2500 and f.modality == "expected" for f in result.facts)
    assert any(f.figure == 20000 and f.qualifier == "approximately" for f in result.facts)
    assert len(result.facts) == 3
    assert all((f.figure or 0) < 100000 for f in result.facts)
    assert result.country_iso3 == "SYR" and result.cause == "conflict"


def test_seed_table_output_shows_the_three_figures(shared_dir: Path) -> None:
    from typer.testing import CliRunner

    out = CliRunner().invoke(
        app,
        ["extract", str(shared_dir / "data" / "seed" / "al-waer-2017.txt"), "--format", "table"],
        env={"COLUMNS": "200"},
    )
    assert out.exit_code == 0, out.output
    for figure in ("200–999", "2,500", "~20,000"):
        assert figure in out.output
    assert "500,000" not in out.output
