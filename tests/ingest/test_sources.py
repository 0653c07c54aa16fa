"""Feeds, GDELT GKG files, WARC archives and URLs ingested end to end over loopback HTTP."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_monitor.errors import FetchError
from displacement_monitor.ingest.feeds import parse_feed
from displacement_monitor.ingest.gdelt import GKG_COLUMNS, parse_gkg, parse_gkg_line
from displacement_monitor.ingest.runner import IngestSources, run_ingest
from displacement_monitor.ingest.web import FetchPolicy
from displacement_monitor.store import open_store

from .helpers import Route, cleaning_processor, page, serve, story

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title></channel></rss>"""


def _rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Story {p}</title><link>{base}{p}</link>"
        f"<pubDate>Mon, 04 May 2020 10:00:00 GMT</pubDate><guid>{p}</guid></item>"
        for p in paths
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley News</title>'
    return f"{head}{items}</channel></rss>".encode()


def _gkg_line(n: int, url: str) -> str:
    columns = [""] * GKG_COLUMNS
    columns[0] = f"20200504100000-{n}"
    columns[1] = "20200504100000"
    columns[2] = "1"
    columns[3] = "valley.example"
    columns[4] = url
    columns[6] = "AFFECT#1000#people#1#Riverton, North, Examplestan#EX#EX01#12.5#-3.25#-1#100"
    columns[10] = "4#Riverton, North, Examplestan#EX#EX01#12.5#-3.25#-1#100"
    return "\t".join(columns)


ROUTES: dict[str, Route] = {
    **{f"/story/{n}": Route(page(f"Story {n}", story(n))) for n in range(6)},
    "/broken": Route(b"<html><body><div><p>Unclosed <b>tags <i>everywhere</div><td>" + story(40).encode()),
    "/empty": Route(b"<html><body></body></html>"),
    "/metadata-redirect": Route(b"", status=302, headers={"Location": "http://169.254.169.254/"}),
    "/feed-bomb": Route(BILLION_LAUGHS, "application/rss+xml"),
    "/feed-malformed": Route(b"<rss><channel><title>oops</ch", "application/rss+xml"),
    "/feed-html": Route(b"<html>not a feed</html>", "text/html"),
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve(ROUTES) as url:
        ROUTES["/feed"] = Route(
            _rss(url, ["/story/0", "/story/1", "/broken", "/empty"]), "application/rss+xml"
        )
        ROUTES["/feed-slash"] = Route(
            _rss(url, ["/story/1", "/story/2"]), "application/rss+xml; charset=utf-8"
        )
        gkg = "\n".join(
            [
                _gkg_line(3, f"{url}/story/3"),
                _gkg_line(4, f"{url}/story/4"),
                "short\tline",
                _gkg_line(9, "none"),
            ]
        )
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("20200504.gkg.csv", gkg)
        ROUTES["/gkg.zip"] = Route(archive.getvalue(), "application/zip")
        ROUTES["/gkg.csv"] = Route(gkg.encode(), "text/plain")
        yield url


def _run(db_url: str, sources: IngestSources):
    policy = FetchPolicy(read_timeout=2, total_timeout=3)
    return run_ingest(
        sources,
        database_url=db_url,
        allow_loopback=True,
        fetch_policy=policy,
        pipeline_factory=cleaning_processor,
    )


def test_sources_feed_entries_fetched_and_stored(db_url: str, base: str) -> None:
    summary = _run(db_url, IngestSources(feeds=[f"{base}/feed", f"{base}/feed-slash"]))
    assert summary.seen == 6 and summary.skipped == 1  # /story/1 is in both feeds
    store = open_store(db_url)
    stored = store.get_result(f"{base}/story/0")
    assert stored is not None and stored.result.title == "Story /story/0"
    assert stored.result.facts[0].figure == 1000
    broken = store.get_result(f"{base}/broken")
    assert broken is not None and broken.status == "processed"  # broken HTML is still read
    empty = store.get_result(f"{base}/empty")
    assert empty is not None and empty.result.facts == []  # stored, whatever cleaning made of it
    store.close()
    again = _run(db_url, IngestSources(feeds=[f"{base}/feed"]))
    assert again.skipped == 4 and again.processed == 0


@pytest.mark.parametrize("path", ["/feed-bomb", "/feed-malformed", "/feed-html", "/nowhere"])
def test_sources_bad_feed_is_a_recorded_error(db_url: str, base: str, path: str) -> None:
    summary = _run(db_url, IngestSources(feeds=[base + path, f"{base}/feed-slash"]))
    assert base + path in summary.source_errors
    assert summary.processed == 2, "the other feed still goes through"
    store = open_store(db_url)
    assert base + path in store.source_errors()
    store.close()


def test_sources_billion_laughs_refused_quickly() -> None:
    with pytest.raises(FetchError, match="DTD or entity"):
        parse_feed(BILLION_LAUGHS)


def test_sources_gdelt_local_and_remote_keep_hints(db_url: str, base: str, tmp_path: Path) -> None:
    local = tmp_path / "local.gkg.csv"
    local.write_text(_gkg_line(5, f"{base}/story/5") + "\n", encoding="utf-8")
    summary = _run(db_url, IngestSources(gdelt=[f"{base}/gkg.zip", str(local), f"{base}/gkg.csv"]))
    assert summary.processed == 3 and summary.skipped == 2
    store = open_store(db_url)
    stored = store.get_result(f"{base}/story/3")
    assert stored is not None
    assert stored.result.published is not None and stored.result.published.isoformat() == "2020-05-04"
    exported = list(store.iter_stored_results())
    assert len(exported) == 3
    store.close()


def test_sources_urls_failures_recorded_batch_continues(db_url: str, base: str) -> None:
    urls = [f"{base}/story/2", f"{base}/metadata-redirect", "file:///etc/passwd", f"{base}/nowhere"]
    summary = _run(db_url, IngestSources(paths=urls))
    assert (summary.processed, summary.failed) == (1, 3)
    store = open_store(db_url)
    errors = {r.id: r.error or "" for r in store.iter_results(status="failed")}
    assert "DM201" in errors[f"{base}/metadata-redirect"] and "DM201" in errors["file:///etc/passwd"]
    assert "404" in errors[f"{base}/nowhere"]
    store.close()


def test_sources_warc_html_responses(db_url: str, tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, content_type, body in [
            ("https://valley.example/a", "text/html; charset=utf-8", page("A", story(11))),
            ("https://valley.example/img.png", "image/png", b"\x89PNG"),
            ("https://valley.example/b", "text/html", page("B", story(12))),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2020-05-04T10:00:00Z"},
            )
            writer.write_record(record)
    summary = _run(db_url, IngestSources(warc=[path]))
    assert summary.processed == 2
    store = open_store(db_url)
    stored = store.get_result("https://valley.example/b")
    assert stored is not None and stored.result.facts[0].figure == 1012
    store.close()


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_sources_gkg_line_parser_never_crashes(line: str) -> None:
    record = parse_gkg_line(line)
    assert record is None or record.url.startswith(("http://", "https://"))


@given(st.binary(max_size=400))
@settings(max_examples=100, deadline=None)
def test_sources_feed_parser_fails_only_with_fetch_error(body: bytes) -> None:
    with contextlib.suppress(FetchError):
        parse_feed(body)


def test_sources_gkg_zip_and_dedup() -> None:
    text = "\n".join([_gkg_line(1, "https://a.example/1"), _gkg_line(2, "https://a.example/1")])
    assert [r.url for r in parse_gkg(text.encode())] == ["https://a.example/1"]
    record = parse_gkg_line(_gkg_line(1, "https://a.example/1"))
    assert record is not None and record.hints["gdelt_v2locations"].startswith("4#Riverton")
    assert record.hints["gdelt_v2counts"].startswith("AFFECT#1000")
