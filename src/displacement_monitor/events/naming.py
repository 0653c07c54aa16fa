"""Readable event names: "Evacuation of al-Waer, Homs, Syria — Mar–May 2017"."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import pycountry

from displacement_monitor.events.profile import PRECISION_RANK, place_key
from displacement_monitor.model import Location

_HAZARD_LABELS = {
    "flood": "Floods in",
    "storm": "Storm in",
    "earthquake": "Earthquake in",
    "tsunami": "Tsunami in",
    "wildfire": "Wildfire in",
    "drought": "Drought in",
    "landslide": "Landslide in",
    "volcano": "Volcanic eruption in",
    "extreme_temperature": "Extreme temperatures in",
}
#: Short names where the ISO name reads badly in a title.
_SHORT_COUNTRY_NAMES = {
    "COD": "DR Congo",
    "COG": "Congo",
    "PSE": "Palestine",
    "RUS": "Russia",
    "GBR": "United Kingdom",
    "USA": "United States",
}
_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@lru_cache(maxsize=512)
def country_name(iso3: str | None) -> str | None:
    """Common English name of a country ("SYR" → "Syria"); the code itself when unknown."""
    if not iso3:
        return None
    if iso3.upper() in _SHORT_COUNTRY_NAMES:
        return _SHORT_COUNTRY_NAMES[iso3.upper()]
    country = pycountry.countries.get(alpha_3=iso3.upper())
    if country is None:
        return iso3.upper()
    return str(getattr(country, "common_name", None) or country.name)


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """ "Aug 2022", "Mar–May 2017", "Dec 2015–Jan 2016"."""
    if start is None and end is None:
        return "date unknown"
    first = start or end
    last = end or start
    assert first is not None and last is not None
    if (first.year, first.month) == (last.year, last.month):
        return f"{_MONTH_ABBR[first.month - 1]} {first.year}"
    if first.year == last.year:
        return f"{_MONTH_ABBR[first.month - 1]}–{_MONTH_ABBR[last.month - 1]} {first.year}"
    return f"{_MONTH_ABBR[first.month - 1]} {first.year}–{_MONTH_ABBR[last.month - 1]} {last.year}"


def _display(name: str) -> str:
    return re.sub(r"^(the)\s+", "", name.strip(), flags=re.I).strip(" ,.;:'\"")


def main_place(mentions: Sequence[tuple[str, Location]], country_iso3: str | None) -> str | None:
    """The place most articles name (admin1 or finer; ties: finer, then alphabetical).

    ``mentions`` pairs each fact location with its article id; the surface form shown is the
    one most articles use ("al-Waer" over "Waer neighbourhood").
    """
    country = country_name(country_iso3)
    country_key = place_key(country) if country else frozenset()
    articles: dict[frozenset[str], set[str]] = {}
    forms: dict[frozenset[str], Counter[str]] = {}
    rank: dict[frozenset[str], int] = {}
    seen: set[tuple[str, str]] = set()
    for article_id, loc in mentions:
        key = place_key(loc.name)
        level = PRECISION_RANK.get(loc.precision or "city", 1)
        if not key or key == country_key or level > PRECISION_RANK["admin1"]:
            continue
        articles.setdefault(key, set()).add(article_id)
        rank[key] = min(rank.get(key, level), level)
        form = _display(loc.name)
        if (article_id, form) not in seen:
            seen.add((article_id, form))
            forms.setdefault(key, Counter())[form] += 1
    if not articles:
        return None
    best = min(articles, key=lambda k: (-len(articles[k]), rank[k], sorted(k)))
    return min(forms[best], key=lambda f: (-forms[best][f], len(f), f))


def event_name(
    *,
    cause: str | None,
    hazard: str | None,
    main_term: str | None,
    locations: Sequence[tuple[str, Location]],
    admin1: str | None,
    country_iso3: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> str:
    """Kind of happening, place from finest to country, and the period."""
    if hazard in _HAZARD_LABELS:
        label = _HAZARD_LABELS[hazard]
    elif main_term == "evacuated":
        label = "Evacuation of" if cause == "conflict" or hazard == "conflict" else "Evacuations in"
    elif cause == "conflict" or hazard == "conflict":
        label = "Conflict displacement in"
    elif cause == "disaster":
        label = "Disaster displacement in"
    else:
        label = "Displacement in"
    parts: list[str] = []
    place = main_place(locations, country_iso3)
    if place:
        parts.append(place)
    if admin1 and all(place_key(admin1) != place_key(p) for p in parts):
        parts.append(admin1)
    country = country_name(country_iso3)
    if country and all(place_key(country) != place_key(p) for p in parts):
        parts.append(country)
    where = ", ".join(parts) or "unknown place"
    return f"{label} {where} — {period_label(start, end)}"
