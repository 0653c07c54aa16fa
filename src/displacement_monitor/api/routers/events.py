"""Events: articles about one displacement grouped, with triangulated figures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from displacement_monitor.api.deps import ReaderDep, SessionDep
from displacement_monitor.api.events_view import EventsView
from displacement_monitor.api.queries import choices, fact_select, facts_out
from displacement_monitor.api.schemas import EventDetail, EventOut, EventPage
from displacement_monitor.model import Event, to_dict
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


@router.get("/events/{event_id}", response_model=EventDetail, responses={404: {"description": "none"}})
def get_event(event_id: str, request: Request, _caller: ReaderDep, session: SessionDep) -> EventDetail:
    """One event with the facts behind its figures."""
    event = events_view(request).snapshot().by_id.get(event_id)
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event {event_id}")
    ids = [int(i) for i in event.facts if i.isdigit()]
    details = facts_out(session.execute(fact_select().where(FactRow.id.in_(ids)).order_by(FactRow.id)))
    return EventDetail(**to_dict(event), fact_details=details if ids else [])
