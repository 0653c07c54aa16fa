"""Response and request bodies. Handlers build these from rows or domain objects; ORM rows never leave."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

ReviewStatus = Literal["pending", "accepted", "rejected", "edited"]
ReviewAction = Literal["accept", "reject", "edit", "reset"]


class LocationOut(BaseModel):
    name: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country_iso3: str | None = None
    precision: str | None = None
    confidence: float | None = None
    start: int | None = None
    end: int | None = None


class DateSpanOut(BaseModel):
    start: dt.date | None = None
    end: dt.date | None = None
    precision: str | None = None
    text: str | None = None


class ReviewOut(BaseModel):
    status: str
    by: str | None = None
    at: dt.datetime | None = None
    note: str | None = None
    #: Field → value set by an edit; the fact's fields below already show them.
    changes: dict[str, Any] = Field(default_factory=dict)


class FactOut(BaseModel):
    id: int
    article_id: int
    article_external_id: str
    article_title: str | None = None
    article_url: str | None = None
    published: dt.date | None = None
    figure: int | None = None
    figure_min: int | None = None
    figure_max: int | None = None
    figure_text: str | None = None
    qualifier: str
    unit: str
    term: str
    modality: str
    quote: str
    start: int
    end: int
    country_iso3: str | None = None
    cause: str | None = None
    hazard: str | None = None
    confidence: float
    location: LocationOut | None = None
    destination: LocationOut | None = None
    date: DateSpanOut | None = None
    review: ReviewOut


class Page(BaseModel):
    limit: int
    offset: int
    #: Matching rows, counted up to the server's count limit.
    total: int
    #: False when ``total`` hit the count limit and is only a lower bound.
    total_exact: bool


class FactPage(Page):
    items: list[FactOut]


class ReviewEventOut(BaseModel):
    id: int
    reviewer: str
    action: str
    reason: str | None = None
    at: dt.datetime
    before: dict[str, Any]
    after: dict[str, Any]


class FactDetail(FactOut):
    history: list[ReviewEventOut] = Field(default_factory=list)


class FactEdits(BaseModel):
    """Fields an analyst may correct; omitted fields are unchanged."""

    model_config = {"extra": "forbid"}

    figure: int | None = Field(default=None, ge=0)
    figure_min: int | None = Field(default=None, ge=0)
    figure_max: int | None = Field(default=None, ge=0)
    qualifier: Literal["exact", "approximately", "more_than", "less_than", "range", "vague"] | None = None
    unit: Literal["person", "household"] | None = None
    term: (
        Literal[
            "displaced",
            "evacuated",
            "forced_to_flee",
            "sheltered",
            "in_relief_camp",
            "relocated",
            "homeless",
            "destroyed_housing",
            "partially_destroyed_housing",
            "uninhabitable_housing",
        ]
        | None
    ) = None
    modality: Literal["reported", "expected"] | None = None
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    cause: Literal["conflict", "disaster", "other"] | None = None
    hazard: str | None = Field(default=None, max_length=32)
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    location_name: str | None = Field(default=None, max_length=500)
    location_lat: float | None = Field(default=None, ge=-90, le=90)
    location_lon: float | None = Field(default=None, ge=-180, le=180)


class ReviewRequest(BaseModel):
    """accept / reject (a reason is required) / edit (with ``changes``) / reset to pending."""

    model_config = {"extra": "forbid"}

    action: ReviewAction
    reason: str | None = Field(default=None, max_length=5000)
    changes: FactEdits | None = None


class FactSpan(BaseModel):
    fact_id: int
    start: int
    end: int
    term: str
    unit: str
    figure: int | None = None
    review_status: str


class ArticleOut(BaseModel):
    id: int
    external_id: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    status: str
    error: str | None = None
    relevant: bool
    cause: str | None = None
    hazard: str | None = None
    country_iso3: str | None = None
    fact_count: int


class ArticlePage(Page):
    items: list[ArticleOut]


class ArticleDetail(ArticleOut):
    #: The cleaned text every offset refers to.
    text: str | None = None
    spans: list[FactSpan]
    facts: list[FactOut]


class FigureOut(BaseModel):
    term_group: str
    unit: str
    recommended: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    rule: str
    fact_ids: list[str]
    people_estimate: int | None = None


class EventOut(BaseModel):
    event_id: str
    name: str
    cause: str | None = None
    hazard: str | None = None
    country_iso3: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    date_precision: str | None = None
    articles: list[str]
    facts: list[str]
    figures: list[FigureOut]


class EventPage(Page):
    items: list[EventOut]


class EventDetail(EventOut):
    fact_details: list[FactOut]


class TimelineBucket(BaseModel):
    period: str
    facts: int
    #: Sum of the matching facts' figures (reports overlap: an activity measure, not a total).
    figure_sum: int
    by_cause: dict[str, int]


class Timeline(BaseModel):
    interval: Literal["day", "month", "year"]
    buckets: list[TimelineBucket]


class HistogramBin(BaseModel):
    key: str
    count: int


class Histogram(BaseModel):
    field: str
    bins: list[HistogramBin]


class DocumentIn(BaseModel):
    """Text, HTML or a URL to fetch (through the SSRF guard) and process."""

    model_config = {"extra": "forbid"}

    id: str | None = Field(default=None, max_length=512)
    text: str | None = Field(default=None, max_length=2_000_000)
    html: str | None = Field(default=None, max_length=5_000_000)
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=2000)
    published: dt.date | None = None
    language: str | None = Field(default=None, max_length=16)


class DocumentOut(BaseModel):
    article_id: int
    external_id: str
    created: bool
    relevant: bool
    fact_ids: list[int]
    error: str | None = None


class Problem(BaseModel):
    detail: str
