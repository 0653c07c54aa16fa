"""GDELT Global Knowledge Graph 2.x files → article URLs with GDELT's own annotations as hints.

A GKG line has 27 tab-separated columns. We keep the document URL (``V2DocumentIdentifier``), the
date (``V2.1DATE``), the source (``V2SourceCommonName``) and, as hints for later stages, the
``V2.1Counts`` and ``V2EnhancedLocations`` columns. Lines that are not web articles (collection
other than 1) or are short are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from displacement_monitor.errors import DocumentTooLarge, InputError

GKG_COLUMNS = 27
COL_RECORD_ID, COL_DATE, COL_COLLECTION, COL_SOURCE, COL_URL = 0, 1, 2, 3, 4
COL_V2COUNTS, COL_V2THEMES, COL_V2LOCATIONS = 6, 8, 10
WEB_COLLECTION = "1"
#: A 15-minute GKG file is tens of MB unzipped; anything far larger is a zip bomb, not data.
MAX_UNZIPPED_BYTES = 500_000_000


@dataclass(slots=True)
class GkgRecord:
    record_id: str
    url: str
    published: dt.date | None
    source: str | None
    hints: dict[str, Any] = field(default_factory=dict)


def _date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return None


def parse_gkg_line(line: str) -> GkgRecord | None:
    """One GKG record, or None for lines that are not web articles with a URL."""
    columns = line.rstrip("\r\n").split("\t")
    if len(columns) < COL_V2LOCATIONS + 1:
        return None
    url = columns[COL_URL].strip()
    if columns[COL_COLLECTION].strip() not in (WEB_COLLECTION, "") or not url.startswith(
        ("http://", "https://")
    ):
        return None
    return GkgRecord(
        record_id=columns[COL_RECORD_ID],
        url=url,
        published=_date(columns[COL_DATE]),
        source=columns[COL_SOURCE] or None,
        hints={
            "gdelt_record_id": columns[COL_RECORD_ID],
            "gdelt_v2counts": columns[COL_V2COUNTS],
            "gdelt_v2locations": columns[COL_V2LOCATIONS],
            "gdelt_v2themes": columns[COL_V2THEMES],
        },
    )


def _unzip_limited(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The member's bytes, read in chunks and refused past ``limit`` (the header's size can lie)."""
    if archive.getinfo(name).file_size > limit:
        raise DocumentTooLarge(f"GKG zip member {name!r} unzips to over {limit:,} bytes")
    out = bytearray()
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            out.extend(chunk)
            if len(out) > limit:
                raise DocumentTooLarge(f"GKG zip member {name!r} unzips to over {limit:,} bytes")
    return bytes(out)


def _text_of(data: bytes, max_unzipped: int = MAX_UNZIPPED_BYTES) -> str:
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if not n.endswith("/")]
                if not names:
                    raise InputError("GKG zip archive is empty")
                data = _unzip_limited(archive, names[0], max_unzipped)
        except zipfile.BadZipFile as err:
            raise InputError(f"GKG file is not a valid zip: {err}") from err
    # GDELT writes UTF-8; a stray byte must not lose the whole file.
    return data.decode("utf-8", errors="replace")


def parse_gkg(data: bytes, *, max_unzipped: int = MAX_UNZIPPED_BYTES) -> Iterator[GkgRecord]:
    """Every web-article record of a GKG file (plain or zipped), URLs deduplicated."""
    seen: set[str] = set()
    for line in _text_of(data, max_unzipped).splitlines():
        record = parse_gkg_line(line)
        if record is not None and record.url not in seen:
            seen.add(record.url)
            yield record
