"""Events computed from the stored articles, cached until the store changes.

Clustering every article is too slow per request, so the result is kept and recomputed only when
a cheap version key (article count, newest fact, newest review, newest merge/split) moves. Rejected
facts are left out; the analysts' stored merges and splits are replayed after clustering.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select

from displacement_monitor.events import cluster_results
from displacement_monitor.model import Event, ExtractionResult
from displacement_monitor.store import Store
from displacement_monitor.store.event_tables import EventOverrideRow
from displacement_monitor.store.events_repo import load_event_overrides
from displacement_monitor.store.tables import ArticleRow, FactRow

VersionKey = tuple[object, ...]


@dataclass(slots=True)
class EventsSnapshot:
    events: list[Event]
    by_id: dict[str, Event]
    #: Fact row id (as string) → quote, to show evidence beside each figure.
    quotes: dict[str, str]


@dataclass
class EventsView:
    store: Store
    _key: VersionKey | None = None
    _snapshot: EventsSnapshot | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _version(self) -> VersionKey:
        with self.store.session() as session:
            return tuple(
                session.execute(
                    select(
                        select(func.count(ArticleRow.id)).scalar_subquery(),
                        select(func.max(ArticleRow.updated_at)).scalar_subquery(),
                        select(func.max(FactRow.id)).scalar_subquery(),
                        select(func.max(FactRow.reviewed_at)).scalar_subquery(),
                        select(func.max(EventOverrideRow.id)).scalar_subquery(),
                        select(func.max(EventOverrideRow.revoked_at)).scalar_subquery(),
                    )
                ).one()
            )

    def _build(self) -> EventsSnapshot:
        with self.store.session() as session:
            rejected = set(session.scalars(select(FactRow.id).where(FactRow.review_status == "rejected")))
        results: list[ExtractionResult] = []
        fact_ids: dict[str, list[str]] = {}
        quotes: dict[str, str] = {}
        for stored in self.store.iter_stored_results():
            kept = [
                (i, f) for i, f in zip(stored.fact_ids, stored.result.facts, strict=True) if i not in rejected
            ]
            result = replace(stored.result, facts=[f for _, f in kept], text=None)
            results.append(result)
            fact_ids[result.id] = [str(i) for i, _ in kept]
            quotes.update((str(i), f.quote) for i, f in kept)
        events = cluster_results(results, fact_ids=fact_ids, overrides=load_event_overrides(self.store))
        return EventsSnapshot(events, {e.event_id: e for e in events}, quotes)

    def snapshot(self) -> EventsSnapshot:
        key = self._version()
        with self._lock:
            if self._snapshot is None or key != self._key:
                self._snapshot = self._build()
                self._key = key
            return self._snapshot
