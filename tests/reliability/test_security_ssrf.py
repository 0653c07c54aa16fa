"""SSRF guard: every way of spelling a non-public address is refused, before and after redirects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from displacement_monitor.errors import BlockedAddress, DMError, FetchError
from displacement_monitor.ingest.web import Fetcher, FetchPolicy, check_address, check_url

from .conftest import Routes

BLOCKED_URLS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hex
    "http://0x7f000001/",
    "http://127.1/",  # short form
    "http://0/",
    "http://0.0.0.0/",
    "http://localhost/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible (deprecated) IPv6
    "http://[2002:7f00:1::]/",  # 6to4 carrying 127.0.0.1 (was allowed: fixed in web.check_address)
    "http://[2002:a9fe:a9fe::]/",  # 6to4 carrying the metadata address
    "http://[64:ff9b::7f00:1]/",  # NAT64 carrying 127.0.0.1
    "http://evil.example@127.0.0.1/",  # userinfo trick: the host is what follows the @
    "http://user:pass@[::1]:8080/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[::ffff:a9fe:a9fe]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://１２７.０.０.１/",  # full-width digits (IDNA folds them to 127.0.0.1)
    "file:///etc/passwd",
    "gopher://127.0.0.1:25/",
    "ftp://127.0.0.1/",
    "dict://127.0.0.1:11211/",
    "http:///no-host",
]


@pytest.mark.parametrize("url", BLOCKED_URLS)
def test_check_url_refuses_non_public_targets(url: str) -> None:
    with pytest.raises(FetchError):  # BlockedAddress (DM201) or an unresolvable host (DM200)
        check_url(url)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1"])
def test_check_address_allows_public_addresses(address: str) -> None:
    check_address(address)


def test_check_address_allow_loopback_still_refuses_private_and_metadata() -> None:
    check_address("127.0.0.1", allow_loopback=True)
    check_address("::ffff:127.0.0.1", allow_loopback=True)
    for address in ("10.0.0.1", "169.254.169.254", "::ffff:a9fe:a9fe", "2002:a9fe:a9fe::"):
        with pytest.raises(BlockedAddress):
            check_address(address, allow_loopback=True)


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://2852039166/",  # 169.254.169.254 in decimal
        "http://10.1.2.3/admin",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
    ],
)
def test_fetch_redirect_to_internal_target_is_refused(
    loopback_server: Callable[[Routes], str], target: str
) -> None:
    base = loopback_server({"/start": (302, {"Location": target}, b"")})
    with Fetcher(FetchPolicy(allow_loopback=True)) as fetcher, pytest.raises(BlockedAddress):
        fetcher.fetch(f"{base}/start")


def test_fetch_loopback_refused_by_default(loopback_server: Callable[[Routes], str]) -> None:
    base = loopback_server({"/ok": (200, {}, b"<p>hello</p>")})
    with Fetcher() as fetcher, pytest.raises(BlockedAddress):
        fetcher.fetch(f"{base}/ok")


def test_fetch_redirect_chain_is_bounded(loopback_server: Callable[[Routes], str]) -> None:
    base = loopback_server({"/loop": (302, {"Location": "/loop"}, b"")})
    policy = FetchPolicy(allow_loopback=True, max_redirects=3)
    with Fetcher(policy) as fetcher, pytest.raises(DMError, match="redirects"):
        fetcher.fetch(f"{base}/loop")
