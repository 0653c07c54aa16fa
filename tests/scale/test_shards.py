"""Shard planning and reading: boundaries never change what documents are read or their ids."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from displacement_monitor.ingest.files import InputFailure, read_inputs
from displacement_monitor.model import Document
from displacement_monitor.scale.shards import input_stem, plan_shards, read_shard


def _read_all(inputs: list[str], shard_size: int) -> list[tuple[str, str | None]]:
    """(id, text or error) of everything the shards yield, in shard order."""
    out = []
    for shard in plan_shards(inputs, shard_size):
        for item in read_shard(shard):
            out.append((item.id, item.text if isinstance(item, Document) else item.error))
    return out


def _jsonl(path: Path, count: int, *, bad_every: int = 0) -> Path:
    lines = []
    for i in range(count):
        if bad_every and i % bad_every == bad_every - 1:
            lines.append("{broken")
        elif i % 4 == 0:
            lines.append(json.dumps({"text": f"Story number {i} about the harbour."}))  # default id
        elif i % 6 == 0:
            lines.append(json.dumps({"id": f"empty-{i}", "title": "no body"}))
        else:
            lines.append(json.dumps({"id": f"doc-{i}", "text": f"Story number {i}, ünïcode."}))
        if i % 5 == 0:
            lines.append("")  # blank lines count as lines, like the ingest reader
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(0, 40), shard_size=st.integers(1, 12))
def test_shards_jsonl_same_documents_and_ids_as_ingest_for_any_shard_size(
    tmp_path: Path, count: int, shard_size: int
) -> None:
    path = _jsonl(tmp_path / "feed.jsonl", count, bad_every=7)
    expected = [
        (item.id, item.text if isinstance(item, Document) else item.error) for item in read_inputs([path])
    ]
    assert _read_all([str(path)], shard_size) == expected


def test_shards_jsonl_cut_into_line_ranges(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "feed.jsonl", 30)
    shards = list(plan_shards([str(path)], 10))
    assert [s.index for s in shards] == list(range(len(shards)))
    assert len(shards) == 4  # 36 lines with the blanks
    assert sum(s.length for s in shards) == path.stat().st_size


def test_shards_parquet_row_groups_sliced_and_numbered(tmp_path: Path) -> None:
    rows = [
        {"id": None if i % 3 == 0 else f"p{i}", "text": f"Row {i}.", "published": "2024-02-01"}
        for i in range(50)
    ]
    rows[7]["text"] = " "
    path = tmp_path / "part-7.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=25)

    shards = list(plan_shards([str(path)], 5))  # 25-row groups are > 4 shards long: sliced
    assert len(shards) == 10
    items = [item for shard in shards for item in read_shard(shard)]
    assert [item.id for item in items][:4] == ["part-7:1", "p1", "p2", "part-7:4"]
    assert isinstance(items[7], InputFailure) and items[7].error.startswith("[DM101]")
    assert all(isinstance(i, Document) and i.published is not None for n, i in enumerate(items) if n != 7)
    assert len(list(plan_shards([str(path)], 500))) == 2  # short groups: one shard each


def test_shards_warc_one_shard_per_archive(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, content_type in [
            ("https://valley.example/a", "text/html; charset=utf-8"),
            ("https://valley.example/logo.png", "image/png"),
            ("https://valley.example/b", "text/html"),
        ]:
            body = f"<html><body><p>Report from {uri}.</p></body></html>".encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2020-05-04T10:00:00Z"},
            )
            writer.write_record(record)

    shards = list(plan_shards([str(tmp_path)], 1))
    assert len(shards) == 1 and shards[0].fmt == "warc"
    documents = list(read_shard(shards[0]))
    assert [d.id for d in documents] == ["https://valley.example/a", "https://valley.example/b"]
    assert all(isinstance(d, Document) and d.published is not None for d in documents)


def test_shards_missing_unsupported_and_broken_inputs_become_failures(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    (tmp_path / "broken.warc").write_bytes(b"\x00\x01 not a warc")
    inputs = [
        str(tmp_path / "nothing-here.jsonl"),
        str(tmp_path / "notes.csv"),
        str(tmp_path / "broken.parquet"),
    ]
    inputs.append(str(tmp_path / "broken.warc"))
    results = _read_all(inputs, 10)
    assert [doc_id for doc_id, _ in results] == ["nothing-here", "notes", "broken", "broken#1"]
    assert all(error and error.startswith("[DM") for _, error in results)


def test_shards_folder_and_glob_expansion_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.jsonl", ".hidden.jsonl", "skip.txt"):
        (tmp_path / name).write_text(json.dumps({"text": name}) + "\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text(json.dumps({"text": "c"}) + "\n", encoding="utf-8")
    assert [d for d, _ in _read_all([str(tmp_path)], 10)] == ["a:1", "b:1", "c:1"]
    assert [d for d, _ in _read_all([str(tmp_path / "*.jsonl")], 10)] == ["a:1", "b:1"]


def test_shards_stem_strips_compound_suffixes() -> None:
    assert input_stem("s3://bucket/2024/part-01.jsonl.gz") == "part-01"
    assert input_stem("/data/crawl.warc.gz") == "crawl"
    assert input_stem("memory://x/rows.parquet") == "rows"


def test_shards_read_fsspec_urls_like_local_paths() -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    lines = [json.dumps({"id": f"m{i}", "text": f"Remote story {i}."}) for i in range(7)]
    fs.pipe("/dm-scale-test/feed.jsonl", ("\n".join(lines) + "\n").encode())
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([{"id": "r1", "html": "<p>Remote page.</p>"}]), buffer)
    fs.pipe("/dm-scale-test/rows.parquet", buffer.getvalue())
    try:
        results = _read_all(["memory://dm-scale-test/"], 3)
    finally:
        fs.rm("/dm-scale-test", recursive=True)
    assert [doc_id for doc_id, _ in results] == [f"m{i}" for i in range(7)] + ["r1"]
