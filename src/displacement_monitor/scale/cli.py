"""The ``batch`` command's options, ready to register: ``app.command("batch")(batch_command)``.

Kept beside the runner so the main CLI module gains one line and no knowledge of engines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from displacement_monitor.errors import DMError
from displacement_monitor.scale.shards import DEFAULT_SHARD_SIZE

_err = Console(stderr=True, soft_wrap=True)


def batch_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="JSONL, WARC or Parquet files, folders or globs; local paths or fsspec URLs (s3://…)."
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for articles/, facts/ (Parquet) and events.jsonl.")
    ],
    engine: Annotated[
        str, typer.Option("--engine", help="local (process pool, default) or dask (a Dask cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (else a local cluster)."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes (local engine or local cluster).")
    ] = 1,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Also load into this database (PostgreSQL: COPY), e.g. postgresql+psycopg://…"
        ),
    ] = None,
    shard_size: Annotated[
        int, typer.Option("--shard-size", min=1, help="Documents per unit of work.")
    ] = DEFAULT_SHARD_SIZE,
    near_duplicates: Annotated[
        str,
        typer.Option("--near-duplicates", help="Which documents to MinHash and link: relevant, all, off."),
    ] = "relevant",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace a previous batch in OUTPUT.")
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Extract many documents on a process pool or a Dask cluster into Parquet datasets.

    Output: articles/ and facts/ partitioned by publication month and country, events.jsonl, and
    batch.json (the run's figures). The same input gives the same facts on any engine.

    Examples:

      displacement-monitor batch shards/*.parquet --output out/ --workers 2

      displacement-monitor batch s3://bucket/2024/ --output out/ --engine dask --scheduler tcp://host:8786
    """
    from displacement_monitor.scale.batch import format_batch_summary, run_batch

    if engine not in ("local", "dask", "serial"):
        _err.print(f"[bold red]error:[/] unknown engine {engine!r}: choose local or dask")
        raise typer.Exit(2)
    try:
        summary = run_batch(
            list(inputs),
            output,
            engine=engine,
            scheduler=scheduler,
            workers=workers,
            database_url=db,
            progress=progress,
            shard_size=shard_size,
            overwrite=overwrite,
            near_duplicates=near_duplicates,
        )
    except DMError as err:
        _err.print(f"[bold red]error:[/] {err}")
        raise typer.Exit(2) from None
    _err.print(format_batch_summary(summary))
    if summary.documents and summary.failed == summary.documents:
        raise typer.Exit(1)
