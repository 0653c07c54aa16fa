"""Hostile inputs: XML entity attacks in feeds, zip bombs in GDELT files, links to local files."""

from __future__ import annotations

import io
import resource
import zipfile
from pathlib import Path

import pytest

from displacement_monitor.errors import BlockedAddress, DMError, DocumentTooLarge, FetchError, InputError
from displacement_monitor.ingest.feeds import parse_feed
from displacement_monitor.ingest.gdelt import parse_gkg
from displacement_monitor.ingest.runner import IngestSources, run_ingest
from displacement_monitor.ingest.web import Fetcher

_LEVELS = "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)).replace(
    "&lol0;", "lol"
)
BILLION_LAUGHS = (
    f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{_LEVELS}]>\n'
    '<rss version="2.0"><channel><title>&lol9;</title>'
    "<item><title>&lol9;</title><link>https://example.org/a</link></item></channel></rss>"
).encode()
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><title>t</title>'
    b"<item><title>&x;</title><link>https://example.org/&x;</link></item></channel></rss>"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b'<rss version="2.0"><channel><item><link>https://example.org/b</link></item></channel></rss>'
)


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, XXE, EXTERNAL_DTD, BILLION_LAUGHS.decode().encode("utf-16")]
)
def test_feed_with_dtd_or_entities_is_refused(body: bytes) -> None:
    with pytest.raises(FetchError, match="DTD"):
        parse_feed(body)


@pytest.mark.parametrize(
    "body",
    [
        b"\x00junk" + BILLION_LAUGHS,
        b"  \n" + BILLION_LAUGHS,
        b'<?xml version="1.0"?>' + BILLION_LAUGHS,
        b"x" + XXE,
    ],
)
def test_malformed_feed_hiding_a_dtd_never_expands_entities(body: bytes) -> None:
    """XML the strict check cannot parse goes to feedparser's lenient parser, which must not expand."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        feed = parse_feed(body)
    except DMError:
        return
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50
    for value in [feed.title or ""] + [f"{e.title} {e.url}" for e in feed.entries]:
        assert len(value) < 1000
        assert "root:" not in value


def test_feed_links_to_local_files_are_not_followed() -> None:
    feed = parse_feed(
        b'<rss version="2.0"><channel><item><title>a</title><link>file:///etc/passwd</link></item>'
        b"<item><title>b</title><link>http://169.254.169.254/latest/</link></item></channel></rss>"
    )
    with Fetcher() as fetcher:
        for entry in feed.entries:
            with pytest.raises(BlockedAddress):
                fetcher.fetch(entry.url)


def _zip(payload_size: int) -> bytes:
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    with archive, archive.open("bomb.csv", "w", force_zip64=True) as member:
        for _ in range(payload_size >> 20):
            member.write(b"\0" * (1 << 20))
    return buffer.getvalue()


def test_gdelt_zip_bomb_is_refused_without_inflating_it() -> None:
    bomb = _zip(64 << 20)  # 64 MB of zeros in ~64 kB
    assert len(bomb) < 200_000
    with pytest.raises(DocumentTooLarge):
        list(parse_gkg(bomb, max_unzipped=8 << 20))


def test_gdelt_zip_bomb_with_a_lying_size_header_is_cut_off() -> None:
    bomb = bytearray(_zip(16 << 20))
    # claim a tiny uncompressed size in the central directory: reading must still stop at the limit
    central = bomb.rfind(b"PK\x01\x02")
    bomb[central + 24 : central + 28] = (100).to_bytes(4, "little")
    with pytest.raises((DocumentTooLarge, InputError)):
        list(parse_gkg(bytes(bomb), max_unzipped=4 << 20))


def test_gdelt_small_zip_still_reads() -> None:
    line = "\t".join(["1", "20240301000000", "1", "example.org", "https://example.org/a"] + [""] * 22)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("gkg.csv", line + "\n")
    assert [r.url for r in parse_gkg(buffer.getvalue())] == ["https://example.org/a"]


def test_jsonl_urls_and_ids_do_not_touch_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read 4,000 people displaced")
    source = tmp_path / "input.jsonl"
    source.write_text(
        f'{{"id": "../../escape", "url": "file://{secret}", "text": "Plain words here."}}\n'
        f'{{"id": "only-url", "url": "file://{secret}"}}\n'
    )
    summary = run_ingest(IngestSources(input=source), database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert summary.processed + summary.failed == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite", "input.jsonl", "secret.txt"]
