"""Facts: filtered pages, one fact with its review history, the review action, the map layer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import select

from displacement_monitor.api.deps import AnalystDep, ReaderDep, SessionDep, SettingsDep
from displacement_monitor.api.queries import (
    EDITABLE,
    DbId,
    FiltersDep,
    Sort,
    capped_count,
    effective,
    fact_out,
    fact_select,
    facts_out,
    order_facts,
    page_ids,
    plan_text_search,
)
from displacement_monitor.api.schemas import FactDetail, FactPage, ReviewEventOut, ReviewRequest
from displacement_monitor.store.auth_tables import ReviewEventRow
from displacement_monitor.store.tables import FactRow, utcnow

#: How far a full-text search counts its matches before answering "more than N".
TEXT_SEARCH_COUNT_LIMIT = 1000

router = APIRouter(prefix="/api", tags=["facts"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such fact"}}

_NEW_STATUS = {"accept": "accepted", "reject": "rejected", "edit": "edited", "reset": "pending"}


@router.get("/facts", response_model=FactPage)
def list_facts(
    _caller: ReaderDep,
    session: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    sort: Sort = "-id",
) -> FactPage:
    """Facts matching every given filter, newest first by default."""
    plan_text_search(session, filters)
    page_size = min(limit, settings.max_page_size)
    ids = page_ids(session, filters, sort, page_size, offset)
    items = (
        facts_out(session.execute(order_facts(fact_select().where(FactRow.id.in_(ids)), sort))) if ids else []
    )
    # a text search is counted less far: every candidate row costs a pattern match
    cap = min(settings.count_limit, TEXT_SEARCH_COUNT_LIMIT) if filters.q else settings.count_limit
    if len(ids) < page_size and (ids or offset == 0):
        # a short page is the last one: the matches are the ones before it plus the ones on it
        seen = offset + len(ids)
        total, exact = (cap, False) if seen > cap else (seen, True)
    else:
        total, exact = capped_count(session, filters, cap)
    return FactPage(limit=limit, offset=offset, total=total, total_exact=exact, items=items)


def _history(session: SessionDep, fact_id: int) -> list[ReviewEventOut]:
    rows = session.scalars(
        select(ReviewEventRow).where(ReviewEventRow.fact_id == fact_id).order_by(ReviewEventRow.id)
    )
    return [
        ReviewEventOut(
            id=r.id,
            reviewer=r.reviewer,
            action=r.action,
            reason=r.reason,
            at=r.at,
            before=r.before,
            after=r.after,
        )
        for r in rows
    ]


def _detail(session: SessionDep, fact_id: int) -> FactDetail:
    row = session.execute(fact_select().where(FactRow.id == fact_id)).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no fact {fact_id}")
    base = fact_out(*row)
    return FactDetail(**base.model_dump(), history=_history(session, fact_id))


@router.get("/facts/{fact_id}", response_model=FactDetail, responses=NOT_FOUND)
def get_fact(fact_id: DbId, _caller: ReaderDep, session: SessionDep) -> FactDetail:
    return _detail(session, fact_id)


def _snapshot(row: FactRow) -> dict[str, Any]:
    values = effective(row)
    plain = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    return {"review_status": row.review_status, "review_note": row.review_note, **plain}


@router.patch(
    "/facts/{fact_id}",
    response_model=FactDetail,
    responses={
        **NOT_FOUND,
        401: {"description": "no or bad token"},
        403: {"description": "not an analyst"},
        422: {"description": "invalid review"},
    },
)
def review_fact(fact_id: DbId, review: ReviewRequest, caller: AnalystDep, session: SessionDep) -> FactDetail:
    """Accept, reject (with a reason), edit (with changes) or reset a fact; every action is logged."""
    row = session.get(FactRow, fact_id, with_for_update=True)  # SQLite ignores FOR UPDATE
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no fact {fact_id}")
    if review.action == "reject" and not (review.reason or "").strip():
        raise HTTPException(422, "a rejection needs a reason")
    edits = review.changes.model_dump(exclude_unset=True, mode="json") if review.changes else {}
    if review.action == "edit" and not edits:
        raise HTTPException(422, "an edit needs at least one change")
    if review.action != "edit" and edits:
        raise HTTPException(422, "changes are only allowed with 'edit'")
    before = _snapshot(row)
    if review.action == "edit":
        row.review_changes = {
            **(row.review_changes or {}),
            **{k: v for k, v in edits.items() if k in EDITABLE},
        }
    elif review.action == "reset":
        row.review_changes = {}
    row.review_status = _NEW_STATUS[review.action]
    row.reviewed_by = caller.name
    row.reviewed_at = utcnow()
    row.review_note = review.reason
    after = _snapshot(row)
    session.add(
        ReviewEventRow(
            fact_id=fact_id,
            reviewer=caller.name,
            action=review.action,
            reason=review.reason,
            before=before,
            after=after,
            at=row.reviewed_at,
        )
    )
    session.flush()
    return _detail(session, fact_id)
