"""Analyst merges and splits of events, kept in the database and replayed after every clustering.

Event ids follow membership (they are named after the earliest article), so a correction is stored
by the input ids of the articles it concerns: a merge of events keeps every article the events held
at the time, a split the articles taken out. ``load_event_overrides`` returns them in the order they
were made, ready for ``cluster_results(..., overrides=...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from displacement_monitor.errors import InputError
from displacement_monitor.events.overrides import Override
from displacement_monitor.model import Event
from displacement_monitor.store.event_tables import EventOverrideRow
from displacement_monitor.store.repository import Store
from displacement_monitor.store.tables import utcnow

#: Longest note kept with an override.
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class StoredOverride:
    """One stored correction with its audit trail."""

    id: int
    override: Override
    #: Event ids the analyst named (at the time; not replayed).
    requested_events: tuple[str, ...]
    created_by: str
    created_at: dt.datetime
    #: Event id → article ids of the events touched, before the correction.
    before: dict[str, list[str]] = field(default_factory=dict)
    revoked_by: str | None = None
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _as_override(row: EventOverrideRow) -> Override:
    return Override(row.action, tuple(row.articles or ()), (), row.note)  # type: ignore[arg-type]


def _as_stored(row: EventOverrideRow) -> StoredOverride:
    return StoredOverride(
        id=row.id,
        override=_as_override(row),
        requested_events=tuple(row.events or ()),
        created_by=row.created_by,
        created_at=row.created_at,
        before={str(k): list(v) for k, v in (row.before or {}).items()},
        revoked_by=row.revoked_by,
        revoked_at=row.revoked_at,
    )


def resolve_override(override: Override, current: Sequence[Event]) -> tuple[Override, dict[str, list[str]]]:
    """The override expressed by articles only, checked against ``current`` events.

    Returns it with the membership of the events it touches. Raises ``InputError`` when an event
    id is unknown, when a merge would not join two events, or when a split would change nothing.
    """
    by_id = {e.event_id: e for e in current}
    holder = {a: e for e in current for a in e.articles}
    unknown_events = [e for e in override.events if e not in by_id]
    if unknown_events:
        raise InputError(f"no current event {', '.join(unknown_events)}")
    unclustered = [a for a in override.articles if a not in holder]
    if unclustered:
        raise InputError(f"articles not in any event: {', '.join(unclustered)}")
    touched = {e: by_id[e] for e in override.events}
    touched.update((holder[a].event_id, holder[a]) for a in override.articles)
    before = {event_id: list(event.articles) for event_id, event in sorted(touched.items())}
    if override.action == "merge":
        if len(touched) < 2:
            raise InputError("a merge needs at least two distinct events")
        articles = sorted({a for event in touched.values() for a in event.articles})
    else:
        if override.events:
            raise InputError("a split names articles, not events")
        articles = sorted(set(override.articles))
        if not articles:
            raise InputError("a split needs at least one article")
        if len(touched) == 1 and set(articles) == set(next(iter(touched.values())).articles):
            raise InputError("these articles already form an event of their own")
    note = (override.note or "").strip()[:MAX_NOTE_CHARS] or None
    return Override(override.action, tuple(articles), (), note), before


def add_event_override(
    store: Store, override: Override, user: str, *, current: Sequence[Event] | None = None
) -> int:
    """Store a merge or split made by ``user``; returns its id.

    With ``current`` (the events as the analyst sees them) event ids are resolved to their articles
    and the override is checked first; an override naming events needs it.
    """
    requested = tuple(override.events)
    before: dict[str, list[str]] = {}
    if current is not None:
        override, before = resolve_override(override, current)
    elif override.events:
        raise InputError("an override naming events needs the current events to resolve them")
    if not override.articles:
        raise InputError("an override needs at least one article")
    if not user.strip():
        raise InputError("an override needs the name of who made it")
    with store.session() as session:
        row = EventOverrideRow(
            action=override.action,
            articles=list(override.articles),
            events=list(requested),
            note=override.note,
            before=before,
            created_by=user,
        )
        session.add(row)
        session.flush()
        return row.id


def load_event_overrides(store: Store) -> list[Override]:
    """Active overrides, oldest first: the order they must be replayed in."""
    with store.session() as session:
        rows = session.scalars(
            select(EventOverrideRow)
            .where(EventOverrideRow.revoked_at.is_(None))
            .order_by(EventOverrideRow.id)
        )
        return [_as_override(r) for r in rows]


def list_event_overrides(store: Store, *, include_revoked: bool = True) -> list[StoredOverride]:
    """Every override with who made (and revoked) it, oldest first."""
    with store.session() as session:
        query = select(EventOverrideRow).order_by(EventOverrideRow.id)
        if not include_revoked:
            query = query.where(EventOverrideRow.revoked_at.is_(None))
        return [_as_stored(r) for r in session.scalars(query)]


def get_event_override(store: Store, override_id: int) -> StoredOverride | None:
    with store.session() as session:
        row = session.get(EventOverrideRow, override_id)
        return None if row is None else _as_stored(row)


def revoke_event_override(store: Store, override_id: int, user: str) -> StoredOverride | None:
    """Stop applying an override (the row stays, for the record); None when there is no such id."""
    with store.session() as session:
        row = session.get(EventOverrideRow, override_id, with_for_update=True)
        if row is None:
            return None
        if row.revoked_at is None:
            row.revoked_by, row.revoked_at = user, utcnow()
            session.flush()
        return _as_stored(row)
