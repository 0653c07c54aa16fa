"""The place suite: mentions in context (many ambiguous names) resolved to the right place."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from displacement_monitor.geo.folding import fold_name
from displacement_monitor.geo.resolver import GazetteerResolver
from displacement_monitor.model import Location

SUITE = Path(__file__).with_name("places.csv")
TOLERANCE_KM = 25.0


@dataclass(frozen=True)
class Case:
    sentence: str
    mention: str
    lat: float
    lon: float
    country_iso3: str
    admin1: str


def load_cases() -> list[Case]:
    with SUITE.open(encoding="utf-8", newline="") as handle:
        return [
            Case(
                r["sentence"], r["mention"], float(r["lat"]), float(r["lon"]), r["country_iso3"], r["admin1"]
            )
            for r in csv.DictReader(handle)
        ]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def same_admin(expected: str, got: str | None) -> bool:
    if not got:
        return False
    a, b = fold_name(expected).replace("-", " "), fold_name(got).replace("-", " ")
    return a == b or a in b or b in a


def is_right(case: Case, place: Location | None) -> bool:
    """Within 25 km, or in the right admin area (the right country for countries and regions)."""
    if place is None or place.country_iso3 != case.country_iso3:
        return False
    located = place.lat is not None and place.lon is not None
    if located and distance_km(case.lat, case.lon, place.lat or 0.0, place.lon or 0.0) <= TOLERANCE_KM:
        return True
    if not case.admin1:
        return True
    return same_admin(case.admin1, place.admin1)


def resolve_case(resolver: GazetteerResolver, case: Case) -> Location | None:
    start = case.sentence.index(case.mention)
    end = start + len(case.mention)
    places = resolver.resolve(case.sentence, []).places
    return next((p for p in places if p.start is not None and p.start < end and start < (p.end or 0)), None)


def test_place_suite_is_large_and_ambiguous() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    mentions = [fold_name(c.mention) for c in cases]
    assert {"tripoli", "georgia", "cordoba", "san jose"} <= set(mentions)
    assert mentions.count("tripoli") >= 2


def test_resolver_places_suite_share_right(resolver: GazetteerResolver) -> None:
    cases = load_cases()
    wrong = []
    for case in cases:
        place = resolve_case(resolver, case)
        if not is_right(case, place):
            wrong.append((case.mention, case.country_iso3, place))
    share = 1 - len(wrong) / len(cases)
    assert share >= 0.9, f"{share:.3f} right; wrong: {wrong[:20]}"
