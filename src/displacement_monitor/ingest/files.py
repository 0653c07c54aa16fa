"""Local inputs → Documents: text and HTML files, JSON-lines files, folders and standard input.

A batch must survive its worst file: anything unreadable becomes an :class:`InputFailure` in the
stream (with the id the document would have had) and reading goes on. The byte decoding and the
JSON-lines reader are reused by the network sources (web pages, feeds, WARC records).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from displacement_monitor.errors import (
    BinaryDocument,
    DMError,
    DocumentTooLarge,
    EmptyDocument,
    FetchError,
    InputError,
    UndecodableDocument,
)
from displacement_monitor.model import Document, document_from_dict
from displacement_monitor.text.clean import MAX_DOCUMENT_SIZE

TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS
#: The path that means "read JSON lines from standard input".
STDIN_PATH = "-"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(slots=True, frozen=True)
class InputFailure:
    """An input that could not become a Document: reported in the output stream, never raised."""

    id: str
    error: str
    #: The file (or "-" for standard input) it came from.
    path: str | None = None


# ---------------------------------------------------------------- bytes → str
def decode_bytes(data: bytes, *, html: bool = False, declared: str | None = None) -> str:
    """Decode a document's bytes: BOM, UTF-8, the declared/meta charset, then detection.

    ``declared`` is a charset from outside (an HTTP header). Raises BinaryDocument for data with
    NUL bytes (other than UTF-16) and UndecodableDocument when no encoding fits.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise UndecodableDocument(f"invalid UTF-16: {err.reason} at byte {err.start}") from None
    if b"\x00" in data:
        raise BinaryDocument("the file contains NUL bytes: it is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared else []
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii", "ignore"))
    for charset in candidates:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return _detect_and_decode(data)


def _detect_and_decode(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a trafilatura dependency, but do not require it
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UndecodableDocument("the file is neither UTF-8 nor Windows-1252 text") from None
    best = from_bytes(data).best()
    if best is None:
        raise UndecodableDocument("no text encoding fits the file's bytes")
    return str(best)


# ---------------------------------------------------------------- one file
def _too_large(size: int, limit: int) -> DocumentTooLarge:
    return DocumentTooLarge(f"the input has {size:,} bytes, more than the limit of {limit:,}")


def read_document_file(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_SIZE) -> Document:
    """One .txt/.html/.htm file → Document (id = file name without extension). Raises DMError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_EXTENSIONS + HTML_EXTENSIONS:
        raise InputError(_unsupported(path))
    data = _read_limited(path, max_bytes)
    text = decode_bytes(data, html=suffix in HTML_EXTENSIONS)
    if not text.strip():
        raise EmptyDocument("the file is empty")
    hints = {"path": str(path)}
    if suffix in HTML_EXTENSIONS:
        return Document(id=path.stem, html=text, hints=hints)
    return Document(id=path.stem, text=text, hints=hints)


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (+1 to tell): a huge file is refused without loading it."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            data = stream.read(max_bytes + 1)  # st_size is 0 for pipes and some special files
    except OSError as err:
        raise FetchError(f"cannot read {path}: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    return data


def _unsupported(path: Path) -> str:
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    return f"unsupported file type {path.suffix or '(none)'!r} for {path}; supported: {supported}"


# ---------------------------------------------------------------- JSON lines
def _limited_lines(stream: IO[bytes] | IO[str], limit: int) -> Iterator[tuple[int, bytes | str | None]]:
    """(line number from 1, line) pairs; a line longer than ``limit`` comes as None, unread."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and line[-1:] not in ("\n", b"\n"):
            while True:  # skip the rest of the over-long line without holding it
                rest = stream.readline(1 << 20)
                if not rest or rest[-1:] in ("\n", b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def iter_jsonl(
    stream: IO[bytes] | IO[str],
    *,
    id_prefix: str,
    path: str | None = None,
    max_bytes: int = MAX_DOCUMENT_SIZE,
) -> Iterator[Document | InputFailure]:
    """One Document per JSON-object line (id defaults to ``{id_prefix}:{line number}``)."""
    for number, raw in _limited_lines(stream, max_bytes):
        default_id = f"{id_prefix}:{number}"
        if raw is None:
            yield InputFailure(default_id, str(_too_large(max_bytes + 1, max_bytes)) + " (line)", path)
            continue
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield InputFailure(
                    default_id, str(UndecodableDocument(f"line {number} is not UTF-8: {err.reason}")), path
                )
                continue
        else:
            line = raw.lstrip("\ufeff") if number == 1 else raw
        if not line.strip():
            continue
        yield _document_from_line(line, number, default_id, path)


def _document_from_line(line: str, number: int, default_id: str, path: str | None) -> Document | InputFailure:
    try:
        data: Any = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as err:
        message = getattr(err, "msg", "too deeply nested")
        return InputFailure(default_id, str(InputError(f"line {number} is not valid JSON: {message}")), path)
    if not isinstance(data, dict):
        kind = type(data).__name__
        return InputFailure(
            default_id, str(InputError(f"line {number} is a JSON {kind}, not an object")), path
        )
    document = document_from_dict(data, default_id=default_id)
    if not (document.text and document.text.strip()) and not (document.html and document.html.strip()):
        return InputFailure(
            document.id, str(EmptyDocument(f"line {number} has neither 'text' nor 'html'")), path
        )
    return document


# ---------------------------------------------------------------- many inputs
def _expand(path: Path) -> Iterator[Path]:
    """A folder's supported files, sorted, recursively (hidden entries and symlinked folders skipped)."""
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_EXTENSIONS:
                yield Path(folder) / name


def _read_file(path: Path, max_bytes: int) -> Iterator[Document | InputFailure]:
    suffix = path.suffix.lower()
    if suffix in JSONL_EXTENSIONS:
        yield from _read_jsonl_named(path, max_bytes)
        return
    try:
        yield read_document_file(path, max_bytes=max_bytes)
    except DMError as err:
        yield InputFailure(path.stem, str(err), str(path))


def read_inputs(
    paths: Sequence[str | Path] = (),
    jsonl_input: str | Path | None = None,
    stdin: TextIO | None = None,
    *,
    max_bytes: int = MAX_DOCUMENT_SIZE,
) -> Iterator[Document | InputFailure]:
    """Documents from files, folders, a JSON-lines file and/or standard input, in the order given.

    ``paths`` come first, then ``jsonl_input``; ``-`` (in either) reads JSON lines from ``stdin``
    (default ``sys.stdin``), once. Failures are yielded as InputFailure, never raised.
    """
    inputs: list[str | Path] = list(paths)
    if jsonl_input is not None:
        inputs.append(jsonl_input)
    stdin_read = False
    for given in inputs:
        if str(given) == STDIN_PATH:
            if not stdin_read:
                stdin_read = True
                yield from iter_jsonl(
                    stdin or sys.stdin, id_prefix="stdin", path=STDIN_PATH, max_bytes=max_bytes
                )
            continue
        path = Path(given)
        if given is jsonl_input and path.suffix.lower() not in JSONL_EXTENSIONS and path.is_file():
            # an explicit JSON-lines input is read as such whatever its name
            yield from _read_jsonl_named(path, max_bytes)
        elif path.is_dir():
            for file in _expand(path):
                yield from _read_file(file, max_bytes)
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                yield InputFailure(path.stem, str(InputError(_unsupported(path))), str(path))
            else:
                yield from _read_file(path, max_bytes)
        elif path.exists():
            yield InputFailure(
                path.stem, str(InputError(f"{path} is not a regular file or folder")), str(path)
            )
        else:
            yield InputFailure(
                path.stem or str(path), str(FetchError(f"no such file or folder: {path}")), str(path)
            )


def _read_jsonl_named(path: Path, max_bytes: int) -> Iterable[Document | InputFailure]:
    try:
        with path.open("rb") as stream:
            yield from iter_jsonl(stream, id_prefix=path.stem, path=str(path), max_bytes=max_bytes)
    except OSError as err:
        yield InputFailure(
            path.stem, str(FetchError(f"cannot read {path}: {err.strerror or err}")), str(path)
        )
