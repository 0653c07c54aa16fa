"""Fact filters shared by the list, map, stats and export endpoints, and row → schema conversion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query
from sqlalchemy import ColumnElement, Select, func, select
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
            where.append(FactRow.quote.ilike(like_pattern(self.q), escape="\\"))
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
    column = {"id": FactRow.id, "figure": FactRow.figure, "date": FactRow.date_start}[sort.lstrip("-")]
    if sort.startswith("-"):
        return query.order_by(column.desc().nulls_last(), FactRow.id.desc())
    return query.order_by(column.asc().nulls_last(), FactRow.id.asc())


def page_ids(session: Session, filters: FactFilters, sort: Sort, limit: int, offset: int) -> list[int]:
    """Ids of one page, found on the facts table alone (narrow rows sort fast; no join)."""
    query = order_facts(filters.apply(select(FactRow.id)), sort).limit(limit).offset(offset)
    return list(session.scalars(query))


def capped_count(session: Session, filters: FactFilters, cap: int) -> tuple[int, bool]:
    """Matching facts counted up to ``cap``: (count, exact). Counting millions is never worth it."""
    limited = filters.apply(select(FactRow.id)).limit(cap + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(limited)) or 0)
    return (cap, False) if total > cap else (total, True)


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
