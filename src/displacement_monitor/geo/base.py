"""The interface extraction uses to place text on the map.

Extraction hands over the cleaned text and the place-like spans its NER found (and, when known, the
title and URL: a ``.com.au`` address or ``/report/chad/`` path is evidence of the country for
excerpts that name no place); a resolver returns
every place it can locate (with offsets) and the document's country. Anything implementing
``PlaceResolver`` can be plugged in (the offline gazetteer by default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from displacement_monitor.model import Location


@dataclass(slots=True, frozen=True)
class PlaceMention:
    """A span that may name a place: from NER (label GPE/LOC/FAC/…) or from patterns."""

    start: int
    end: int
    text: str
    label: str | None = None


@dataclass(slots=True)
class DocumentPlaces:
    """The places found in one document, in text order, and the country it is mostly about."""

    places: list[Location] = field(default_factory=list)
    country_iso3: str | None = None
    #: Evidence weight per country (ISO3 → score), for callers that need more than the winner.
    country_scores: dict[str, float] = field(default_factory=dict)


class PlaceResolver(Protocol):
    def resolve(
        self,
        text: str,
        mentions: Sequence[PlaceMention],
        *,
        language: str | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> DocumentPlaces: ...


class NullResolver:
    """Finds nothing: for tests and for users who switch geocoding off."""

    def resolve(
        self,
        text: str,
        mentions: Sequence[PlaceMention],
        *,
        language: str | None = None,
        title: str | None = None,
        url: str | None = None,
    ) -> DocumentPlaces:
        return DocumentPlaces()
