"""Hand-written articles and facts for the API tests (our own text, no third-party news)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from displacement_monitor.model import DateSpan, ExtractionResult, Fact, Location
from displacement_monitor.store import ArticleRecord, Store

XSS_TITLE = "<script>window.__pwned = 1</script> Storm batters the coast"
XSS_QUOTE = 'The storm <img src=x onerror="window.__pwned=2"> left 640 families homeless <script>x()</script>'


@dataclass(frozen=True, slots=True)
class Written:
    external_id: str
    title: str
    text: str
    published: dt.date
    cause: str
    hazard: str
    country: str
    #: (quote, figure, unit, term, place, lat, lon, day)
    facts: tuple[tuple[str, int, str, str, str, float, float, dt.date], ...]


ARTICLES = (
    Written(
        "flood-1",
        "Floods force thousands from their homes along the river",
        "Heavy rain fell for a week. Floods displaced 12,000 people in Garissa on Friday, officials said. "
        "Another 300 people were evacuated from Hola by boat.",
        dt.date(2024, 5, 4),
        "disaster",
        "flood",
        "KEN",
        (
            (
                "Floods displaced 12,000 people in Garissa on Friday",
                12000,
                "person",
                "displaced",
                "Garissa",
                -0.4532,
                39.6461,
                dt.date(2024, 5, 3),
            ),
            (
                "300 people were evacuated from Hola",
                300,
                "person",
                "evacuated",
                "Hola",
                -1.5,
                40.03,
                dt.date(2024, 5, 4),
            ),
        ),
    ),
    Written(
        "conflict-1",
        "Families flee fighting near the lake",
        "Clashes resumed at dawn. Some 3,500 households fled Sake towards Goma, a local leader said.",
        dt.date(2024, 2, 11),
        "conflict",
        "conflict",
        "COD",
        (
            (
                "Some 3,500 households fled Sake towards Goma",
                3500,
                "household",
                "forced_to_flee",
                "Sake",
                -1.5736,
                29.0453,
                dt.date(2024, 2, 10),
            ),
        ),
    ),
    Written(
        "quake-1",
        "Aftershocks keep residents outdoors",
        "After the earthquake, 800 people were sheltered in tents in Malatya, the governor said.",
        dt.date(2023, 2, 8),
        "disaster",
        "earthquake",
        "TUR",
        (
            (
                "800 people were sheltered in tents in Malatya",
                800,
                "person",
                "sheltered",
                "Malatya",
                38.3552,
                38.3095,
                dt.date(2023, 2, 7),
            ),
        ),
    ),
    Written(
        "storm-xss",
        XSS_TITLE,
        "Winds reached the shore overnight. " + XSS_QUOTE + ", the mayor of Tacloban said.",
        dt.date(2024, 11, 2),
        "disaster",
        "storm",
        "PHL",
        ((XSS_QUOTE, 640, "household", "homeless", "Tacloban", 11.2443, 125.0039, dt.date(2024, 11, 1)),),
    ),
)


def extraction_result(article: Written) -> ExtractionResult:
    facts = []
    for quote, figure, unit, term, place, lat, lon, day in article.facts:
        start = article.text.index(quote)
        place_start = article.text.index(place, start)
        facts.append(
            Fact(
                figure=figure,
                figure_min=figure,
                figure_max=figure,
                qualifier="exact",
                unit=unit,  # type: ignore[arg-type]
                term=term,  # type: ignore[arg-type]
                modality="reported",
                quote=quote,
                start=start,
                end=start + len(quote),
                location=Location(
                    name=place,
                    lat=lat,
                    lon=lon,
                    country_iso3=article.country,
                    precision="city",
                    confidence=0.9,
                    start=place_start,
                    end=place_start + len(place),
                ),
                country_iso3=article.country,
                date=DateSpan(day, day, "day", None),
                cause=article.cause,  # type: ignore[arg-type]
                hazard=article.hazard,  # type: ignore[arg-type]
                confidence=0.8,
                figure_text=f"{figure:,}",
            )
        )
    return ExtractionResult(
        id=article.external_id,
        language="en",
        relevant=True,
        relevance_score=0.9,
        cause=article.cause,  # type: ignore[arg-type]
        hazard=article.hazard,  # type: ignore[arg-type]
        country_iso3=article.country,
        published=article.published,
        title=article.title,
        url=f"https://news.example.org/{article.external_id}",
        facts=facts,
        text=article.text,
    )


def fill(store: Store) -> dict[str, list[int]]:
    """Save every sample article; returns external id → fact row ids."""
    ids: dict[str, list[int]] = {}
    for article in ARTICLES:
        result = extraction_result(article)
        store.save_result(
            result,
            ArticleRecord(
                external_id=article.external_id,
                url=result.url,
                canonical_url=result.url,
                content_hash=article.external_id,
            ),
        )
        stored = store.get_result(article.external_id)
        assert stored is not None
        ids[article.external_id] = stored.fact_ids
    irrelevant = ExtractionResult(
        id="sport-1",
        language="en",
        title="Local team wins the cup",
        text="The home side won two goals to nil.",
        published=dt.date(2024, 3, 1),
    )
    store.save_result(irrelevant, ArticleRecord(external_id="sport-1", content_hash="sport-1"))
    return ids
