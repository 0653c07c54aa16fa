"""The domain model and its JSON shape."""

from __future__ import annotations

import dataclasses
import datetime as dt

from displacement_monitor.model import (
    LOCATION_FIELDS,
    DateSpan,
    Document,
    ExtractionResult,
    Fact,
    Location,
    document_from_dict,
    result_from_dict,
    result_to_dict,
)


def test_model_location_fields_follow_the_dataclass() -> None:
    assert tuple(f.name for f in dataclasses.fields(Location)) == LOCATION_FIELDS


def test_model_result_round_trips_through_json() -> None:
    fact = Fact(
        figure=2500,
        figure_min=2500,
        figure_max=2500,
        qualifier="exact",
        unit="person",
        term="evacuated",
        modality="expected",
        quote="2,500 residents leave",
        start=3,
        end=24,
        location=Location("al-Waer", lat=34.73, lon=36.66, country_iso3="SYR", precision="neighbourhood"),
        date=DateSpan(dt.date(2017, 5, 20), dt.date(2017, 5, 20), "day", "today"),
    )
    result = ExtractionResult(
        id="a", language="en", relevant=True, facts=[fact], published=dt.date(2017, 5, 20)
    )
    data = result_to_dict(result)
    assert data["facts"][0]["date"]["start"] == "2017-05-20"
    assert "text" not in data and "error" not in data
    back = result_from_dict(data)
    assert back.facts[0] == fact and back.published == result.published


def test_model_document_from_dict_ignores_unknown_fields_and_defaults_the_id() -> None:
    doc = document_from_dict(
        {"text": "x", "published": "2017-05-20T10:00:00Z", "extra": [1]}, default_id="f:3"
    )
    assert doc == Document(id="f:3", text="x", published=dt.date(2017, 5, 20))
    assert document_from_dict({"id": 7, "text": "x", "published": "not a date"}, "d").published is None
