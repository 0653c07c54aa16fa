"""Events: articles about one displacement grouped, with triangulated figures; analysts merge and split.

Merges and splits are stored by article (see ``store/events_repo.py``) and replayed after every
re-clustering, so they hold when new articles arrive and when the service restarts.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field, StringConstraints

from displacement_monitor.api.deps import AnalystDep, ReaderDep, SessionDep, StoreDep
from displacement_monitor.api.events_view import EventsView
from displacement_monitor.api.queries import DbId, choices, fact_select, facts_out
from displacement_monitor.api.schemas import EventDetail, EventOut, EventPage
from displacement_monitor.events.overrides import Override
from displacement_monitor.model import Event, to_dict
from displacement_monitor.store.events_repo import (
    MAX_NOTE_CHARS,
    StoredOverride,
    add_event_override,
    get_event_override,
    list_event_overrides,
    revoke_event_override,
)
from displacement_monitor.store.tables import FactRow

router = APIRouter(prefix="/api", tags=["events"])


def events_view(request: Request) -> EventsView:
    view: EventsView = request.app.state.events
    return view


def filter_events(
    events: list[Event],
    *,
    country: list[str] | None = None,
    cause: list[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str | None = None,
) -> list[Event]:
    countries = {c.upper() for c in choices(country)}
    causes = set(choices(cause))
    needle = (q or "").strip().casefold()
    return [
        e
        for e in events
        if (not countries or e.country_iso3 in countries)
        and (not causes or e.cause in causes)
        and (date_from is None or (e.end or e.start or dt.date.min) >= date_from)
        and (date_to is None or (e.start or dt.date.max) <= date_to)
        and (not needle or needle in e.name.casefold())
    ]


@router.get("/events", response_model=EventPage)
def list_events(
    request: Request,
    _caller: ReaderDep,
    country: Annotated[list[str] | None, Query()] = None,
    cause: Annotated[list[str] | None, Query()] = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the event name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> EventPage:
    """Events, latest first, with their triangulated figures (rejected facts left out)."""
    events = filter_events(
        events_view(request).snapshot().events,
        country=country,
        cause=cause,
        date_from=date_from,
        date_to=date_to,
        q=q,
    )
    events = sorted(events, key=lambda e: (e.start or dt.date.min, e.event_id), reverse=True)
    page = events[offset : offset + limit]
    return EventPage(
        limit=limit,
        offset=offset,
        total=len(events),
        total_exact=True,
        items=[EventOut(**to_dict(e)) for e in page],
    )


# ------------------------------------------------------------------ analyst merge and split
ShortId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1024)]
Note = Annotated[str | None, Field(default=None, max_length=MAX_NOTE_CHARS)]


class MergeRequest(BaseModel):
    """Join events (by their current ids) into one."""

    model_config = {"extra": "forbid"}

    events: list[ShortId] = Field(min_length=2, max_length=100)
    note: Note = None


class SplitRequest(BaseModel):
    """Take articles (by input id) out of their events; together they form a new event."""

    model_config = {"extra": "forbid"}

    articles: list[ShortId] = Field(min_length=1, max_length=1000)
    note: Note = None


class EventOverrideOut(BaseModel):
    id: int
    action: Literal["merge", "split"]
    #: Articles the override applies to (a merge: every article the events held at the time).
    articles: list[str]
    #: Event ids named in the request (they may not exist any more).
    events: list[str]
    note: str | None
    #: Event id → articles of the events touched, before the override.
    before: dict[str, list[str]]
    created_by: str
    created_at: dt.datetime
    active: bool
    revoked_by: str | None
    revoked_at: dt.datetime | None


class EventOverrideResult(BaseModel):
    override: EventOverrideOut
    #: The event the override produced, as clustered now.
    event: EventOut | None


def override_out(stored: StoredOverride) -> EventOverrideOut:
    return EventOverrideOut(
        id=stored.id,
        action=stored.override.action,
        articles=list(stored.override.articles),
        events=list(stored.requested_events),
        note=stored.override.note,
        before=stored.before,
        created_by=stored.created_by,
        created_at=stored.created_at,
        active=stored.active,
        revoked_by=stored.revoked_by,
        revoked_at=stored.revoked_at,
    )


_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or bad token"},
    403: {"description": "not an analyst"},
    404: {"description": "no such event"},
    422: {"description": "the override would change nothing or names unclustered articles"},
}


def _record(request: Request, store: StoreDep, override: Override, user: str) -> EventOverrideResult:
    """Store the override checked against the events as they are now, then show its result."""
    view = events_view(request)
    override_id = add_event_override(store, override, user, current=view.snapshot().events)
    stored = get_event_override(store, override_id)
    assert stored is not None
    snapshot = view.snapshot()
    wanted = set(stored.override.articles)
    event = next((e for e in snapshot.events if wanted & set(e.articles)), None)
    return EventOverrideResult(
        override=override_out(stored), event=EventOut(**to_dict(event)) if event else None
    )


@router.post(
    "/events/merge",
    response_model=EventOverrideResult,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
def merge_events(
    body: MergeRequest, request: Request, caller: AnalystDep, store: StoreDep
) -> EventOverrideResult:
    """Join two or more events into one; the merge is kept through every re-clustering."""
    known = events_view(request).snapshot().by_id
    unknown = sorted({e for e in body.events if e not in known})
    if unknown:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event {', '.join(unknown)}")
    override = Override("merge", events=tuple(dict.fromkeys(body.events)), note=body.note)
    return _record(request, store, override, caller.name)


@router.post(
    "/events/split",
    response_model=EventOverrideResult,
    status_code=status.HTTP_201_CREATED,
    responses=_WRITE_ERRORS,
)
def split_event(
    body: SplitRequest, request: Request, caller: AnalystDep, store: StoreDep
) -> EventOverrideResult:
    """Take articles out of their events (as one new event); kept through every re-clustering."""
    override = Override("split", articles=tuple(dict.fromkeys(body.articles)), note=body.note)
    return _record(request, store, override, caller.name)


@router.get("/events/overrides", response_model=list[EventOverrideOut])
def list_overrides(
    _caller: ReaderDep,
    store: StoreDep,
    include_revoked: bool = True,
) -> list[EventOverrideOut]:
    """Every merge and split, oldest first (the order they are replayed in), with who made it."""
    return [override_out(o) for o in list_event_overrides(store, include_revoked=include_revoked)]


@router.delete(
    "/events/overrides/{override_id}",
    response_model=EventOverrideOut,
    responses={**_WRITE_ERRORS, 404: {"description": "no such override"}},
)
def revoke_override(override_id: DbId, caller: AnalystDep, store: StoreDep) -> EventOverrideOut:
    """Stop applying a merge or split; it stays listed, marked revoked, for the record."""
    stored = revoke_event_override(store, override_id, caller.name)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no override {override_id}")
    return override_out(stored)


@router.get("/events/{event_id}", response_model=EventDetail, responses={404: {"description": "none"}})
def get_event(event_id: str, request: Request, _caller: ReaderDep, session: SessionDep) -> EventDetail:
    """One event with the facts behind its figures."""
    event = events_view(request).snapshot().by_id.get(event_id)
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event {event_id}")
    ids = [int(i) for i in event.facts if i.isdigit()]
    details = facts_out(session.execute(fact_select().where(FactRow.id.in_(ids)).order_by(FactRow.id)))
    return EventDetail(**to_dict(event), fact_details=details if ids else [])
