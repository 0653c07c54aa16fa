"""Domain types shared by every stage, and their JSON (de)serialisation.

Stages talk to each other only through these plain dataclasses: spaCy docs and ORM rows never
cross a stage boundary. The JSON shape is the output contract in ``docs/fact-schema.md``; the
conversion to and from it lives here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

Term = Literal[
    "displaced",
    "evacuated",
    "forced_to_flee",
    "sheltered",
    "in_relief_camp",
    "relocated",
    "homeless",
    "destroyed_housing",
    "partially_destroyed_housing",
    "uninhabitable_housing",
]
Unit = Literal["person", "household"]
Qualifier = Literal["exact", "approximately", "more_than", "less_than", "range", "vague"]
Modality = Literal["reported", "expected"]
Cause = Literal["conflict", "disaster", "other"]
Hazard = Literal[
    "conflict",
    "flood",
    "storm",
    "earthquake",
    "tsunami",
    "wildfire",
    "drought",
    "landslide",
    "volcano",
    "extreme_temperature",
    "other",
]
PlacePrecision = Literal["country", "admin1", "admin2", "city", "neighbourhood", "point", "region"]
DatePrecision = Literal["day", "week", "month", "year"]

TERMS: tuple[str, ...] = get_args(Term)
UNITS: tuple[str, ...] = get_args(Unit)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
MODALITIES: tuple[str, ...] = get_args(Modality)
CAUSES: tuple[str, ...] = get_args(Cause)
HAZARDS: tuple[str, ...] = get_args(Hazard)
HOUSING_TERMS: frozenset[str] = frozenset(
    {"destroyed_housing", "partially_destroyed_housing", "uninhabitable_housing"}
)


@dataclass(slots=True)
class Document:
    """One input as it arrives: raw text or HTML plus whatever metadata the source gave."""

    id: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: dt.date | None = None
    title: str | None = None
    language: str | None = None
    source: str | None = None
    #: Source-specific hints kept for later stages (e.g. GDELT V2Locations, V2Counts).
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """A cleaned document: the text every offset refers to, plus normalised metadata."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None
    #: Language detector confidence (0-1); None when the language was given by the input.
    language_confidence: float | None = None
    #: What cleaning removed or repaired, for transparency (e.g. {"duplicate_paragraphs": 8}).
    cleaning: dict[str, int] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Location:
    """A place as written in the text and, when resolved, where it is."""

    name: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country_iso3: str | None = None
    precision: PlacePrecision | None = None
    confidence: float | None = None
    #: Character offsets of the mention in the cleaned text, when it came from the text.
    start: int | None = None
    end: int | None = None


#: Location fields in order: how stores and exports flatten a place into columns.
LOCATION_FIELDS: tuple[str, ...] = (
    "name",
    "geonames_id",
    "lat",
    "lon",
    "admin1",
    "admin2",
    "country_iso3",
    "precision",
    "confidence",
    "start",
    "end",
)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class DateSpan:
    """A resolved date expression with its precision (``on Saturday`` → one day)."""

    start: dt.date | None
    end: dt.date | None
    precision: DatePrecision | None
    text: str | None = None


@dataclass(slots=True)
class Fact:
    """One displacement claim with its evidence."""

    figure: int | None
    figure_min: int | None
    figure_max: int | None
    qualifier: Qualifier
    unit: Unit
    term: Term
    modality: Modality
    quote: str
    start: int
    end: int
    location: Location | None = None
    destination: Location | None = None
    country_iso3: str | None = None
    date: DateSpan | None = None
    cause: Cause | None = None
    hazard: Hazard | None = None
    confidence: float = 0.5
    #: The figure as written ("2,500", "hundreds of", "six cent trente-sept mille").
    figure_text: str | None = None
    #: For a derived total: the written figures it adds up (a paragraph listing places one by one).
    total_of: list[str] | None = None


@dataclass(slots=True)
class ExtractionResult:
    """Everything extraction says about one document: the ``extract`` command's output line."""

    id: str
    language: str | None = None
    relevant: bool = False
    relevance_score: float = 0.0
    cause: Cause | None = None
    hazard: Hazard | None = None
    country_iso3: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    facts: list[Fact] = field(default_factory=list)
    #: Set when the document could not be processed; then everything else is empty.
    error: str | None = None
    #: The cleaned text the offsets refer to (only serialised on request).
    text: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class TriangulatedFigure:
    """The defensible figure of one event for one (term group, unit)."""

    term_group: str
    unit: Unit
    recommended: int | None
    minimum: int | None
    maximum: int | None
    rule: str
    fact_ids: list[str] = field(default_factory=list)
    #: Households converted to people with the country's household size (never mixed in).
    people_estimate: int | None = None


@dataclass(slots=True)
class Event:
    """One real-world displacement happening, built from many reports."""

    event_id: str
    name: str
    cause: Cause | None = None
    hazard: Hazard | None = None
    country_iso3: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    date_precision: DatePrecision | None = None
    articles: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    figures: list[TriangulatedFigure] = field(default_factory=list)


# ---------------------------------------------------------------- (de)serialisation
T = TypeVar("T")

#: Keys of ExtractionResult not written unless asked for.
_OPTIONAL_OUTPUT = {"text", "timings_ms", "error", "relevance_score"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_dict(obj: Any) -> dict[str, Any]:
    """Any domain object → JSON-ready dict (dates as ISO strings)."""
    plain = _plain(obj)
    assert isinstance(plain, dict)
    return plain


def result_to_dict(result: ExtractionResult, *, with_text: bool = False) -> dict[str, Any]:
    """The contract's output line for one document."""
    out = to_dict(result)
    for key in _OPTIONAL_OUTPUT:
        out.pop(key, None)
    if result.error is not None:
        out["error"] = result.error
    if with_text:
        out["text"] = result.text
    out["relevance_score"] = round(result.relevance_score, 3)
    return out


def parse_date(value: Any) -> dt.date | None:
    """Lenient ISO date parsing for input metadata ("2017-05-20", "2017-05-20T10:00:00Z")."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _from(cls: type[T], data: dict[str, Any] | None) -> T | None:
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def location_from_dict(data: dict[str, Any] | None) -> Location | None:
    return _from(Location, data)


def date_span_from_dict(data: dict[str, Any] | None) -> DateSpan | None:
    span = _from(DateSpan, data)
    if span is not None:
        span.start, span.end = parse_date(span.start), parse_date(span.end)
    return span


def fact_from_dict(data: dict[str, Any]) -> Fact:
    fact = _from(Fact, data)
    assert fact is not None
    fact.location = location_from_dict(data.get("location"))
    fact.destination = location_from_dict(data.get("destination"))
    fact.date = date_span_from_dict(data.get("date"))
    return fact


def result_from_dict(data: dict[str, Any]) -> ExtractionResult:
    result = _from(ExtractionResult, data)
    assert result is not None
    result.id = str(result.id)
    result.published = parse_date(data.get("published"))
    result.facts = [fact_from_dict(f) for f in data.get("facts") or []]
    return result


def document_from_dict(data: dict[str, Any], default_id: str) -> Document:
    """An input line (``{"id", "text"|"html", "url", "published", "title", "language"}``) → Document.

    Unknown fields are ignored; ``id`` defaults to ``default_id`` (file name or line number).
    """
    raw_id = data.get("id")
    text, html = data.get("text"), data.get("html")
    language = data.get("language")
    hints = data.get("hints")
    return Document(
        id=str(raw_id) if raw_id not in (None, "") else default_id,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) else None,
        url=data.get("url") if isinstance(data.get("url"), str) else None,
        published=parse_date(data.get("published") or data.get("created") or data.get("date")),
        title=data.get("title") if isinstance(data.get("title"), str) else None,
        language=language if isinstance(language, str) and language else None,
        source=data.get("source") if isinstance(data.get("source"), str) else None,
        hints=hints if isinstance(hints, dict) else {},
    )
