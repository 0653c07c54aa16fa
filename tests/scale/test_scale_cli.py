"""The ``batch`` command's option spec, mounted on a Typer app as the main CLI does."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from displacement_monitor.scale.cli import batch_command

from .corpus import write_corpus

app = typer.Typer()
app.command("batch")(batch_command)
app.command("noop")(lambda: None)  # two commands, so "batch" is addressed by name as in the real CLI


def test_scale_cli_batch_writes_datasets_and_summary(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = ["batch", *inputs[:2], "--output", str(out), "--engine", "serial", "--shard-size", "10"]
    result = CliRunner().invoke(app, [*args, "--no-progress"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 35 and summary["facts"] > 0
    assert (out / "events.jsonl").is_file()
    again = CliRunner().invoke(app, [*args, "--no-progress"])
    assert again.exit_code == 2 and "overwrite" in again.output


def test_scale_cli_batch_rejects_unknown_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["batch", "x.jsonl", "--output", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 2
    assert "unknown engine" in result.output
