"""The ``displacement-monitor`` command: a thin shell over the library.

Each command parses options, calls one library function and renders its result as JSON lines
(for machines) or a Rich table (for people). Expected failures (``DMError``) end in one red line
and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from displacement_monitor.errors import DMError

if TYPE_CHECKING:
    from displacement_monitor.events import Override
from displacement_monitor.model import ExtractionResult, result_to_dict

app = typer.Typer(
    name="displacement-monitor",
    help=(
        "Turn news into evidence-backed, geolocated displacement facts.\n\n"
        "Start with:  displacement-monitor extract article.txt --format table"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True, soft_wrap=True)

FormatOption = Annotated[str, typer.Option("--format", "-f", help="jsonl (machines) or table (people).")]
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="DM_DATABASE_URL", help="Database URL (default sqlite:///displacement.db)."),
]


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def extract(
    files: Annotated[list[Path] | None, typer.Argument(help="Files or folders: .txt, .html, .jsonl.")] = None,
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="A JSON-lines file of documents, or - for stdin.")
    ] = None,
    format: FormatOption = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="Include the cleaned text offsets refer to.")
    ] = False,
    no_geocode: Annotated[bool, typer.Option("--no-geocode", help="Skip place resolution.")] = False,
) -> None:
    """Extract displacement facts: one JSON line per input document, in input order.

    Input lines look like {"id", "text" or "html", "url", "published", "title", "language"};
    unknown fields are ignored. Each output line carries the input's id, relevance, cause, hazard,
    country and the facts with their quote and character offsets into the cleaned text.

    Examples:

      displacement-monitor extract article.txt --format table

      displacement-monitor extract --input docs.jsonl --output facts.jsonl
    """
    from displacement_monitor.extract.render import render_table
    from displacement_monitor.ingest.files import InputFailure, read_inputs
    from displacement_monitor.pipeline import Pipeline, PipelineOptions

    if not files and input is None:
        _fail("give FILES or --input DOCS.jsonl (use --input - to read JSON lines from stdin)")
    if format not in {"jsonl", "table"}:
        _fail(f"--format must be jsonl or table, not {format!r}")
    for path in files or []:
        if not path.exists():
            _fail(f"{path}: no such file or folder")
    pipeline = Pipeline(PipelineOptions(geocode=not no_geocode))

    def results() -> Iterator[ExtractionResult]:
        for item in read_inputs(files or [], input, sys.stdin):
            if isinstance(item, InputFailure):
                yield ExtractionResult(id=item.id, error=item.error)
            else:
                yield pipeline.process(item)

    total = failed = 0
    stream = output.open("w", encoding="utf-8") if output else sys.stdout
    console = Console(file=stream) if output else Console()
    try:
        for result in results():
            total += 1
            failed += result.error is not None
            if format == "jsonl":
                stream.write(
                    json.dumps(result_to_dict(result, with_text=with_text), ensure_ascii=False) + "\n"
                )
                stream.flush()
            else:
                render_table(console, result)
    except DMError as err:
        _fail(str(err))
    finally:
        if output:
            stream.close()
    if total == 0:
        _fail("no documents found in the input")
    if failed:
        err_console.print(f'[yellow]{failed} of {total} documents failed; see their "error" field[/]')
    if failed == total:
        raise typer.Exit(1)


@app.command()
def evaluate(
    data_dir: Annotated[
        Path | None, typer.Option("--data", help="Folder with the gold files (default: ../shared/data/dev).")
    ] = None,
    format: FormatOption = "table",
) -> None:
    """Score extraction on the gold dev data with the referee's rules (excerpts and articles)."""
    from displacement_monitor.evaluation import default_data_dir, evaluate_all, render_scores

    folder = data_dir or default_data_dir()
    if folder is None or not folder.is_dir():
        _fail("gold data not found: pass --data FOLDER (the dev folder of the shared material)")
    assert folder is not None
    scores = evaluate_all(folder)
    if format == "jsonl":
        print(json.dumps(scores))
    else:
        render_scores(Console(), scores)


@app.command()
def demo(
    format: FormatOption = "table",
) -> None:
    """Extract facts from the bundled sample articles (EN/FR/ES) and show them."""
    from displacement_monitor.extract.render import render_table
    from displacement_monitor.pipeline import Pipeline
    from displacement_monitor.samples import sample_documents

    pipeline = Pipeline()
    console = Console()
    for document in sample_documents():
        result = pipeline.process(document)
        if format == "jsonl":
            print(json.dumps(result_to_dict(result), ensure_ascii=False))
        else:
            render_table(console, result)


@app.command()
def geocode(
    query: Annotated[str, typer.Argument(help='A place as news writes it, e.g. "al-Waer, Homs".')],
    limit: Annotated[int, typer.Option(help="How many candidates to show.")] = 5,
    format: FormatOption = "table",
) -> None:
    """Look a place up in the offline gazetteer (no network): coordinates, admin areas, country."""
    from rich.table import Table

    from displacement_monitor.geo.resolver import geocode_query
    from displacement_monitor.model import to_dict

    places = geocode_query(query, limit=limit)
    if format == "jsonl":
        for place in places:
            print(json.dumps(to_dict(place), ensure_ascii=False))
        return
    if not places:
        _fail(f"no place found for {query!r}", code=1)
    table = Table(title=f"{query!r}")
    for column in (
        "name",
        "country",
        "admin1",
        "admin2",
        "lat",
        "lon",
        "precision",
        "confidence",
        "geonames",
    ):
        table.add_column(column)
    for p in places:
        table.add_row(
            p.name,
            p.country_iso3 or "",
            p.admin1 or "",
            p.admin2 or "",
            f"{p.lat:.4f}" if p.lat is not None else "",
            f"{p.lon:.4f}" if p.lon is not None else "",
            p.precision or "",
            f"{p.confidence:.2f}" if p.confidence is not None else "",
            str(p.geonames_id or ""),
        )
    Console().print(table)


@app.command()
def ingest(
    sources: Annotated[list[str] | None, typer.Argument(help="Files, folders or http(s) URLs.")] = None,
    input: Annotated[
        str | None, typer.Option("--input", "-i", help="JSON-lines documents, or - for stdin.")
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="An RSS/Atom feed URL (repeatable).")
    ] = None,
    gdelt: Annotated[
        list[str] | None, typer.Option("--gdelt", help="A GDELT GKG 2.x file or URL (repeatable).")
    ] = None,
    warc: Annotated[list[Path] | None, typer.Option("--warc", help="A WARC file (repeatable).")] = None,
    db: DbOption = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")] = 1,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Extract again what is already stored.")
    ] = False,
    allow_loopback: Annotated[
        bool, typer.Option("--allow-loopback", help="Let URLs reach 127.0.0.1 (tests).")
    ] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    samples: Annotated[
        bool, typer.Option("--samples", help="Also ingest the bundled sample articles.")
    ] = False,
) -> None:
    """Read sources, extract every new document and keep it in the database.

    Idempotent (the same URL or content twice is one article) and resumable (after a crash, run
    the same command again). Bad documents are stored as failed with their error.

    Examples:

      displacement-monitor ingest news/ --workers 2

      displacement-monitor ingest --feed https://example.org/rss --db postgresql+psycopg://user@host/db
    """
    from displacement_monitor.ingest.runner import IngestSources, format_summary, run_ingest

    if samples:
        from displacement_monitor.samples import samples_path

        sources = [*(sources or []), str(samples_path())]
    if not (sources or input or feed or gdelt or warc):
        _fail("give something to ingest: PATHS/URLS, --input, --feed, --gdelt, --warc or --samples")
    summary = run_ingest(
        IngestSources(
            paths=list(sources or []),
            input=Path(input) if input and input != "-" else None,
            feeds=list(feed or []),
            gdelt=list(gdelt or []),
            warc=list(warc or []),
            stdin=sys.stdin if input == "-" else None,
        ),
        database_url=db,
        workers=workers,
        reprocess=reprocess,
        allow_loopback=allow_loopback,
        progress=progress,
    )
    err_console.print(format_summary(summary))
    if summary.seen and summary.failed == summary.seen:
        raise typer.Exit(1)


@app.command()
def watch(
    config: Annotated[
        Path, typer.Option("--config", "-c", help="A watch.toml listing feeds and GDELT sources.")
    ],
    db: DbOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run the due jobs once, then stop.")] = False,
    allow_loopback: Annotated[
        bool, typer.Option("--allow-loopback", help="Let URLs reach 127.0.0.1.")
    ] = False,
) -> None:
    """Poll feeds and GDELT on a schedule; job state lives in the database, so a restart resumes.

    Several `watch` processes can share the work on PostgreSQL.
    """
    from displacement_monitor.ingest.watch import run_watch

    if not config.is_file():
        _fail(f"{config}: no such file")
    jobs = run_watch(config, database_url=db, once=once, allow_loopback=allow_loopback)
    err_console.print(f"{jobs} jobs run")


events_app = typer.Typer(
    help="Events: reports grouped into real-world happenings with triangulated figures.",
    invoke_without_command=True,
)
app.add_typer(events_app, name="events")


def _stored_events(db: str | None) -> tuple[list[ExtractionResult], dict[str, list[str]], list[Override]]:
    """Results, fact ids and the analysts' overrides kept in the database."""
    from displacement_monitor.store import open_store
    from displacement_monitor.store.events_repo import load_event_overrides

    store = open_store(db)
    try:
        stored = list(store.iter_stored_results(relevant_only=True))
        overrides = list(load_event_overrides(store))
    finally:
        store.close()
    fact_ids = {s.result.id: [str(i) for i in s.fact_ids] for s in stored}
    return [s.result for s in stored], fact_ids, overrides


@events_app.callback()
def events(
    ctx: typer.Context,
    db: DbOption = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Cluster an `extract` output file instead of the database."),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, table or geojson.")] = "table",
    overrides: Annotated[
        Path | None, typer.Option("--overrides", help="Merges/splits from a JSON file (with --input).")
    ] = None,
) -> None:
    """List events: one per real-world happening, with triangulated figures and their sources.

    With --db (or DM_DATABASE_URL) the analysts' merges and splits stored in the database are applied.

    Examples:

      displacement-monitor events --format jsonl

      displacement-monitor events merge ev-1a2b ev-3c4d --note "same evacuation"

      displacement-monitor events --input facts.jsonl --format geojson
    """
    if ctx.invoked_subcommand is not None:
        return
    from displacement_monitor.events import cluster_results, event_row, load_overrides, write_events
    from displacement_monitor.events.export import fact_quotes, read_results_jsonl

    if format not in {"jsonl", "table", "geojson"}:
        _fail(f"--format must be jsonl, table or geojson, not {format!r}")
    fact_ids: dict[str, list[str]] | None = None
    if input is not None:
        if not input.is_file():
            _fail(f"{input}: no such file")
        results = read_results_jsonl(input)
        stored_overrides = load_overrides(overrides) if overrides else None
    else:
        results, fact_ids, stored_overrides = _stored_events(db)
    clustered = cluster_results(results, overrides=stored_overrides, fact_ids=fact_ids)
    if format == "table":
        from rich.table import Table

        table = Table(title=f"{len(clustered)} events")
        for column in ("event_id", "name", "articles", "facts", "figure"):
            table.add_column(column, overflow="fold")
        for event in clustered:
            table.add_row(*event_row(event).values())
        Console().print(table)
        return
    quotes = fact_quotes(results) if fact_ids is None else None
    write_events(clustered, sys.stdout, fmt=format, quotes=quotes)  # type: ignore[arg-type]


def _record_override(db: str | None, action: str, ids: list[str], note: str | None, user: str) -> None:
    from displacement_monitor.events import Override, cluster_results
    from displacement_monitor.store import open_store
    from displacement_monitor.store.events_repo import add_event_override

    results, fact_ids, overrides = _stored_events(db)
    current = cluster_results(results, overrides=overrides, fact_ids=fact_ids)
    override = (
        Override("merge", events=tuple(ids), note=note)
        if action == "merge"
        else Override("split", articles=tuple(ids), note=note)
    )
    store = open_store(db)
    try:
        override_id = add_event_override(store, override, user, current=current)
    except DMError as err:
        _fail(str(err))
    finally:
        store.close()
    err_console.print(f"{action} recorded (override {override_id}); it holds across re-clustering")


@events_app.command("merge")
def events_merge(
    event_ids: Annotated[list[str], typer.Argument(help="Two or more event ids to join into one.")],
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    user: Annotated[str, typer.Option(help="Who decides (kept in the audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Merge events an analyst knows are one happening."""
    _record_override(db, "merge", event_ids, note, user)


@events_app.command("split")
def events_split(
    article_ids: Annotated[
        list[str], typer.Argument(help="Input ids of the articles to take out as their own event.")
    ],
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    user: Annotated[str, typer.Option(help="Who decides (kept in the audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Split articles out of their event into an event of their own."""
    _record_override(db, "split", article_ids, note, user)


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="articles, facts or events.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="jsonl or csv (events: jsonl or geojson).")
    ] = "jsonl",
    db: DbOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Export the database: articles or facts as JSON lines or CSV, events as JSON lines or GeoJSON.

    Article lines carry the input id as `id`; fact lines carry their article's `id`.
    """
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if kind == "events":
            if format not in {"jsonl", "geojson"}:
                _fail("events export as jsonl or geojson")
            from displacement_monitor.events import cluster_results, write_events
            from displacement_monitor.store import open_store

            store = open_store(db)
            stored = list(store.iter_stored_results(relevant_only=True))
            store.close()
            clustered = cluster_results(
                [s.result for s in stored],
                fact_ids={s.result.id: [str(i) for i in s.fact_ids] for s in stored},
            )
            write_events(clustered, stream, fmt=format)  # type: ignore[arg-type]
        elif kind in {"articles", "facts"}:
            if format not in {"jsonl", "csv"}:
                _fail(f"--format must be jsonl or csv, not {format!r}")
            from displacement_monitor.store.export import export_table

            count = export_table(kind, format, db, stream)  # type: ignore[arg-type]
            err_console.print(f"{count} {kind} exported")
        else:
            _fail(f"KIND must be articles, facts or events, not {kind!r}")
    finally:
        if output:
            stream.close()


def _register_batch() -> None:
    from displacement_monitor.scale.cli import batch_command

    app.command("batch")(batch_command)


_register_batch()


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API (OpenAPI at /openapi.json) and the dashboard at / until Ctrl-C."""
    from displacement_monitor.api import serve as run_server

    run_server(db, host=host, port=port)


users_app = typer.Typer(
    help="API users and their tokens (roles: viewer, analyst, admin).", no_args_is_help=True
)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Who the token is for.")],
    role: Annotated[str, typer.Option("--role", help="viewer, analyst or admin.")] = "analyst",
    db: DbOption = None,
) -> None:
    """Create a user (or give an existing one a new token) and print the token once."""
    from displacement_monitor.api import add_user

    if role not in {"viewer", "analyst", "admin"}:
        _fail(f"--role must be viewer, analyst or admin, not {role!r}")
    token = add_user(db, name, role)
    err_console.print(f"token for {name} ({role}); keep it, it is not shown again:")
    print(token)


def main() -> None:
    """Console-script entry point."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app()
    except DMError as err:
        err_console.print(f"[bold red]error:[/] {err}")
        sys.exit(2)
