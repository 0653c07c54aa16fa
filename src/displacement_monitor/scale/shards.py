"""Inputs → shards: small, self-describing units of work that any worker can read on its own.

A shard names a file (local path or fsspec URL) and a slice of it: a line range of a JSON-lines
file, a row range of a Parquet file, or a whole WARC archive. Planning reads only what it must
(newline offsets, Parquet footers), so the documents themselves are read by the workers and never
travel through the coordinating process. Shard boundaries and default ids depend only on the input
and the shard size, never on the engine or the number of workers.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import pyarrow.parquet as pq
from fsspec.core import url_to_fs

from displacement_monitor.errors import DMError, EmptyDocument, FetchError, InputError
from displacement_monitor.ingest.files import InputFailure, iter_jsonl
from displacement_monitor.ingest.warc import read_warc
from displacement_monitor.model import Document, document_from_dict
from displacement_monitor.text.clean import MAX_DOCUMENT_SIZE

Format = Literal["jsonl", "parquet", "warc"]
DEFAULT_SHARD_SIZE = 500
_SUFFIXES: tuple[tuple[str, Format], ...] = (
    (".jsonl", "jsonl"),
    (".jsonl.gz", "jsonl"),
    (".ndjson", "jsonl"),
    (".parquet", "parquet"),
    (".warc", "warc"),
    (".warc.gz", "warc"),
)
#: Parquet columns that become Document fields (anything else is ignored).
PARQUET_COLUMNS = ("id", "text", "html", "url", "published", "title", "language", "source")
#: A row group up to this many shards long is read as one shard rather than re-read per slice.
_ROW_GROUP_SLACK = 4
_SCAN_CHUNK = 1 << 22
_LINE_PREFIX = "\x00line"
_LINE_NUMBER = re.compile(r"\bline (\d+)\b")


@dataclass(slots=True, frozen=True)
class Shard:
    """One unit of work. ``index`` is its place in input order (the order results are committed in)."""

    index: int
    url: str
    fmt: Format | None
    #: Byte offset (jsonl) or row offset within ``row_group`` (parquet); 0 for warc.
    start: int = 0
    #: Bytes (jsonl) or rows (parquet) to read; -1 for "to the end".
    length: int = -1
    #: Number (from 1) of the shard's first line/row, for default ids ``<file stem>:<number>``.
    first_number: int = 1
    row_group: int | None = None
    #: Set when the input cannot be read at all: the shard yields one failure and nothing else.
    error: str | None = None

    @property
    def stem(self) -> str:
        return input_stem(self.url)

    @property
    def label(self) -> str:
        return f"{self.url}[{self.fmt}:{self.start}+{self.length}]"


def input_stem(url: str) -> str:
    """``s3://bucket/2024/part-01.jsonl.gz`` → ``part-01`` (the default id prefix, as for ingest)."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    for suffix, _ in sorted(_SUFFIXES, key=lambda item: -len(item[0])):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def input_format(url: str) -> Format | None:
    lowered = url.lower()
    for suffix, fmt in _SUFFIXES:
        if lowered.endswith(suffix):
            return fmt
    return None


def _is_compressed(url: str) -> bool:
    return url.lower().endswith(".gz")


# ---------------------------------------------------------------- discovery
def expand_inputs(inputs: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """(file URL, error) for every input: folders and globs expanded, sorted; missing ones flagged."""
    for given in inputs:
        try:
            fs, path = url_to_fs(given)
        except (ImportError, ValueError) as err:  # e.g. s3:// without s3fs installed
            yield given, str(InputError(f"cannot open {given}: {err}"))
            continue
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        prefix = "" if protocol in ("file", "local") else f"{protocol}://"
        try:
            if any(ch in path for ch in "*?["):
                found = sorted(p for p in fs.glob(path) if not p.rsplit("/", 1)[-1].startswith("."))
            elif fs.isdir(path):
                found = sorted(p for p in fs.find(path) if input_format(p) and not _hidden(p, path))
            elif fs.exists(path):
                found = [path]
            else:
                yield given, str(FetchError(f"no such file or folder: {given}"))
                continue
        except OSError as err:
            yield given, str(FetchError(f"cannot list {given}: {err}"))
            continue
        for file in found:
            yield (file if not prefix else prefix + file.removeprefix(prefix)), None


def _hidden(path: str, root: str) -> bool:
    relative = path[len(root) :].strip("/")
    return any(part.startswith(".") for part in relative.split("/"))


def plan_shards(inputs: Sequence[str], shard_size: int = DEFAULT_SHARD_SIZE) -> Iterator[Shard]:
    """Shards of at most ``shard_size`` documents (WARC and compressed JSONL: one per file)."""
    index = 0
    for url, error in expand_inputs(inputs):
        fmt = input_format(url)
        if error is None and fmt is None:
            supported = ", ".join(suffix for suffix, _ in _SUFFIXES)
            error = str(InputError(f"unsupported input {url}; supported: {supported}"))
        if error is not None:
            yield Shard(index, url, fmt, error=error)
            index += 1
            continue
        assert fmt is not None
        try:
            pieces = list(_plan_file(url, fmt, shard_size))
        except (OSError, ValueError) as err:  # unreadable footer, permission denied…
            pieces = [Shard(0, url, fmt, error=str(FetchError(f"cannot read {url}: {err}")))]
        for piece in pieces:
            yield dataclasses.replace(piece, index=index)
            index += 1


def _plan_file(url: str, fmt: Format, shard_size: int) -> Iterator[Shard]:
    if fmt == "warc" or (fmt == "jsonl" and _is_compressed(url)):
        yield Shard(0, url, fmt)
    elif fmt == "jsonl":
        yield from _plan_jsonl(url, shard_size)
    else:
        yield from _plan_parquet(url, shard_size)


def _plan_jsonl(url: str, shard_size: int) -> Iterator[Shard]:
    """Byte ranges of ``shard_size`` lines each, found by one pass counting newlines."""
    fs, path = url_to_fs(url)
    starts = [(0, 1)]
    lines = 0
    offset = 0
    with fs.open(path, "rb") as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            position = chunk.find(b"\n")
            while position != -1:
                lines += 1
                if lines % shard_size == 0:
                    starts.append((offset + position + 1, lines + 1))
                position = chunk.find(b"\n", position + 1)
            offset += len(chunk)
    size = offset
    bounds = [(s, n) for s, n in starts if s < size] or [(0, 1)]
    for (start, number), (end, _) in zip(bounds, [*bounds[1:], (size, 0)], strict=True):
        yield Shard(0, url, "jsonl", start=start, length=end - start, first_number=number)


def _plan_parquet(url: str, shard_size: int) -> Iterator[Shard]:
    """One shard per row group, split in slices when a group is much longer than a shard."""
    fs, path = url_to_fs(url)
    with fs.open(path, "rb") as stream:
        metadata = pq.ParquetFile(stream).metadata
    number = 1
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        step = rows if rows <= _ROW_GROUP_SLACK * shard_size else shard_size
        for start in range(0, rows, max(step, 1)):
            length = min(step, rows - start)
            yield Shard(0, url, "parquet", start=start, length=length, first_number=number, row_group=group)
            number += length


# ---------------------------------------------------------------- reading (worker side)
Item = Document | InputFailure


def read_shard(shard: Shard, *, max_bytes: int = MAX_DOCUMENT_SIZE) -> Iterator[Item]:
    """The shard's documents in order; what cannot be read becomes an InputFailure, never an exception."""
    if shard.error is not None:
        yield InputFailure(shard.stem, shard.error, shard.url)
        return
    try:
        if shard.fmt == "jsonl":
            yield from _read_jsonl(shard, max_bytes)
        elif shard.fmt == "parquet":
            yield from _read_parquet(shard, max_bytes)
        elif shard.fmt == "warc":
            yield from _read_warc(shard, max_bytes)
        else:
            yield InputFailure(shard.stem, str(InputError(f"unsupported input {shard.url}")), shard.url)
    except (OSError, ValueError) as err:
        # The part read so far stands; the rest of the shard is one failure with the shard's name.
        failure = FetchError(f"cannot read {shard.label}: {err}")
        yield InputFailure(f"{shard.stem}@{shard.first_number}", str(failure), shard.url)


class _ByteRange:
    """``readline`` over ``length`` bytes of a stream, so the JSON-lines reader stops at the shard end."""

    def __init__(self, stream: IO[bytes], length: int) -> None:
        self._stream = stream
        self._left = length if length >= 0 else 1 << 62

    def readline(self, limit: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if limit < 0 else min(limit, self._left)
        line = self._stream.readline(size)
        self._left -= len(line)
        return line


def _read_jsonl(shard: Shard, max_bytes: int) -> Iterator[Item]:
    fs, path = url_to_fs(shard.url)
    compression = "gzip" if _is_compressed(shard.url) else None
    with fs.open(path, "rb", compression=compression) as stream:
        if shard.start:
            stream.seek(shard.start)
        for item in iter_jsonl(
            _ByteRange(stream, shard.length),  # type: ignore[arg-type]
            id_prefix=_LINE_PREFIX,
            path=shard.url,
            max_bytes=max_bytes,
        ):
            yield _renumber(item, shard)


def _renumber(item: Item, shard: Shard) -> Item:
    """Default ids (and error messages) count lines within the shard; make them count within the file."""
    offset = shard.first_number - 1
    new_id = item.id
    if item.id.startswith(_LINE_PREFIX + ":"):
        new_id = f"{shard.stem}:{int(item.id.rsplit(':', 1)[1]) + offset}"
    if isinstance(item, Document):
        item.id = new_id
        return item
    error = _LINE_NUMBER.sub(lambda m: f"line {int(m.group(1)) + offset}", item.error, count=1)
    return dataclasses.replace(item, id=new_id, error=error)


def _read_parquet(shard: Shard, max_bytes: int) -> Iterator[Item]:
    fs, path = url_to_fs(shard.url)
    with fs.open(path, "rb") as stream:
        parquet = pq.ParquetFile(stream)
        columns = [c for c in PARQUET_COLUMNS if c in parquet.schema_arrow.names]
        table = parquet.read_row_group(shard.row_group or 0, columns=columns)
    if shard.length >= 0:
        table = table.slice(shard.start, shard.length)
    for offset, row in enumerate(table.to_pylist()):
        yield _document_from_row(row, f"{shard.stem}:{shard.first_number + offset}", shard.url, max_bytes)


def _document_from_row(row: dict[str, Any], default_id: str, url: str, max_bytes: int) -> Item:
    document = document_from_dict(row, default_id=default_id)
    body = document.text if document.text and document.text.strip() else document.html
    if not body or not body.strip():
        return InputFailure(document.id, str(EmptyDocument("the row has neither 'text' nor 'html'")), url)
    if len(body) > max_bytes:
        message = f"the row has {len(body):,} characters, more than the limit of {max_bytes:,}"
        return InputFailure(document.id, str(InputError(message)), url)
    return document


def _read_warc(shard: Shard, max_bytes: int) -> Iterator[Item]:
    fs, path = url_to_fs(shard.url)
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol in ("file", "local"):
        yield from _warc_items(Path(path), shard, max_bytes)
        return
    # warcio wants a seekable local file; a remote archive is copied to local scratch first.
    with tempfile.TemporaryDirectory(prefix="dm-warc-") as scratch:
        local = Path(scratch) / os.path.basename(path)
        with fs.open(path, "rb") as remote, local.open("wb") as out:
            shutil.copyfileobj(remote, out, 1 << 20)
        yield from _warc_items(local, shard, max_bytes)


def _warc_items(path: Path, shard: Shard, max_bytes: int) -> Iterator[Item]:
    for number, item in enumerate(read_warc(path, max_bytes=max_bytes), start=1):
        if isinstance(item, DMError):
            yield InputFailure(item.url or f"{shard.stem}#{number}", str(item), shard.url)
        else:
            item.source = shard.url
            yield item
