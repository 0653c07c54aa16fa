"""Builders for hand-written extraction results (places and figures are invented)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from displacement_monitor.model import DateSpan, ExtractionResult, Fact, Location

#: Invented places: two neighbourhoods of one city, the city, a distant town, a province.
PLACES: dict[str, Location] = {
    "north quarter": Location(
        "North Quarter",
        lat=10.02,
        lon=20.01,
        admin1="Riverland",
        country_iso3="AAA",
        precision="neighbourhood",
    ),
    "old town": Location(
        "Old Town", lat=10.00, lon=20.03, admin1="Riverland", country_iso3="AAA", precision="neighbourhood"
    ),
    "rivercity": Location(
        "Rivercity", lat=10.01, lon=20.02, admin1="Riverland", country_iso3="AAA", precision="city"
    ),
    "farport": Location(
        "Farport", lat=14.5, lon=25.0, admin1="Coastland", country_iso3="AAA", precision="city"
    ),
    "riverland": Location(
        "Riverland", lat=10.3, lon=20.2, admin1="Riverland", country_iso3="AAA", precision="admin1"
    ),
    "country": Location("Aland", country_iso3="AAA", precision="country"),
}


def fact(
    figure: int | None = 100,
    *,
    place: str = "north quarter",
    term: str = "evacuated",
    unit: str = "person",
    qualifier: str = "exact",
    modality: str = "reported",
    quote: str = "",
    day: dt.date | None = None,
    figure_min: int | None = None,
    figure_max: int | None = None,
) -> Fact:
    location = PLACES[place]
    return Fact(
        figure=figure,
        figure_min=figure if figure_min is None else figure_min,
        figure_max=figure if figure_max is None else figure_max,
        qualifier=qualifier,  # type: ignore[arg-type]
        unit=unit,  # type: ignore[arg-type]
        term=term,  # type: ignore[arg-type]
        modality=modality,  # type: ignore[arg-type]
        quote=quote or f"{figure} people left {location.name}",
        start=0,
        end=10,
        location=Location(**{k: getattr(location, k) for k in location.__slots__}),
        country_iso3=location.country_iso3,
        date=DateSpan(day, day, "day") if day else None,
    )


def result(
    article_id: str,
    published: dt.date | None,
    *facts: Fact,
    cause: str = "conflict",
    hazard: str = "conflict",
    title: str = "",
    **extra: Any,
) -> ExtractionResult:
    return ExtractionResult(
        id=article_id,
        relevant=True,
        cause=cause,  # type: ignore[arg-type]
        hazard=hazard,  # type: ignore[arg-type]
        country_iso3=extra.pop("country_iso3", "AAA"),
        published=published,
        title=title,
        facts=list(facts),
        **extra,
    )
