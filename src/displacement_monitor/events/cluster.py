"""Group articles into events: one event per real-world happening, whatever the input order.

How two articles end up in one event (all rules in ``docs/events.md``):

1. **Blocking**: only articles about the same country are compared (the document's country, else
   its facts' majority country). Articles without any country form one block of their own, where
   links also need text or figure evidence since their place says nothing.
2. **Anchors** are articles that are dated (publication date, else a date in the URL, else fact
   dates) and located at admin1 level or finer. Two anchors are linked when their causes and
   hazards are compatible, their periods are at most a window apart (45 days for conflict, 30 for
   sudden disasters, 90 for slow ones) and some fact places are compatible (within a radius that
   grows with the coarser precision, or one contains the other by admin1, or the names match).
   Events are the connected components of these links (single linkage), which does not depend on
   the order articles arrive in. Distinct operations at one place months apart stay apart because
   nothing bridges the gap in time.
3. **Satellites** are the other articles (country-level only, or undated). Each attaches to the one
   anchor event it fits best and never bridges two events: a dated satellite needs a compatible
   cause, hazard and time; an undated one also needs text or figure evidence (word overlap of title
   and quotes, shared exact figures). Satellites that fit nothing are linked among themselves by
   the same rules.
4. **Overrides** by analysts (merge, split) are applied afterwards, so they survive re-clustering.

Clustering is recomputed per country block, so adding articles only redoes their countries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from displacement_monitor.events.naming import event_name
from displacement_monitor.events.overrides import Override, apply_overrides
from displacement_monitor.events.profile import (
    HAZARD_FAMILIES,
    PRECISION_RANK,
    SLOW_HAZARDS,
    Place,
    Profile,
    build_profile,
    fact_spans,
    publication_span,
)
from displacement_monitor.events.triangulate import FactRecord, triangulate
from displacement_monitor.model import Event, ExtractionResult, Location, distance_km


@dataclass(slots=True, frozen=True)
class ClusterConfig:
    """Thresholds of the clustering rules; the defaults are the documented behaviour."""

    conflict_window_days: int = 45
    sudden_window_days: int = 30
    slow_window_days: int = 90
    #: Radius (km) within which two places of the given precision are the same happening.
    fine_radius_km: float = 30.0
    admin2_radius_km: float = 80.0
    admin1_radius_km: float = 250.0
    #: Minimum evidence (word overlap + shared figures) for an undated article to join an event.
    undated_min_evidence: float = 0.35
    #: Minimum evidence to link articles whose country is unknown (place gives no support then).
    placeless_min_evidence: float = 0.12
    #: Weight of one shared exact figure in the evidence score.
    shared_figure_weight: float = 0.25
    #: Cluster articles judged relevant even when they carry no fact.
    include_relevant_without_facts: bool = True


def _window(a: Profile, b: Profile, config: ClusterConfig) -> int:
    hazards = {a.hazard, b.hazard}
    if "conflict" in hazards or "conflict" in (a.cause, b.cause):
        return config.conflict_window_days
    if hazards & SLOW_HAZARDS:
        return config.slow_window_days
    return config.sudden_window_days


def kinds_compatible(a: Profile, b: Profile) -> bool:
    """Same cause (when both known) and hazards of one family (when both known and specific)."""
    if a.cause and b.cause and a.cause != b.cause:
        return False
    if not a.hazard or not b.hazard or a.hazard == b.hazard or "other" in (a.hazard, b.hazard):
        return True
    fam_a, fam_b = HAZARD_FAMILIES.get(a.hazard), HAZARD_FAMILIES.get(b.hazard)
    return fam_a is None or fam_b is None or bool(fam_a & fam_b)


def day_gap(a: Profile, b: Profile) -> int | None:
    """Days between two articles' periods (0 when they overlap); None when one is undated."""
    if a.first_day is None or b.first_day is None or a.last_day is None or b.last_day is None:
        return None
    return max(0, a.first_day - b.last_day, b.first_day - a.last_day)


def _radius(precision: str | None, config: ClusterConfig) -> float:
    if precision == "admin1":
        return config.admin1_radius_km
    if precision == "admin2":
        return config.admin2_radius_km
    return config.fine_radius_km


def places_compatible(a: Place, b: Place, config: ClusterConfig) -> bool:
    """One inside the other's admin1, near enough for their precisions, or (unlocated) the same name."""
    if a.admin1 and a.admin1 == b.admin1 and "admin1" in (a.precision, b.precision):
        return True
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        radius = max(_radius(a.precision, config), _radius(b.precision, config))
        return distance_km(a.lat, a.lon, b.lat, b.lon) <= radius
    if a.key and b.key:  # names only when a place could not be located
        shared = len(a.key & b.key)
        return shared > 0 and (a.key <= b.key or b.key <= a.key or 2 * shared >= len(a.key | b.key))
    return False


def any_places_compatible(a: Profile, b: Profile, config: ClusterConfig) -> bool:
    return any(places_compatible(p, q, config) for p in a.places for q in b.places)


def evidence(a: Profile, b: Profile, config: ClusterConfig) -> float:
    """Text and figure similarity: cosine of word sets plus a bonus per shared exact figure."""
    score = 0.0
    if a.tokens and b.tokens:
        score = len(a.tokens & b.tokens) / math.sqrt(len(a.tokens) * len(b.tokens))
    return score + config.shared_figure_weight * len(a.figures & b.figures)


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for item in self.parent:
            out.setdefault(self.find(item), []).append(item)
        return sorted(sorted(g) for g in out.values())


def _link_dated(
    profiles: Sequence[Profile], config: ClusterConfig, uf: _UnionFind, *, need_place: bool
) -> None:
    """Single linkage over dated profiles, scanning only pairs within the largest time window."""
    ordered = sorted(profiles, key=lambda p: (p.first_day or 0, p.article_id))
    widest = max(config.conflict_window_days, config.sudden_window_days, config.slow_window_days)
    for i, a in enumerate(ordered):
        assert a.last_day is not None
        limit = a.last_day + widest
        for b in ordered[i + 1 :]:
            assert b.first_day is not None
            if b.first_day > limit:
                break
            if uf.find(a.article_id) == uf.find(b.article_id):
                continue
            gap = day_gap(a, b)
            if gap is None or gap > _window(a, b, config) or not kinds_compatible(a, b):
                continue
            if need_place and not any_places_compatible(a, b, config):
                continue
            if not need_place and a.places and b.places and not any_places_compatible(a, b, config):
                continue
            if a.country_iso3 is None and evidence(a, b, config) < config.placeless_min_evidence:
                continue
            uf.union(a.article_id, b.article_id)


def _fits(satellite: Profile, member: Profile, config: ClusterConfig) -> float | None:
    """Evidence that a satellite belongs with an article, or None when it cannot."""
    if not kinds_compatible(satellite, member):
        return None
    gap = day_gap(satellite, member)
    if gap is not None and gap > _window(satellite, member, config):
        return None
    if satellite.places and member.places and not any_places_compatible(satellite, member, config):
        return None
    score = evidence(satellite, member, config)
    if gap is None and score < config.undated_min_evidence:
        return None
    if satellite.country_iso3 is None and score < config.placeless_min_evidence:
        return None
    return score


def cluster_block(profiles: Sequence[Profile], config: ClusterConfig) -> list[list[str]]:
    """Events (sorted lists of article ids) of one country's articles."""
    anchors = [p for p in profiles if p.anchored]
    satellites = sorted((p for p in profiles if not p.anchored), key=lambda p: p.article_id)
    uf = _UnionFind(p.article_id for p in anchors)
    _link_dated(anchors, config, uf, need_place=True)
    anchor_groups = uf.groups()
    by_id = {p.article_id: p for p in anchors}
    attached: dict[str, list[str]] = {}
    leftovers = []
    for satellite in satellites:
        best: tuple[float, int, str] | None = None
        for group in anchor_groups:
            for member_id in group:
                member = by_id[member_id]
                score = _fits(satellite, member, config)
                if score is None:
                    continue
                gap = day_gap(satellite, member)
                candidate = (-score, gap if gap is not None else 10**6, group[0])
                if best is None or candidate < best:
                    best = candidate
        if best is None:
            leftovers.append(satellite)
        else:
            attached.setdefault(best[2], []).append(satellite.article_id)
    groups = [sorted(g + attached.get(g[0], [])) for g in anchor_groups]
    loose = _UnionFind(p.article_id for p in leftovers)
    _link_dated([p for p in leftovers if p.dated], config, loose, need_place=False)
    undated = [p for p in leftovers if not p.dated]
    for a in undated:
        for b in leftovers:
            if b is a or (not b.dated and b.article_id < a.article_id):
                continue
            if _fits(a, b, config) is not None:
                loose.union(a.article_id, b.article_id)
    return sorted(groups + loose.groups())


# ------------------------------------------------------------------ events from clusters
@dataclass(slots=True)
class _Article:
    result: ExtractionResult
    profile: Profile
    fact_ids: list[str]


def default_fact_ids(result: ExtractionResult) -> list[str]:
    """In-memory fact ids: ``<article id>#<index>`` (the store uses its own row ids instead)."""
    return [f"{result.id}#{i}" for i in range(len(result.facts))]


def event_id_for(article_ids: Sequence[str], articles: Mapping[str, _Article]) -> str:
    """Named after the earliest article (then smallest id): stable while the event grows."""
    seed = min(article_ids, key=lambda a: (articles[a].profile.first_day or 10**9, a))
    return "ev-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def _majority(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


def build_event(article_ids: Sequence[str], articles: Mapping[str, _Article]) -> Event:
    """Assemble one event: kind, place, centroid, period, name and triangulated figures."""
    members = [articles[a] for a in sorted(article_ids)]
    country = _majority(m.profile.country_iso3 for m in members)
    cause = _majority(m.profile.cause for m in members)
    hazard = _majority(m.profile.hazard for m in members)
    records: list[FactRecord] = []
    locations: list[tuple[str, Location]] = []
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    precisions: list[str] = []
    for member in members:
        published = publication_span(member.result)
        reported_on = published[1] if published else None
        for fact, fact_id in zip(member.result.facts, member.fact_ids, strict=False):
            records.append(FactRecord(fact_id, fact, reported_on, member.profile.country_iso3))
            if fact.location is not None:
                locations.append((member.result.id, fact.location))
        if published is not None:
            starts.append(published[0])
            ends.append(published[1])
            precisions.append("day" if published[0] == published[1] else "month")
        for span_start, span_end, span_precision in fact_spans(member.result, reported_only=True):
            starts.append(span_start)
            ends.append(span_end)
            precisions.append(span_precision)
    in_country = [(a, loc) for a, loc in locations if not country or (loc.country_iso3 or country) == country]
    admin1 = _majority(loc.admin1 for _, loc in in_country)
    located = [loc for _, loc in in_country if loc.lat is not None and loc.lon is not None]
    lat: float | None = None
    lon: float | None = None
    if located:
        finest = min(PRECISION_RANK.get(loc.precision or "city", 1) for loc in located)
        chosen = [loc for loc in located if PRECISION_RANK.get(loc.precision or "city", 1) == finest]
        lat = round(sum(loc.lat or 0.0 for loc in chosen) / len(chosen), 5)
        lon = round(sum(loc.lon or 0.0 for loc in chosen) / len(chosen), 5)
    start = min(starts) if starts else None
    end = max(ends) if ends else None
    precision: str | None = max(precisions, key=lambda p: _PRECISION_ORDER.get(p, 0)) if precisions else None
    terms = Counter(r.fact.term for r in records if r.fact.modality == "reported") or Counter(
        r.fact.term for r in records
    )
    return Event(
        event_id=event_id_for(article_ids, articles),
        name=event_name(
            cause=cause,
            hazard=hazard,
            main_term=min(terms, key=lambda t: (-terms[t], t)) if terms else None,
            locations=in_country,
            admin1=admin1,
            country_iso3=country,
            start=start,
            end=end,
        ),
        cause=cause,  # type: ignore[arg-type]
        hazard=hazard,  # type: ignore[arg-type]
        country_iso3=country,
        admin1=admin1,
        lat=lat,
        lon=lon,
        start=start,
        end=end,
        date_precision=precision,  # type: ignore[arg-type]
        articles=sorted(article_ids),
        facts=[r.fact_id for r in records],
        figures=triangulate(records, country),
    )


# ------------------------------------------------------------------ incremental index
@dataclass
class EventIndex:
    """Clustering state that absorbs new articles by re-clustering only their countries.

    ``events()`` equals ``cluster_results`` over every article added so far, in any order.
    """

    config: ClusterConfig = field(default_factory=ClusterConfig)
    overrides: list[Override] = field(default_factory=list)
    _articles: dict[str, _Article] = field(default_factory=dict)
    _blocks: dict[str, set[str]] = field(default_factory=dict)
    _clusters: dict[str, list[list[str]]] = field(default_factory=dict)
    _built: dict[tuple[str, ...], Event] = field(default_factory=dict)
    #: Articles replaced since the last ``events()``: cached events holding them are rebuilt.
    _replaced: set[str] = field(default_factory=set)

    def wanted(self, result: ExtractionResult) -> bool:
        """Clustered: error-free articles with facts, and relevant ones without (if configured)."""
        if result.error is not None:
            return False
        return bool(result.facts) or (result.relevant and self.config.include_relevant_without_facts)

    @staticmethod
    def _block_key(profile: Profile) -> str:
        return profile.country_iso3 or "?"

    def add(
        self, results: Iterable[ExtractionResult], fact_ids: Mapping[str, Sequence[str]] | None = None
    ) -> set[str]:
        """Add (or replace, by id) articles; returns the blocks that were re-clustered."""
        dirty: set[str] = set()
        for result in results:
            old = self._articles.pop(result.id, None)
            if old is not None:
                self._replaced.add(result.id)
                old_key = self._block_key(old.profile)
                self._blocks.get(old_key, set()).discard(result.id)
                dirty.add(old_key)
            if not self.wanted(result):
                continue
            ids = (
                list(fact_ids[result.id]) if fact_ids and result.id in fact_ids else default_fact_ids(result)
            )
            profile = build_profile(result)
            self._articles[result.id] = _Article(result, profile, ids)
            key = self._block_key(profile)
            self._blocks.setdefault(key, set()).add(result.id)
            dirty.add(key)
        for key in dirty:
            members = self._blocks.get(key)
            if not members:
                self._blocks.pop(key, None)
                self._clusters.pop(key, None)
                continue
            profiles = [self._articles[a].profile for a in sorted(members)]
            self._clusters[key] = cluster_block(profiles, self.config)
        return dirty

    def clusters(self) -> list[list[str]]:
        """Article groups after overrides, sorted."""
        groups = [g for key in sorted(self._clusters) for g in self._clusters[key]]
        if self.overrides:
            groups = apply_overrides(groups, self.overrides, lambda g: event_id_for(g, self._articles))
        return sorted(groups)

    def events(self) -> list[Event]:
        """Every event, built once per distinct membership and cached, ordered by start then id."""
        events = []
        live: dict[tuple[str, ...], Event] = {}
        for group in self.clusters():
            key = tuple(group)
            cached = None if self._replaced.intersection(group) else self._built.get(key)
            event = cached or build_event(group, self._articles)
            live[key] = event
            events.append(event)
        self._built = live
        self._replaced.clear()
        return sorted(events, key=lambda e: (e.start or dt.date.max, e.event_id))


def cluster_results(
    results: Sequence[ExtractionResult],
    *,
    overrides: Sequence[Override] | None = None,
    config: ClusterConfig | None = None,
    fact_ids: Mapping[str, Sequence[str]] | None = None,
) -> list[Event]:
    """Events of a batch of extraction results (same events for any input order).

    ``fact_ids`` maps an article id to the ids of its facts (in order); by default
    ``"<article id>#<index>"``. Later results replace earlier ones with the same id.
    """
    index = EventIndex(config=config or ClusterConfig(), overrides=list(overrides or []))
    index.add(results, fact_ids)
    return index.events()


def update_events(
    state: EventIndex,
    new_results: Sequence[ExtractionResult],
    fact_ids: Mapping[str, Sequence[str]] | None = None,
) -> list[Event]:
    """Add new articles to an existing index and return all events (only touched countries redo)."""
    state.add(new_results, fact_ids)
    return state.events()
