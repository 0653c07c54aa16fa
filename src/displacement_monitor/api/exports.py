"""Export shapes: CSV, HXL-tagged CSV, GeoJSON and IDMC IDU-like JSON, for facts and events.

HXL puts a row of hashtags under the header so humanitarian tools recognise each column; the IDU
shape follows the public Internal Displacement Updates feed so its consumers can read ours.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from displacement_monitor.api.schemas import FactOut
from displacement_monitor.events.naming import country_name
from displacement_monitor.events.triangulate import household_size
from displacement_monitor.model import Event

#: (column, HXL hashtag) of the fact CSV exports.
FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fact_id", "#meta+id"),
    ("article_id", "#meta+article+id"),
    ("iso3", "#country+code"),
    ("country", "#country+name"),
    ("location", "#loc+name"),
    ("admin1", "#adm1+name"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("date_start", "#date+displacement+start"),
    ("date_end", "#date+displacement+end"),
    ("figure", "#affected+displaced"),
    ("figure_min", "#affected+displaced+min"),
    ("figure_max", "#affected+displaced+max"),
    ("unit", "#indicator+unit"),
    ("term", "#indicator+term"),
    ("qualifier", "#indicator+qualifier"),
    ("modality", "#indicator+modality"),
    ("cause", "#crisis+type"),
    ("hazard", "#crisis+hazard"),
    ("review_status", "#status+review"),
    ("quote", "#description+evidence"),
    ("source_url", "#meta+source+url"),
    ("published", "#date+reported"),
)
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "#event+id"),
    ("name", "#event+name"),
    ("iso3", "#country+code"),
    ("country", "#country+name"),
    ("admin1", "#adm1+name"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("start", "#date+start"),
    ("end", "#date+end"),
    ("cause", "#crisis+type"),
    ("hazard", "#crisis+hazard"),
    ("term_group", "#indicator+term"),
    ("unit", "#indicator+unit"),
    ("figure", "#affected+displaced"),
    ("minimum", "#affected+displaced+min"),
    ("maximum", "#affected+displaced+max"),
    ("people_estimate", "#affected+displaced+ind"),
    ("articles", "#meta+articles+num"),
)
#: hazard → IDMC (category, subcategory, type, subtype).
HAZARD_CLASSES = {
    "flood": ("Weather related", "Hydrological", "Flood", "Flood"),
    "storm": ("Weather related", "Meteorological", "Storm", "Storm"),
    "landslide": ("Weather related", "Hydrological", "Mass movement", "Landslide"),
    "drought": ("Weather related", "Climatological", "Drought", "Drought"),
    "wildfire": ("Weather related", "Climatological", "Wildfire", "Wildfire"),
    "extreme_temperature": (
        "Weather related",
        "Meteorological",
        "Extreme temperature",
        "Extreme temperature",
    ),
    "earthquake": ("Geophysical", "Geophysical", "Earthquake", "Earthquake"),
    "tsunami": ("Geophysical", "Geophysical", "Earthquake", "Tsunami"),
    "volcano": ("Geophysical", "Geophysical", "Volcanic activity", "Volcanic eruption"),
}
CONFLICT_CLASS = ("Conflict", "Other", "Violence", "Violence - other")
_IDU_QUALIFIERS = {
    "exact": "total",
    "approximately": "approximately",
    "more_than": "more than",
    "less_than": "less than",
    "range": "approximately",
    "vague": "approximately",
}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def fact_row(fact: FactOut) -> dict[str, Any]:
    loc = fact.location
    date = fact.date
    iso3 = fact.country_iso3 or (loc.country_iso3 if loc else None)
    return {
        "fact_id": fact.id,
        "article_id": fact.article_external_id,
        "iso3": iso3,
        "country": country_name(iso3),
        "location": loc.name if loc else None,
        "admin1": loc.admin1 if loc else None,
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "date_start": _iso(date.start) if date else None,
        "date_end": _iso(date.end) if date else None,
        "figure": fact.figure,
        "figure_min": fact.figure_min,
        "figure_max": fact.figure_max,
        "unit": fact.unit,
        "term": fact.term,
        "qualifier": fact.qualifier,
        "modality": fact.modality,
        "cause": fact.cause,
        "hazard": fact.hazard,
        "review_status": fact.review.status,
        "quote": fact.quote,
        "source_url": fact.article_url,
        "published": _iso(fact.published),
    }


def event_rows(event: Event) -> Iterator[dict[str, Any]]:
    """One row per triangulated figure (an event without figures gives one row with none)."""
    base = {
        "event_id": event.event_id,
        "name": event.name,
        "iso3": event.country_iso3,
        "country": country_name(event.country_iso3),
        "admin1": event.admin1,
        "lat": event.lat,
        "lon": event.lon,
        "start": _iso(event.start),
        "end": _iso(event.end),
        "cause": event.cause,
        "hazard": event.hazard,
        "articles": len(event.articles),
    }
    if not event.figures:
        yield base
    for figure in event.figures:
        yield {
            **base,
            "term_group": figure.term_group,
            "unit": figure.unit,
            "figure": figure.recommended,
            "minimum": figure.minimum,
            "maximum": figure.maximum,
            "people_estimate": figure.people_estimate,
        }


#: A text cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with ``'``.

    Quotes and titles come from web pages anyone can write, and analysts open exports in Excel.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(
    rows: Iterable[dict[str, Any]], columns: tuple[tuple[str, str], ...], *, hxl: bool
) -> Iterator[str]:
    """CSV text in chunks; with ``hxl`` the second line holds the hashtags."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in columns])
    if hxl:
        writer.writerow([tag for _, tag in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_cell(row.get(name)) for name, _ in columns])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _classes(cause: str | None, hazard: str | None) -> tuple[str | None, ...]:
    if cause == "conflict" or hazard == "conflict":
        return CONFLICT_CLASS
    if hazard in HAZARD_CLASSES:
        return HAZARD_CLASSES[hazard]
    return (None, None, None, None)


def _displacement_type(cause: str | None) -> str | None:
    return {"conflict": "Conflict", "disaster": "Disaster"}.get(cause or "", "Other" if cause else None)


def _people(figure: int | None, unit: str, iso3: str | None) -> int | None:
    if figure is None:
        return None
    return figure if unit == "person" else round(figure * household_size(iso3))


def fact_idu(fact: FactOut) -> dict[str, Any]:
    """A fact in the IDU feed's shape (households converted to people with the country's size)."""
    row = fact_row(fact)
    category, subcategory, type_, subtype = _classes(fact.cause, fact.hazard)
    figure = _people(fact.figure, fact.unit, row["iso3"])
    start = fact.date.start if fact.date else None
    end = (fact.date.end if fact.date else None) or start
    place = row["location"] or row["country"] or "an unknown place"
    popup = f"{fact.figure_text or fact.figure} {fact.unit}s {fact.term.replace('_', ' ')} in {place}" + (
        f" ({_iso(start)})" if start else ""
    )
    return {
        "id": fact.id,
        "country": row["country"],
        "iso3": row["iso3"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "centroid": [row["lat"], row["lon"]] if row["lat"] is not None else None,
        "role": "Recommended figure" if fact.review.status in ("accepted", "edited") else "Triangulation",
        "displacement_type": _displacement_type(fact.cause),
        "qualifier": _IDU_QUALIFIERS.get(fact.qualifier, fact.qualifier),
        "figure": figure,
        "figure_as_reported": fact.figure,
        "unit_as_reported": fact.unit,
        "term": fact.term,
        "displacement_date": _iso(start),
        "displacement_start_date": _iso(start),
        "displacement_end_date": _iso(end),
        "year": start.year if start else (fact.published.year if fact.published else None),
        "event_id": None,
        "event_name": None,
        "event_start_date": None,
        "event_end_date": None,
        "category": category,
        "subcategory": subcategory,
        "type": type_,
        "subtype": subtype,
        "standard_popup_text": popup,
        "standard_info_text": fact.quote,
        "event_url": fact.article_url,
        "source_url": fact.article_url,
        "locations_name": row["location"],
        "locations_coordinates": f"{row['lat']}, {row['lon']}" if row["lat"] is not None else None,
        "sources": fact.article_title,
        "review_status": fact.review.status,
    }


def event_idu(event: Event) -> Iterator[dict[str, Any]]:
    """One IDU record per event figure in people (households use their people estimate)."""
    category, subcategory, type_, subtype = _classes(event.cause, event.hazard)
    country = country_name(event.country_iso3)
    for index, figure in enumerate(event.figures):
        people = figure.recommended if figure.unit == "person" else figure.people_estimate
        if people is None:
            continue
        yield {
            "id": f"{event.event_id}-{index}",
            "country": country,
            "iso3": event.country_iso3,
            "latitude": event.lat,
            "longitude": event.lon,
            "centroid": [event.lat, event.lon] if event.lat is not None else None,
            "role": "Recommended figure",
            "displacement_type": _displacement_type(event.cause),
            "qualifier": "total" if figure.minimum == figure.maximum else "approximately",
            "figure": people,
            "term": figure.term_group,
            "displacement_date": _iso(event.start),
            "displacement_start_date": _iso(event.start),
            "displacement_end_date": _iso(event.end),
            "year": event.start.year if event.start else None,
            "event_id": event.event_id,
            "event_name": event.name,
            "event_start_date": _iso(event.start),
            "event_end_date": _iso(event.end),
            "category": category,
            "subcategory": subcategory,
            "type": type_,
            "subtype": subtype,
            "standard_popup_text": f"{people:,} people ({figure.term_group.replace('_', ' ')}): {event.name}",
            "source_url": None,
            "locations_name": event.admin1 or country,
            "locations_coordinates": f"{event.lat}, {event.lon}" if event.lat is not None else None,
            "sources": len(event.articles),
        }
