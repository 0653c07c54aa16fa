"""RSS/Atom feeds → the article links they list (each fetched later like any URL).

feedparser is lenient but not hardened: before it sees a byte, defusedxml parses the feed with
DTDs forbidden, so entity-expansion attacks (billion laughs, external entities) are refused with
a clear error instead of eating memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from displacement_monitor.errors import FetchError
from displacement_monitor.model import parse_date


@dataclass(slots=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: Any = None
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry]


def refuse_unsafe_xml(body: bytes, *, url: str | None = None) -> None:
    """Raise FetchError if the XML declares a DTD or entities; malformed XML is left to the parser."""
    try:
        safe_fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise FetchError(
            f"refusing XML with a DTD or entity declarations ({type(err).__name__})", url=url
        ) from err
    except ParseError:
        pass


def parse_feed(body: bytes, *, url: str | None = None) -> Feed:
    """The entries of an RSS/Atom document; a feed with no readable entry is an error."""
    refuse_unsafe_xml(body, url=url)
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            FeedEntry(
                url=str(link),
                title=entry.get("title"),
                published=parse_date(
                    f"{published.tm_year:04d}-{published.tm_mon:02d}-{published.tm_mday:02d}"
                )
                if published
                else None,
                hints={"feed_entry_id": entry.get("id")} if entry.get("id") else {},
            )
        )
    if not entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise FetchError(f"malformed feed: {reason}", url=url)
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return Feed(title=title, entries=entries)
