"""API latency on a large store: p95 of filtered ``/api/facts`` and ``/api/stats/timeline``.

Bulk-loads synthetic facts (executemany on SQLite, COPY on PostgreSQL), then times requests
through the real app in-process (routing, validation, SQL, serialisation; no network).

    .venv/bin/python benchmarks/bench_api.py --rows 1000000 --backend both

``--keep`` leaves the loaded database in place and prints its URL; ``--url URL`` times such a
database again without loading it (e.g. after a change, or beside ``EXPLAIN ANALYZE`` in psql).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from displacement_monitor.api import Settings, create_app
from displacement_monitor.store import open_store

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
COUNTRIES = (
    "SDN",
    "COD",
    "UKR",
    "SYR",
    "YEM",
    "AFG",
    "SOM",
    "ETH",
    "NGA",
    "MMR",
    "HTI",
    "PHL",
    "BGD",
    "IND",
    "PAK",
    "KEN",
    "MOZ",
    "TUR",
    "IDN",
    "BRA",
)
TERMS = ("displaced", "evacuated", "forced_to_flee", "sheltered", "homeless", "destroyed_housing")
HAZARDS = {
    "conflict": ("conflict",),
    "disaster": ("flood", "storm", "earthquake", "drought"),
    "other": ("other",),
}
STATUSES = ("pending",) * 8 + ("accepted", "rejected")
FACTS_PER_ARTICLE = 5
QUERIES = {
    "facts country": "/api/facts?country=SDN",
    "facts cause+dates": "/api/facts?cause=disaster&date_from=2023-01-01&date_to=2023-06-30",
    "facts country+term+figure": "/api/facts?country=UKR&term=displaced&figure_min=1000",
    "facts review status": "/api/facts?review_status=accepted&sort=-date",
    "facts text in country": "/api/facts?country=HTI&q=flood",
    "timeline country": "/api/stats/timeline?country=COD",
    "timeline cause+dates": "/api/stats/timeline?cause=conflict&date_from=2022-01-01&date_to=2022-12-31",
    "timeline term+country": "/api/stats/timeline?country=PHL&term=evacuated",
}


def _articles(n: int, now: str) -> Iterator[tuple[object, ...]]:
    for i in range(1, n + 1):
        yield (
            i,
            f"bench-{i}",
            f"https://bench.example.org/{i}",
            f"Synthetic report {i}",
            "processed",
            True,
            0.9,
            "{}",
            "{}",
            now,
            now,
        )


def _facts(n: int, seed: int, now: str) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    for i in range(1, n + 1):
        cause = rng.choices(("conflict", "disaster", "other"), (45, 50, 5))[0]
        day = start + dt.timedelta(days=rng.randrange(5 * 365))
        figure = int(10 ** rng.uniform(1, 6))
        country = rng.choice(COUNTRIES)
        verb = rng.choice(("fled", "were evacuated", "lost homes"))
        quote = f"{figure} people {verb} after the {rng.choice(('flood', 'fighting', 'storm', 'quake'))}"
        yield (
            i,
            (i - 1) // FACTS_PER_ARTICLE + 1,
            (i - 1) % FACTS_PER_ARTICLE,
            figure,
            figure,
            figure,
            "exact",
            rng.choice(("person", "person", "household")),
            rng.choice(TERMS),
            "reported",
            quote,
            0,
            len(quote),
            country,
            cause,
            rng.choice(HAZARDS[cause]),
            0.7,
            day,
            day,
            "day",
            "Town",
            rng.uniform(-30, 50),
            rng.uniform(-20, 120),
            country,
            rng.choice(STATUSES),
            "{}",
            now,
        )


ARTICLE_COLUMNS = (
    "id",
    "external_id",
    "url",
    "title",
    "status",
    "relevant",
    "relevance_score",
    "timings_ms",
    "hints",
    "created_at",
    "updated_at",
)
FACT_COLUMNS = (
    "id",
    "article_id",
    "ordinal",
    "figure",
    "figure_min",
    "figure_max",
    "qualifier",
    "unit",
    "term",
    "modality",
    "quote",
    "quote_start",
    "quote_end",
    "country_iso3",
    "cause",
    "hazard",
    "confidence",
    "date_start",
    "date_end",
    "date_precision",
    "location_name",
    "location_lat",
    "location_lon",
    "location_country_iso3",
    "review_status",
    "review_changes",
    "created_at",
)


def load(url: str, rows: int) -> float:
    """Migrate, then bulk-insert ``rows`` facts; returns seconds taken."""
    store = open_store(url)
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC).isoformat()
    n_articles = (rows + FACTS_PER_ARTICLE - 1) // FACTS_PER_ARTICLE
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if store.dialect == "postgresql":
            for table, columns, data in (
                ("articles", ARTICLE_COLUMNS, _articles(n_articles, now)),
                ("facts", FACT_COLUMNS, _facts(rows, 7, now)),
            ):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for record in data:
                        copy.write_row(record)
            raw.commit()
            # As autovacuum would: the visibility map lets counts and the timeline read indexes only.
            raw.driver_connection.autocommit = True
            cursor.execute("VACUUM ANALYZE")
        else:
            for table, columns, data in (
                ("articles", ARTICLE_COLUMNS, _articles(n_articles, now)),
                ("facts", FACT_COLUMNS, _facts(rows, 7, now)),
            ):
                marks = ", ".join("?" for _ in columns)
                while chunk := list(islice(data, 50_000)):
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", chunk)
            raw.commit()
            cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        store.close()
    return time.perf_counter() - started


def measure(url: str, repeats: int) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    with TestClient(create_app(Settings(database_url=url))) as client:
        for name, path in QUERIES.items():
            client.get(path).raise_for_status()  # warm caches
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            times.sort()
            figures[name] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            }
    return figures


def run_backend(
    backend: str, rows: int, repeats: int, workdir: Path, keep: bool = False
) -> dict[str, object]:
    admin = None
    name = ""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench_api.db'}"
    else:
        name = f"dm_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"{PG_SERVER}/{name}"
    try:
        seconds = load(url, rows)
        print(f"[{backend}] loaded {rows:,} facts in {seconds:.1f}s", flush=True)
        if keep:
            print(f"[{backend}] kept: {url}  (time it again with --url)", flush=True)
        return {
            "backend": backend,
            "rows": rows,
            "load_seconds": round(seconds, 1),
            "queries": report(backend, url, repeats),
        }
    finally:
        if admin is not None:
            if not keep:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def report(backend: str, url: str, repeats: int) -> dict[str, dict[str, float]]:
    figures = measure(url, repeats)
    for query, values in figures.items():
        print(
            f"[{backend}] {query:28s} p50 {values['p50_ms']:7.1f} ms   p95 {values['p95_ms']:7.1f} ms",
            flush=True,
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic facts to load")
    parser.add_argument("--repeats", type=int, default=40, help="requests per query")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the loaded database (SQLite: under --workdir) and print its URL instead of dropping it",
    )
    parser.add_argument(
        "--workdir", type=Path, help="directory for the SQLite file (default: a temporary one)"
    )
    parser.add_argument(
        "--url", help="time an already loaded database (one kept with --keep) instead of loading a new one"
    )
    args = parser.parse_args()
    if args.url:
        backend = "postgresql" if args.url.startswith("postgresql") else "sqlite"
        results: list[dict[str, object]] = [
            {"backend": backend, "url": args.url, "queries": report(backend, args.url, args.repeats)}
        ]
    else:
        backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
        if args.keep and "sqlite" in backends and args.workdir is None:
            parser.error("--keep with SQLite needs --workdir")
        with tempfile.TemporaryDirectory(prefix="dm-bench-") as tmp:
            workdir = args.workdir or Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            results = [run_backend(b, args.rows, args.repeats, workdir, args.keep) for b in backends]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
