"""Ingest throughput: ≥ 10k documents from JSONL and WARC, SQLite and PostgreSQL, 1 and 2 workers.

The documents are the bench news mix (``../shared/data/bench/news_mix_dev.jsonl``, read at run
time, never copied) replicated with distinct ids, URLs and a varying closing line, so every copy
is a new article (content hashes differ) while near-duplicate detection links the copies.

    .venv/bin/python benchmarks/bench_ingest.py [--docs 10000] [--formats jsonl,warc]
        [--backends sqlite,postgresql] [--workers 1,2] [--processor pipeline|clean]

``--processor clean`` runs cleaning only, to measure the ingest machinery without extraction.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from displacement_monitor.ingest.runner import IngestSources, run_ingest
from displacement_monitor.model import Document, ExtractionResult

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "data" / "bench" / "news_mix_dev.jsonl"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


class CleanOnly:
    """Cleaning without extraction: isolates fetch/plan/store costs."""

    def process(self, document: Document) -> ExtractionResult:
        from displacement_monitor.text.clean import clean_document

        article = clean_document(document)
        return ExtractionResult(
            id=document.id, url=document.url, text=article.text, language=article.language
        )


def clean_only() -> CleanOnly:
    return CleanOnly()


def replicate(count: int) -> list[dict[str, object]]:
    base = [json.loads(line) for line in BENCH.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = []
    for n in range(count):
        src = base[n % len(base)]
        copy = n // len(base)
        docs.append(
            {
                "id": f"{src['id']}-r{copy}",
                "url": f"https://bench.example/{copy}/{src['id']}",
                "text": f"{src.get('text') or ''}\n\nBench copy {copy}.",
                "language": src.get("language"),
            }
        )
    return docs


def write_jsonl(docs: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def write_warc(docs: list[dict[str, object]], path: Path) -> Path:
    from html import escape

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for doc in docs:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in str(doc["text"]).split("\n") if p.strip())
            body = f"<html><body><article>{paragraphs}</article></body></html>".encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                str(doc["url"]), "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    return path


def pg_database() -> tuple[str, str]:
    name = f"dm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, f"{PG_SERVER}/{name}"


def drop_pg(name: str) -> None:
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--formats", default="jsonl,warc")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--processor", choices=["pipeline", "clean"], default="pipeline")
    args = parser.parse_args()
    if not BENCH.is_file():
        raise SystemExit(f"bench data not found at {BENCH}")
    docs = replicate(args.docs)
    factory = {"clean": clean_only}.get(args.processor)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = {
            "jsonl": write_jsonl(docs, folder / "docs.jsonl"),
            "warc": write_warc(docs, folder / "docs.warc.gz"),
        }
        print(
            f"{'format':6} {'backend':10} {'workers':>7} {'docs':>6} {'seconds':>8} {'doc/s':>7} {'facts':>6}"
        )
        for fmt in args.formats.split(","):
            for backend in args.backends.split(","):
                for workers in (int(w) for w in args.workers.split(",")):
                    pg_name = None
                    if backend == "sqlite":
                        url = f"sqlite:///{folder / f'{fmt}-{workers}.db'}"
                    else:
                        pg_name, url = pg_database()
                    sources = (
                        IngestSources(input=inputs[fmt])
                        if fmt == "jsonl"
                        else IngestSources(warc=[inputs[fmt]])
                    )
                    kwargs = {"pipeline_factory": factory} if factory else {}
                    started = time.perf_counter()
                    try:
                        summary = run_ingest(sources, database_url=url, workers=workers, **kwargs)  # type: ignore[arg-type]
                    finally:
                        if pg_name:
                            drop_pg(pg_name)
                    seconds = time.perf_counter() - started
                    done = summary.processed + summary.failed
                    print(
                        f"{fmt:6} {backend:10} {workers:>7} {done:>6} {seconds:>8.1f} {done / seconds:>7.1f} "
                        f"{summary.facts:>6}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
