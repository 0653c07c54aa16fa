"""What clustering needs to know about one article: where, when, what kind of happening, what words.

A profile is computed once per article from its ``ExtractionResult`` and never depends on other
articles, which is what makes clustering order-independent and incremental.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from displacement_monitor.model import ExtractionResult, Fact

#: Location precisions that pin an article to a place (coarser ones only say "somewhere in X").
SPECIFIC_PRECISIONS = frozenset({"neighbourhood", "point", "city", "admin2", "admin1"})
#: Rank of precisions, finest first (used to pick an event's place and centroid).
PRECISION_RANK = {
    "point": 0,
    "neighbourhood": 0,
    "city": 1,
    "admin2": 2,
    "admin1": 3,
    "region": 4,
    "country": 5,
}
#: Hazards that plausibly describe the same happening (a storm brings floods and landslides).
HAZARD_FAMILIES: dict[str, frozenset[str]] = {
    "conflict": frozenset({"conflict"}),
    "flood": frozenset({"hydromet"}),
    "storm": frozenset({"hydromet"}),
    "landslide": frozenset({"hydromet", "geo"}),
    "earthquake": frozenset({"geo"}),
    "tsunami": frozenset({"geo"}),
    "volcano": frozenset({"geo", "volcano"}),
    "wildfire": frozenset({"wildfire"}),
    "drought": frozenset({"slow"}),
    "extreme_temperature": frozenset({"slow", "temperature"}),
}
SLOW_HAZARDS = frozenset({"drought", "extreme_temperature"})

_GENERIC_PLACE_WORDS = frozenset(
    [
        "the",
        "al",
        "el",
        "city",
        "district",
        "neighbourhood",
        "neighborhood",
        "province",
        "provincia",
        "de",
        "del",
        "la",
        "le",
        "les",
        "region",
        "town",
        "village",
        "state",
        "county",
        "governorate",
        "quarter",
        "area",
        "of",
        "commune",
        "municipality",
        "municipio",
        "departamento",
        "department",
    ]
)
_STOPWORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "among",
        "another",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "could",
        "does",
        "during",
        "each",
        "from",
        "have",
        "into",
        "just",
        "more",
        "most",
        "much",
        "other",
        "over",
        "said",
        "says",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "year",
        "years",
        "people",
        "les",
        "des",
        "dans",
        "pour",
        "avec",
        "sont",
        "était",
        "leur",
        "leurs",
        "selon",
        "plus",
        "aussi",
        "entre",
        "depuis",
        "sous",
        "cette",
        "ces",
        "mais",
        "comme",
        "para",
        "como",
        "pero",
        "este",
        "esta",
        "están",
        "fueron",
        "sobre",
        "entre",
        "desde",
        "según",
        "tras",
        "personas",
    ]
)
_URL_DATE = (
    re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(
        r"/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-/](\d{1,2})(?!\d)", re.I
    ),
)
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(?!\d)")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


@dataclass(slots=True, frozen=True)
class Place:
    """A fact location reduced to what place compatibility needs."""

    key: frozenset[str]
    lat: float | None
    lon: float | None
    admin1: str | None
    precision: str | None


@dataclass(slots=True, frozen=True)
class Profile:
    """One article as clustering sees it."""

    article_id: str
    country_iso3: str | None
    cause: str | None
    hazard: str | None
    #: Day ordinals of the period the article reports on; None when undated.
    first_day: int | None
    last_day: int | None
    #: Specific places (admin1 or finer); empty means the article is only located by country.
    places: tuple[Place, ...]
    tokens: frozenset[str]
    figures: frozenset[int]

    @property
    def dated(self) -> bool:
        return self.first_day is not None

    @property
    def anchored(self) -> bool:
        """Dated and placed precisely enough to link to other articles on its own."""
        return self.first_day is not None and bool(self.places)


def fold(text: str) -> str:
    """Lower-case, accents removed: "Cádiz" and "Cadiz" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def place_key(name: str | None) -> frozenset[str]:
    """The distinctive words of a place name ("al-Waer neighbourhood" → {"waer"})."""
    if not name:
        return frozenset()
    words = re.findall(r"[^\W\d_]+", fold(name))
    return frozenset(w for w in words if len(w) > 1 and w not in _GENERIC_PLACE_WORDS)


@lru_cache(maxsize=512)
def country_name_keys(iso3: str | None) -> frozenset[frozenset[str]]:
    """Place keys of a country's names, to recognise "Sri Lanka" as the whole country."""
    if not iso3:
        return frozenset()
    country = pycountry.countries.get(alpha_3=iso3.upper())
    if country is None:
        return frozenset()
    names = {getattr(country, attr, None) for attr in ("name", "common_name", "official_name")}
    return frozenset(place_key(n) for n in names if n)


def date_from_url(url: str | None) -> tuple[dt.date, dt.date] | None:
    """The publication day (or month) many news URLs carry: ``/2017/04/08/``, ``/2017/May-21/``."""
    if not url:
        return None
    for pattern in _URL_DATE:
        match = pattern.search(url)
        if match:
            year, month_text, day_text = match.groups()
            month = _MONTHS.get(month_text[:3].lower()) if month_text.isalpha() else int(month_text)
            try:
                day = dt.date(int(year), month or 0, int(day_text))
            except ValueError:
                continue
            return day, day
    match = _URL_MONTH.search(url)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
        return first, last
    return None


def _majority(values: Sequence[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def fact_country(fact: Fact) -> str | None:
    if fact.location is not None and fact.location.country_iso3:
        return fact.location.country_iso3
    return fact.country_iso3


def article_country(result: ExtractionResult) -> str | None:
    return result.country_iso3 or _majority([fact_country(f) for f in result.facts])


def article_cause(result: ExtractionResult) -> str | None:
    return result.cause or _majority([f.cause for f in result.facts])


def article_hazard(result: ExtractionResult) -> str | None:
    return result.hazard or _majority([f.hazard for f in result.facts])


def publication_span(result: ExtractionResult) -> tuple[dt.date, dt.date] | None:
    """When the article appeared: its metadata, else the date in its URL."""
    if result.published is not None:
        return result.published, result.published
    return date_from_url(result.url)


def fact_spans(
    result: ExtractionResult, *, reported_only: bool = False
) -> list[tuple[dt.date, dt.date, str]]:
    """Plausible fact date spans (start, end, precision), ignoring ones far from publication.

    Dates a year before or a month after publication are history or plans, not the happening.
    """
    published = publication_span(result)
    spans: list[tuple[dt.date, dt.date, str]] = []
    for fact in result.facts:
        span = fact.date
        if span is None or (reported_only and fact.modality != "reported"):
            continue
        start, end = span.start or span.end, span.end or span.start
        if start is None or end is None:
            continue
        if published is not None and (
            end < published[0] - dt.timedelta(days=365) or start > published[1] + dt.timedelta(days=31)
        ):
            continue
        spans.append((start, end, span.precision or "day"))
    return spans


def _period(result: ExtractionResult) -> tuple[int | None, int | None]:
    """The days an article is about: publication, widened by nearby day/week fact dates.

    Only precise fact dates within two weeks widen it: "since March" would otherwise stretch an
    article over months and chain unrelated operations together.
    """
    published = publication_span(result)
    spans = fact_spans(result)
    if published is None:
        if not spans:
            return None, None
        return min(s[0] for s in spans).toordinal(), max(s[1] for s in spans).toordinal()
    first, last = published[0].toordinal(), published[1].toordinal()
    for start, end, precision in spans:
        if precision in ("day", "week") and abs(start.toordinal() - first) <= 14:
            first = min(first, start.toordinal())
            last = max(last, min(end.toordinal(), published[1].toordinal() + 14))
    return first, last


def _places(result: ExtractionResult, country: str | None) -> tuple[Place, ...]:
    country_keys = country_name_keys(country)
    places: dict[tuple[object, ...], Place] = {}
    for fact in result.facts:
        loc = fact.location
        if loc is None:
            continue
        key = place_key(loc.name)
        if loc.precision is not None:
            specific = loc.precision in SPECIFIC_PRECISIONS
        else:  # unresolved name: specific unless it names the country itself
            specific = bool(key) and key not in country_keys
        if not specific or (loc.lat is None and not key and not loc.admin1):
            continue
        admin1 = fold(loc.admin1) if loc.admin1 else None
        place = Place(key, loc.lat, loc.lon, admin1, loc.precision)
        places.setdefault((key, loc.lat, loc.lon, admin1, loc.precision), place)
    return tuple(places[k] for k in sorted(places, key=repr))


def text_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{4,}", fold(text)) if w not in _STOPWORDS}


def _figure_values(result: ExtractionResult) -> frozenset[int]:
    values = set()
    for fact in result.facts:
        if fact.qualifier != "vague" and fact.figure is not None and fact.figure >= 10:
            values.add(fact.figure)
    return frozenset(values)


def build_profile(result: ExtractionResult) -> Profile:
    country = article_country(result)
    words = [result.title or ""]
    for fact in result.facts:
        words.append(fact.quote)
        if fact.location is not None:
            words.append(fact.location.name)
    first, last = _period(result)
    return Profile(
        article_id=result.id,
        country_iso3=country.upper() if country else None,
        cause=article_cause(result),
        hazard=article_hazard(result),
        first_day=first,
        last_day=last,
        places=_places(result, country),
        tokens=frozenset(text_tokens(" ".join(words))),
        figures=_figure_values(result),
    )
