"""Fetching from the web without becoming a proxy into the network we run in.

Every request — and every redirect hop — resolves the host first and refuses private, loopback,
link-local (incl. the 169.254.169.254 metadata service), multicast, reserved and unspecified
addresses and any scheme but http(s). Bodies are streamed under a size cap and a total deadline,
so a slow drip or a huge file is an error, not a stuck worker.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from displacement_monitor.errors import BlockedAddress, DMError, DocumentTooLarge, FetchError

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/x-rss+xml",
)
ARCHIVE_TYPES = (
    "text/plain",
    "text/csv",
    "text/tab-separated-values",
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
)
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.IGNORECASE)


@dataclass(slots=True)
class FetchPolicy:
    """Limits of one fetch; defaults suit news pages."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: Whole request including the body: a server dripping bytes slowly is cut off here.
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_loopback: bool = False
    user_agent: str = "displacement-monitor/0.1 (+https://github.com/displacement-monitor)"


@dataclass(slots=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    charset: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The body decoded: BOM, UTF-8, declared or meta charset, then detection (see files.py).

        A wrong declared charset is recovered when another encoding fits; binary or undecodable
        bodies raise InputError subclasses with the URL attached.
        """
        from displacement_monitor.ingest.files import decode_bytes

        try:
            return decode_bytes(self.body, html=self.content_type != "text/plain", declared=self.charset)
        except DMError as err:
            err.url = self.url
            raise


def check_address(address: str, *, allow_loopback: bool = False) -> None:
    """Raise BlockedAddress unless ``address`` is a public unicast IP."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 carried inside IPv6 (mapped ::ffff:a.b.c.d, 6to4 2002:…, Teredo) is judged as that IPv4
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            check_address(str(embedded), allow_loopback=allow_loopback)
            if ip.ipv4_mapped is not None:
                return
    if ip.is_loopback:
        if allow_loopback:
            return
        raise BlockedAddress(f"refusing loopback address {ip}")
    if ip.is_link_local:
        raise BlockedAddress(f"refusing link-local/metadata address {ip}")
    if ip.is_private or ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        raise BlockedAddress(f"refusing non-public address {ip}")


def check_url(url: str, *, allow_loopback: bool = False) -> None:
    """Refuse non-http(s) URLs and hosts that resolve to any non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"refusing scheme {parts.scheme or '(none)'!r}: only http and https", url=url)
    host = parts.hostname
    if not host:
        raise BlockedAddress("URL has no host", url=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as err:
        raise FetchError(f"invalid port in {url}", url=url) from err
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise FetchError(f"cannot resolve {host}: {err.strerror}", url=url) from err
    for info in infos:
        try:
            check_address(str(info[4][0]), allow_loopback=allow_loopback)
        except BlockedAddress as err:
            raise BlockedAddress(f"{host}: {err.message}", url=url) from None


def canonical_url(url: str) -> str:
    """The URL as an identity key: lower-case host, no fragment, default port or tracking params."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _TRACKING_PARAMS.match(pair.split("=", 1)[0])
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))


def media_type(content_type: str) -> tuple[str, str | None]:
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    return media.strip().lower(), charset


class Fetcher:
    """An httpx client wrapped in the SSRF guard and the limits of ``FetchPolicy``."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        timeout = httpx.Timeout(
            self.policy.read_timeout, connect=self.policy.connect_timeout, pool=self.policy.connect_timeout
        )
        self._client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": self.policy.user_agent},
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self, url: str, *, accept: tuple[str, ...] = HTML_TYPES, max_bytes: int | None = None
    ) -> Fetched:
        """GET ``url`` following at most ``max_redirects`` hops, each re-checked by the guard."""
        limit = max_bytes or self.policy.max_bytes
        deadline = time.monotonic() + self.policy.total_timeout
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            check_url(current, allow_loopback=self.policy.allow_loopback)
            try:
                with self._client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"redirect without Location from {current}", url=url)
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} from {current}", url=url)
                    media, charset = media_type(response.headers.get("content-type", ""))
                    if media and accept and media not in accept:
                        raise FetchError(f"unexpected content type {media!r} from {current}", url=url)
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > limit:
                        raise DocumentTooLarge(
                            f"{current} is {declared} bytes, over the {limit} limit", url=url
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > limit:
                            raise DocumentTooLarge(f"{current} is over the {limit}-byte limit", url=url)
                        if time.monotonic() > deadline:
                            raise FetchError(
                                f"timeout: {current} took over {self.policy.total_timeout:g}s", url=url
                            )
                    return Fetched(
                        url=url,
                        final_url=current,
                        content_type=media,
                        charset=charset,
                        body=bytes(body),
                        headers=dict(response.headers),
                    )
            except httpx.TimeoutException as err:
                raise FetchError(f"timeout fetching {current}: {type(err).__name__}", url=url) from err
            except httpx.HTTPError as err:
                raise FetchError(f"cannot fetch {current}: {err}", url=url) from err
        raise FetchError(f"more than {self.policy.max_redirects} redirects from {url}", url=url)
