"""Aggregates for the dashboard: timeline, histograms and the map layer (all take the fact filters)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from displacement_monitor.api.deps import ReaderDep, SessionDep, SettingsDep
from displacement_monitor.api.queries import FiltersDep, effective
from displacement_monitor.api.schemas import Histogram, HistogramBin, Timeline, TimelineBucket
from displacement_monitor.store.tables import FactRow

router = APIRouter(prefix="/api", tags=["stats"])
Interval = Literal["day", "month", "year"]
HistogramField = Literal[
    "figure", "term", "cause", "hazard", "country", "unit", "qualifier", "modality", "review_status"
]
_FORMATS = {"day": ("%Y-%m-%d", "YYYY-MM-DD"), "month": ("%Y-%m", "YYYY-MM"), "year": ("%Y", "YYYY")}
#: Figure bins on a log scale: label → lower bound (upper is the next bound).
FIGURE_BINS = (
    ("1-9", 1),
    ("10-99", 10),
    ("100-999", 100),
    ("1k-9k", 1_000),
    ("10k-99k", 10_000),
    ("100k-999k", 100_000),
    ("1M+", 1_000_000),
)


def _period(session: Session, interval: Interval) -> ColumnElement[str]:
    sqlite_format, pg_format = _FORMATS[interval]
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(FactRow.date_start, pg_format)
    return func.strftime(sqlite_format, FactRow.date_start)


@router.get("/stats/timeline", response_model=Timeline)
def timeline(
    _caller: ReaderDep,
    session: SessionDep,
    filters: FiltersDep,
    interval: Interval = "month",
) -> Timeline:
    """Facts per period of their date (undated facts are left out), split by cause."""
    period = _period(session, interval).label("period")
    query = filters.apply(
        select(period, FactRow.cause, func.count(), func.coalesce(func.sum(FactRow.figure), 0))
        .where(FactRow.date_start.is_not(None))
        .group_by(period, FactRow.cause)
    )
    buckets: dict[str, TimelineBucket] = {}
    for key, cause, count, figure_sum in session.execute(query):
        bucket = buckets.setdefault(key, TimelineBucket(period=key, facts=0, figure_sum=0, by_cause={}))
        bucket.facts += int(count)
        bucket.figure_sum += int(figure_sum or 0)
        bucket.by_cause[cause or "unknown"] = bucket.by_cause.get(cause or "unknown", 0) + int(count)
    return Timeline(interval=interval, buckets=[buckets[k] for k in sorted(buckets)])


def _figure_bin() -> ColumnElement[str]:
    whens = [(FactRow.figure >= low, label) for label, low in reversed(FIGURE_BINS)]
    return case(*whens, else_=literal("none"))


@router.get("/stats/histogram", response_model=Histogram)
def histogram(
    _caller: ReaderDep,
    session: SessionDep,
    filters: FiltersDep,
    field: HistogramField = "figure",
) -> Histogram:
    """How matching facts spread over one field; ``figure`` uses log-scale bins."""
    column: ColumnElement[Any] = (
        _figure_bin()
        if field == "figure"
        else getattr(FactRow, "country_iso3" if field == "country" else field)
    )
    key = column.label("key")
    rows = session.execute(filters.apply(select(key, func.count()).group_by(key)))
    counts = {str(k) if k is not None else "none": int(n) for k, n in rows}
    if field == "figure":
        order = [label for label, _ in FIGURE_BINS] + ["none"]
        bins = [HistogramBin(key=k, count=counts.get(k, 0)) for k in order if k in counts or k != "none"]
    else:
        bins = [
            HistogramBin(key=k, count=n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return Histogram(field=field, bins=bins)


@router.get("/map.geojson", response_model=dict[str, Any])
def map_geojson(
    _caller: ReaderDep,
    session: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> dict[str, Any]:
    """One Point per located fact (largest figures first, up to the map limit)."""
    cap = min(limit or settings.map_limit, settings.map_limit)
    query = (
        filters.apply(
            select(FactRow).where(FactRow.location_lat.is_not(None), FactRow.location_lon.is_not(None))
        )
        .order_by(FactRow.figure.desc().nulls_last(), FactRow.id)
        .limit(cap)
    )
    features = []
    for row in session.scalars(query):
        values = effective(row)
        lat, lon = values["location_lat"], values["location_lon"]
        if lat is None or lon is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": row.id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "fact_id": row.id,
                    "article_id": row.article_id,
                    "figure": values["figure"],
                    "unit": values["unit"],
                    "term": values["term"],
                    "cause": values["cause"],
                    "hazard": values["hazard"],
                    "country_iso3": values["country_iso3"],
                    "place": values["location_name"],
                    "date": values["date_start"].isoformat() if values["date_start"] else None,
                    "review_status": row.review_status,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
