"""Articles: a filtered list, and one article's cleaned text with the spans of its facts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import func, select

from displacement_monitor.api.deps import ReaderDep, SessionDep, SettingsDep
from displacement_monitor.api.queries import DbId, choices, fact_select, facts_out, like_pattern
from displacement_monitor.api.schemas import ArticleDetail, ArticleOut, ArticlePage, FactSpan
from displacement_monitor.store.tables import ArticleRow, FactRow

router = APIRouter(prefix="/api", tags=["articles"])

_FACT_COUNT = (
    select(func.count(FactRow.id))
    .where(FactRow.article_id == ArticleRow.id)
    .correlate(ArticleRow)
    .scalar_subquery()
)


def _article_out(row: ArticleRow, fact_count: int) -> dict[str, Any]:
    return {
        "id": row.id,
        "external_id": row.external_id,
        "title": row.title,
        "url": row.url,
        "published": row.published,
        "language": row.language,
        "status": row.status,
        "error": row.error,
        "relevant": row.relevant,
        "cause": row.cause,
        "hazard": row.hazard,
        "country_iso3": row.country_iso3,
        "fact_count": int(fact_count or 0),
    }


@router.get("/articles", response_model=ArticlePage)
def list_articles(
    _caller: ReaderDep,
    session: SessionDep,
    settings: SettingsDep,
    country: Annotated[list[str] | None, Query()] = None,
    cause: Annotated[list[str] | None, Query()] = None,
    article_status: Annotated[list[str] | None, Query(alias="status")] = None,
    relevant: bool | None = None,
    with_facts: bool = False,
    q: Annotated[str | None, Query(max_length=200, description="text in the title")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> ArticlePage:
    """Articles newest first (by id), with how many facts each holds."""
    query = select(ArticleRow, _FACT_COUNT)
    for column, values in (
        (ArticleRow.country_iso3, [c.upper() for c in choices(country)]),
        (ArticleRow.cause, choices(cause)),
        (ArticleRow.status, choices(article_status)),
    ):
        if values:
            query = query.where(column.in_(values))
    if relevant is not None:
        query = query.where(ArticleRow.relevant.is_(relevant))
    if with_facts:
        query = query.where(select(FactRow.id).where(FactRow.article_id == ArticleRow.id).exists())
    if q and q.strip():
        query = query.where(ArticleRow.title.ilike(like_pattern(q.strip()), escape="\\"))
    rows = session.execute(query.order_by(ArticleRow.id.desc()).limit(limit).offset(offset)).all()
    limited = query.with_only_columns(ArticleRow.id).limit(settings.count_limit + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(limited)) or 0)
    return ArticlePage(
        limit=limit,
        offset=offset,
        total=min(total, settings.count_limit),
        total_exact=total <= settings.count_limit,
        items=[ArticleOut(**_article_out(row, n)) for row, n in rows],
    )


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses={404: {"description": "none"}})
def get_article(article_id: DbId, _caller: ReaderDep, session: SessionDep) -> ArticleDetail:
    """The cleaned text and, for each fact, the character span of its evidence in that text."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no article {article_id}")
    facts = facts_out(
        session.execute(fact_select().where(FactRow.article_id == article_id).order_by(FactRow.ordinal))
    )
    spans = [
        FactSpan(
            fact_id=f.id,
            start=f.start,
            end=f.end,
            term=f.term,
            unit=f.unit,
            figure=f.figure,
            review_status=f.review.status,
        )
        for f in facts
    ]
    return ArticleDetail(**_article_out(row, len(facts)), text=row.text, spans=spans, facts=facts)
