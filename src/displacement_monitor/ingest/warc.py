"""WARC archives → Documents, one per HTML response record (target URI and WARC date kept)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from displacement_monitor.errors import DMError, InputError
from displacement_monitor.ingest.files import decode_bytes
from displacement_monitor.ingest.web import media_type
from displacement_monitor.model import Document, parse_date

HTML_MEDIA = ("text/html", "application/xhtml+xml")


def read_warc(path: Path, *, max_bytes: int = 5_000_000) -> Iterator[Document | InputError]:
    """Documents of the HTML responses in ``path``; a bad record yields an error, not an exception."""
    try:
        stream = path.open("rb")
    except OSError as err:
        yield InputError(f"cannot read WARC {path}: {err.strerror}")
        return
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                media, charset = media_type(record.http_headers.get_header("Content-Type") or "")
                if media not in HTML_MEDIA:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield InputError(f"WARC record {uri} is over the {max_bytes}-byte limit", url=uri)
                    continue
                try:
                    html = decode_bytes(body, html=True, declared=charset)
                except DMError as err:
                    yield InputError(f"WARC record {uri}: {err.message}", url=uri)
                    continue
                yield Document(
                    id=uri or record.rec_headers.get_header("WARC-Record-ID"),
                    html=html,
                    url=uri,
                    published=parse_date(record.rec_headers.get_header("WARC-Date")),
                    source=path.name,
                )
        except ArchiveLoadFailed as err:
            yield InputError(f"{path} is not a readable WARC: {err}")
