"""Fact filters shared by the list, map, stats and export endpoints, and row → schema conversion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query
from sqlalchemy import ColumnElement, Select, func, select, text, union_all
from sqlalchemy.orm import Session

from displacement_monitor.api.schemas import DateSpanOut, FactOut, LocationOut, ReviewOut
from displacement_monitor.model import CAUSES, HAZARDS, LOCATION_FIELDS, MODALITIES, QUALIFIERS, TERMS, UNITS
from displacement_monitor.store.tables import REVIEW_STATUSES, ArticleRow, FactRow

#: Largest value of an INTEGER column on every backend (PostgreSQL integers are 32-bit).
DB_INT_MAX = 2**31 - 1
DbId = Annotated[int, Path(ge=0, le=DB_INT_MAX)]
Sort = Literal["id", "-id", "figure", "-figure", "date", "-date"]
#: The fact columns a review may change (see ``FactEdits``).
EDITABLE = (
    "figure",
    "figure_min",
    "figure_max",
    "qualifier",
    "unit",
    "term",
    "modality",
    "country_iso3",
    "cause",
    "hazard",
    "date_start",
    "date_end",
    "location_name",
    "location_lat",
    "location_lon",
)


def clean_text(value: str) -> str:
    """Query text without NUL characters, which PostgreSQL refuses in strings."""
    return value.replace("\x00", "")


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE with the wildcards of ``text`` escaped (escape character: backslash)."""
    escaped = clean_text(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def quote_matches(words: str) -> ColumnElement[bool]:
    """The evidence quote contains ``words``, ignoring case: ``lower(quote) LIKE lower('%words%')``.

    This is how SQLAlchemy writes ILIKE on SQLite and what PostgreSQL's ILIKE does in a multi-byte
    database, spelled out so that PostgreSQL (1) uses the trigram index on ``lower(quote)`` and its
    statistics (migration 0005) and (2) costs the match above a plain comparison, so that the cheap
    filters of a row (country, cause…) are checked first and the text only on rows that pass them.
    ``quote ILIKE`` with ``country_iso3 = 'HTI'`` ran the pattern on every row a scan visited.
    """
    return func.lower(FactRow.quote).like(func.lower(like_pattern(words)), escape="\\")


def choices(values: list[str] | None, allowed: tuple[str, ...] | None = None) -> list[str]:
    """Repeated or comma-separated query values, empty ones dropped."""
    out = [part.strip() for value in values or [] for part in clean_text(value).split(",") if part.strip()]
    return [v for v in out if allowed is None or v in allowed] if allowed else out


@dataclass(slots=True)
class FactFilters:
    country: list[str]
    cause: list[str]
    hazard: list[str]
    term: list[str]
    unit: list[str]
    qualifier: list[str]
    modality: list[str]
    review_status: list[str]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    figure_min: int | None = None
    figure_max: int | None = None
    q: str | None = None
    article_id: int | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        for column, values in (
            (FactRow.country_iso3, [c.upper() for c in self.country]),
            (FactRow.cause, self.cause),
            (FactRow.hazard, self.hazard),
            (FactRow.term, self.term),
            (FactRow.unit, self.unit),
            (FactRow.qualifier, self.qualifier),
            (FactRow.modality, self.modality),
            (FactRow.review_status, self.review_status),
        ):
            if len(values) == 1:
                where.append(column == values[0])
            elif values:
                where.append(column.in_(values))
        if self.date_from is not None:
            where.append(FactRow.date_start >= self.date_from)
        if self.date_to is not None:
            where.append(FactRow.date_start <= self.date_to)
        if self.figure_min is not None:
            where.append(FactRow.figure >= self.figure_min)
        if self.figure_max is not None:
            where.append(FactRow.figure <= self.figure_max)
        if self.q:
            where.append(quote_matches(self.q))
        if self.article_id is not None:
            where.append(FactRow.article_id == self.article_id)
        return where

    def apply(self, query: Select) -> Select:
        conditions = self.conditions()
        return query.where(*conditions) if conditions else query


def fact_filters(
    country: Annotated[list[str] | None, Query(description="ISO3 codes (repeat or comma-separate)")] = None,
    cause: Annotated[list[str] | None, Query(description=f"one of {', '.join(CAUSES)}")] = None,
    hazard: Annotated[list[str] | None, Query(description=f"one of {', '.join(HAZARDS)}")] = None,
    term: Annotated[list[str] | None, Query(description=f"one of {', '.join(TERMS)}")] = None,
    unit: Annotated[list[str] | None, Query(description=f"one of {', '.join(UNITS)}")] = None,
    qualifier: Annotated[list[str] | None, Query(description=f"one of {', '.join(QUALIFIERS)}")] = None,
    modality: Annotated[list[str] | None, Query(description=f"one of {', '.join(MODALITIES)}")] = None,
    review_status: Annotated[
        list[str] | None, Query(description=f"one of {', '.join(REVIEW_STATUSES)}")
    ] = None,
    date_from: Annotated[dt.date | None, Query(description="fact date (start) on or after")] = None,
    date_to: Annotated[dt.date | None, Query(description="fact date (start) on or before")] = None,
    figure_min: Annotated[int | None, Query(ge=0, le=DB_INT_MAX)] = None,
    figure_max: Annotated[int | None, Query(ge=0, le=DB_INT_MAX)] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the evidence quote")] = None,
    article_id: Annotated[int | None, Query(ge=0, le=DB_INT_MAX)] = None,
) -> FactFilters:
    return FactFilters(
        country=choices(country),
        cause=choices(cause),
        hazard=choices(hazard),
        term=choices(term),
        unit=choices(unit),
        qualifier=choices(qualifier),
        modality=choices(modality),
        review_status=choices(review_status),
        date_from=date_from,
        date_to=date_to,
        figure_min=figure_min,
        figure_max=figure_max,
        q=q.strip() or None if q else None,
        article_id=article_id,
    )


FiltersDep = Annotated[FactFilters, Depends(fact_filters)]

FACT_COLUMNS = (FactRow, ArticleRow.external_id, ArticleRow.title, ArticleRow.url, ArticleRow.published)


def fact_select() -> Select:
    return select(*FACT_COLUMNS).join(ArticleRow, FactRow.article_id == ArticleRow.id)


def order_facts(query: Select, sort: Sort) -> Select:
    if sort in ("id", "-id"):
        # The primary key is never NULL and breaks no tie: plain ``id DESC`` (not ``id DESC NULLS
        # LAST, id DESC``, which PostgreSQL cannot read from the key's index and sorts instead).
        return query.order_by(FactRow.id.desc() if sort == "-id" else FactRow.id.asc())
    column = {"figure": FactRow.figure, "date": FactRow.date_start}[sort.lstrip("-")]
    if sort.startswith("-"):
        return query.order_by(column.desc().nulls_last(), FactRow.id.desc())
    return query.order_by(column.asc().nulls_last(), FactRow.id.asc())


def page_ids(session: Session, filters: FactFilters, sort: Sort, limit: int, offset: int) -> list[int]:
    """Ids of one page, found on the facts table alone (narrow rows sort fast; no join)."""
    if sort in ("-date", "-figure"):
        return _descending_page_ids(session, filters, sort, limit, offset)
    query = order_facts(filters.apply(select(FactRow.id)), sort).limit(limit).offset(offset)
    return list(session.scalars(query))


def _descending_page_ids(
    session: Session, filters: FactFilters, sort: Sort, limit: int, offset: int
) -> list[int]:
    """A page in ``-date`` or ``-figure`` order (``DESC NULLS LAST, id DESC``), read from indexes.

    A btree read backwards yields ``DESC NULLS FIRST``, so PostgreSQL cannot read ``NULLS LAST``
    from the (filter, date_start, id) and figure indexes: it sorted every match instead (the
    accepted facts of 1M, newest first: 100,000 rows, 50 ms). The facts with a value and those
    without are taken apart, each in an order an index gives, at most ``offset + limit`` of each;
    sorting those few rows in the page's order gives the same page.
    """
    column = FactRow.date_start if sort == "-date" else FactRow.figure

    def part(condition: ColumnElement[bool], *order: Any) -> Select:
        """At most ``offset + limit`` ids of one part, with their key, in an order an index gives."""
        rows = filters.apply(select(FactRow.id, column.label("key"))).where(condition)
        ranked = rows.order_by(*order).limit(offset + limit).subquery()
        return select(ranked.c.id, ranked.c.key)

    both = union_all(
        part(column.is_not(None), column.desc(), FactRow.id.desc()),
        part(column.is_(None), FactRow.id.desc()),
    ).subquery()
    query = (
        select(both.c.id)
        .order_by(both.c.key.desc().nulls_last(), both.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def capped_count(session: Session, filters: FactFilters, cap: int) -> tuple[int, bool]:
    """Matching facts counted up to ``cap``: (count, exact). Counting millions is never worth it.

    A text search counts its matches newest first, like the page it goes with: the planner then
    weighs the same plans as for the page (walk an id index and stop once ``cap + 1`` rows
    matched, or collect a rare word's few rows through the trigram index) instead of intersecting
    bitmaps, where the trigram side of a common word ("flood") costs tens of milliseconds alone.
    """
    query = filters.apply(select(FactRow.id))
    if filters.q:
        query = query.order_by(FactRow.id.desc())
    limited = query.limit(cap + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(limited)) or 0)
    return (cap, False) if total > cap else (total, True)


#: Highest ``random_page_cost`` while a text search is planned (1.1: the usual value for data on
#: SSD or in memory); see ``plan_text_search``.
TEXT_SEARCH_RANDOM_PAGE_COST = 1.1


def plan_text_search(session: Session, filters: FactFilters) -> None:
    """Planner settings for the rest of a PostgreSQL transaction that pages through a text search.

    - ``plan_cache_mode = force_custom_plan``: statements are prepared after a few runs on a pooled
      connection, and PostgreSQL may then reuse one generic plan, made without the pattern. How
      many rows ``lower(quote) LIKE '%…%'`` matches (a few for a place name, a quarter of the table
      for "flood") decides the plan, so every text search is planned with its own pattern (a
      generic plan counted "HTI" + "flood" in 110 ms through a trigram bitmap, against 7 ms).
    - ``random_page_cost`` at most ``TEXT_SEARCH_RANDOM_PAGE_COST``: a page or count of text
      matches within one filter value is best read newest first from that filter's (value, id)
      index (``ix_facts_country_id``, ``ix_facts_cause_id``, ``ix_facts_review_status``), which
      visits only that value's rows, and in table order, since facts are appended with growing
      ids. The planner judges heap order by an index's first column alone, so with the default
      cost (4) it prices each of those reads as a random page and walks the whole id index instead,
      testing ~20× as many rows ("HTI" + "flood" on 1M facts: 80,000 rows, 35 ms, against 4,000
      rows, 7 ms).

    Both are ``SET LOCAL``: they end with the request's transaction. Nothing to do on SQLite.
    """
    if not filters.q or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
            "set_config('random_page_cost', "
            "least(current_setting('random_page_cost')::float8, :cost)::text, true)"
        ),
        {"cost": TEXT_SEARCH_RANDOM_PAGE_COST},
    )


def effective(row: FactRow) -> dict[str, Any]:
    """The fact's columns with a reviewer's edits applied."""
    values = {name: getattr(row, name) for name in EDITABLE}
    for name, value in (row.review_changes or {}).items():
        if name in values:
            values[name] = dt.date.fromisoformat(value) if name.startswith("date_") and value else value
    return values


def _location(row: FactRow, prefix: str, values: dict[str, Any]) -> LocationOut | None:
    data = {key: getattr(row, f"{prefix}_{key}") for key in LOCATION_FIELDS}
    for key in ("name", "lat", "lon"):
        if f"{prefix}_{key}" in values:
            data[key] = values[f"{prefix}_{key}"]
    return LocationOut(**data) if data["name"] is not None else None


def fact_out(
    row: FactRow, external_id: str, title: str | None, url: str | None, published: dt.date | None
) -> FactOut:
    values = effective(row)
    has_date = values["date_start"] or values["date_end"] or row.date_precision or row.date_text
    return FactOut(
        id=row.id,
        article_id=row.article_id,
        article_external_id=external_id,
        article_title=title,
        article_url=url,
        published=published,
        figure=values["figure"],
        figure_min=values["figure_min"],
        figure_max=values["figure_max"],
        figure_text=row.figure_text,
        qualifier=values["qualifier"],
        unit=values["unit"],
        term=values["term"],
        modality=values["modality"],
        quote=row.quote,
        start=row.quote_start,
        end=row.quote_end,
        country_iso3=values["country_iso3"],
        cause=values["cause"],
        hazard=values["hazard"],
        confidence=row.confidence,
        location=_location(row, "location", values),
        destination=_location(row, "destination", {}),
        date=DateSpanOut(
            start=values["date_start"],
            end=values["date_end"],
            precision=row.date_precision,
            text=row.date_text,
        )
        if has_date
        else None,
        review=ReviewOut(
            status=row.review_status,
            by=row.reviewed_by,
            at=row.reviewed_at,
            note=row.review_note,
            changes=dict(row.review_changes or {}),
        ),
    )


def facts_out(rows: Any) -> list[FactOut]:
    return [fact_out(*row) for row in rows]
