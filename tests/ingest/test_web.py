"""Fetching over real HTTP on loopback: SSRF guard, redirects, limits, charsets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from displacement_monitor.errors import BlockedAddress, DocumentTooLarge, FetchError, InputError
from displacement_monitor.ingest.web import Fetcher, FetchPolicy, canonical_url, check_address, check_url

from .helpers import Route, page, serve


def _slow(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(40):  # drips a little every 0.1 s: each read is fast, the whole is too slow
            handler.wfile.write(b"<p>x</p>")
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def _huge(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b"<p>" + b"a" * 65536 + b"</p>")
    except OSError:
        pass


LATIN1_PAGE = (
    "<p>Les familles déplacées à Gonaïves ont été hébergées dans des écoles. Selon la préfecture, "
    "les pluies diluviennes ont détruit des maisons près de la rivière, et les élèves sont rentrés "
    "chez eux. Les autorités ont annoncé une aide d'urgence pour la région touchée.</p>"
)

ROUTES = {
    "/ok": Route(page("Floods", "Water rose in the valley.")),
    "/latin1": Route(LATIN1_PAGE.encode("latin-1"), "text/html; charset=utf-8"),
    "/binary": Route(b"\x00\x01\x02\x03" * 100, "text/html"),
    "/pdf": Route(b"%PDF-1.4", "application/pdf"),
    "/redirect": Route(b"", status=302, headers={"Location": "/ok"}),
    "/loop": Route(b"", status=302, headers={"Location": "/loop"}),
    "/to-metadata": Route(b"", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
    "/to-private": Route(b"", status=301, headers={"Location": "http://10.1.2.3/admin"}),
    "/to-file": Route(b"", status=302, headers={"Location": "file:///etc/passwd"}),
    "/missing": Route(b"gone", status=404),
    "/slow": Route(_slow),
    "/huge": Route(_huge),
}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve(ROUTES) as url:
        yield url


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    policy = FetchPolicy(allow_loopback=True, read_timeout=1.0, total_timeout=1.5, max_bytes=200_000)
    with Fetcher(policy) as client:
        yield client


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "224.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
        "::ffff:10.0.0.1",
        "240.0.0.1",
        "fd00::1",
    ],
)
def test_web_guard_refuses_non_public_addresses(address: str) -> None:
    with pytest.raises(BlockedAddress):
        check_address(address)


def test_web_guard_allows_public_and_opt_in_loopback() -> None:
    check_address("93.184.216.34")
    check_address("2606:4700::1111")
    check_address("127.0.0.1", allow_loopback=True)
    with pytest.raises(BlockedAddress):
        check_address("169.254.169.254", allow_loopback=True)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x", "http://localhost/"]
)
def test_web_guard_refuses_schemes_and_local_names(url: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(url)


def test_web_loopback_refused_without_flag(base: str) -> None:
    with Fetcher(FetchPolicy()) as client, pytest.raises(BlockedAddress):
        client.fetch(f"{base}/ok")


def test_web_fetch_follows_redirects(base: str, fetcher: Fetcher) -> None:
    fetched = fetcher.fetch(f"{base}/redirect")
    assert fetched.final_url == f"{base}/ok" and "Water rose" in fetched.text()


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/to-metadata", BlockedAddress, "link-local"),
        ("/to-private", BlockedAddress, "non-public"),
        ("/to-file", BlockedAddress, "scheme"),
        ("/loop", FetchError, "redirects"),
        ("/missing", FetchError, "HTTP 404"),
        ("/pdf", FetchError, "content type"),
        ("/slow", FetchError, "timeout"),
        ("/huge", DocumentTooLarge, "limit"),
    ],
)
def test_web_fetch_failures_are_clear(
    base: str, fetcher: Fetcher, path: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        fetcher.fetch(base + path)


def test_web_wrong_charset_is_recovered_binary_refused(base: str, fetcher: Fetcher) -> None:
    assert "déplacées à Gonaïves" in fetcher.fetch(f"{base}/latin1").text()
    with pytest.raises(InputError, match=r"DM102|binary"):
        fetcher.fetch(f"{base}/binary").text()


def test_web_canonical_url_is_an_identity_key() -> None:
    assert (
        canonical_url("HTTPS://News.Example.org:443/a?utm_source=x&id=3#frag")
        == "https://news.example.org/a?id=3"
    )
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/x") == "http://example.org:8080/x"
