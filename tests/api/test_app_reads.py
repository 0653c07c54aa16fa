"""Articles, events, stats, map and exports on SQLite and PostgreSQL, including hostile article text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from displacement_monitor.store.tables import FactRow

from .conftest import Api
from .sample import XSS_QUOTE, XSS_TITLE


def test_articles_list_counts_facts_and_filters(api: Api) -> None:
    body = api.client.get("/api/articles").json()
    assert body["total"] == 5
    counts = {a["external_id"]: a["fact_count"] for a in body["items"]}
    assert counts == {"flood-1": 2, "conflict-1": 1, "quake-1": 1, "storm-xss": 1, "sport-1": 0}
    relevant = api.client.get("/api/articles", params={"relevant": True, "country": "ken"}).json()
    assert [a["external_id"] for a in relevant["items"]] == ["flood-1"]
    with_facts = api.client.get("/api/articles", params={"with_facts": True}).json()
    assert with_facts["total"] == 4


def test_article_detail_spans_point_at_the_quotes(api: Api) -> None:
    listing = api.client.get("/api/articles", params={"q": "floods"}).json()["items"]
    article = api.client.get(f"/api/articles/{listing[0]['id']}").json()
    assert len(article["spans"]) == 2
    for span, fact in zip(article["spans"], article["facts"], strict=True):
        assert article["text"][span["start"] : span["end"]] == fact["quote"]
    assert api.client.get("/api/articles/999999").status_code == 404


def test_article_with_script_is_returned_as_plain_data(api: Api) -> None:
    fact_id = api.fact_ids["storm-xss"][0]
    fact = api.client.get(f"/api/facts/{fact_id}").json()
    assert fact["quote"] == XSS_QUOTE and fact["article_title"] == XSS_TITLE
    response = api.client.get(f"/api/articles/{fact['article_id']}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["title"] == XSS_TITLE
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_events_group_articles_with_figures(api: Api) -> None:
    page = api.client.get("/api/events").json()
    assert page["total"] == 4
    flood = next(e for e in page["items"] if e["country_iso3"] == "KEN")
    assert flood["figures"] and flood["cause"] == "disaster"
    detail = api.client.get(f"/api/events/{flood['event_id']}").json()
    assert {f["id"] for f in detail["fact_details"]} == set(api.fact_ids["flood-1"])
    assert api.client.get("/api/events", params={"country": "COD"}).json()["total"] == 1
    assert api.client.get("/api/events/ev-missing").status_code == 404


def test_events_leave_out_rejected_facts(api: Api) -> None:
    fact_id = api.fact_ids["quake-1"][0]
    api.client.patch(
        f"/api/facts/{fact_id}",
        json={"action": "reject", "reason": "wrong place"},
        headers=api.auth("analyst"),
    )
    quake = api.client.get("/api/events", params={"country": "TUR"}).json()["items"]
    assert all(str(fact_id) not in event["facts"] for event in quake)


def test_stats_timeline_and_histograms(api: Api) -> None:
    timeline = api.client.get("/api/stats/timeline").json()
    assert [b["period"] for b in timeline["buckets"]] == ["2023-02", "2024-02", "2024-05", "2024-11"]
    may = timeline["buckets"][2]
    assert may["facts"] == 2 and may["figure_sum"] == 12300 and may["by_cause"] == {"disaster": 2}
    yearly = api.client.get("/api/stats/timeline", params={"interval": "year", "cause": "conflict"}).json()
    assert yearly["buckets"] == [
        {"period": "2024", "facts": 1, "figure_sum": 3500, "by_cause": {"conflict": 1}}
    ]
    figures = api.client.get("/api/stats/histogram").json()
    assert {b["key"]: b["count"] for b in figures["bins"]}["100-999"] == 3
    terms = api.client.get("/api/stats/histogram", params={"field": "country"}).json()
    assert terms["bins"][0] == {"key": "KEN", "count": 2}


def test_stats_timeline_periods_by_day_month_and_year(api: Api) -> None:
    """Days fold into months and years; keys are zero-padded like ``YYYY-MM-DD`` on both backends."""
    with api.store.session() as session:
        session.get_one(FactRow, api.fact_ids["quake-1"][0]).date_start = dt.date(987, 3, 9)
    daily = api.client.get("/api/stats/timeline", params={"interval": "day", "country": "KEN"}).json()
    assert [(b["period"], b["facts"], b["figure_sum"]) for b in daily["buckets"]] == [
        ("2024-05-03", 1, 12000),
        ("2024-05-04", 1, 300),
    ]
    for interval, periods in (
        ("day", ["0987-03-09", "2024-02-10", "2024-05-03", "2024-05-04", "2024-11-01"]),
        ("month", ["0987-03", "2024-02", "2024-05", "2024-11"]),
        ("year", ["0987", "2024"]),
    ):
        body = api.client.get("/api/stats/timeline", params={"interval": interval}).json()
        assert [b["period"] for b in body["buckets"]] == periods, interval
        assert sum(b["facts"] for b in body["buckets"]) == 5
    yearly = api.client.get("/api/stats/timeline", params={"interval": "year"}).json()["buckets"][1]
    assert yearly["by_cause"] == {"disaster": 3, "conflict": 1}
    assert yearly["figure_sum"] == 12000 + 300 + 3500 + 640
    # filters served by a (filter, date) index or not: the same buckets either way
    months = {"interval": "month", "date_from": "2024-01-01"}
    for params, expected in (
        ({"country": "KEN"}, [("2024-05", 2, 12300)]),
        ({"country": "KEN,TUR", "date_from": "0900-01-01"}, [("0987-03", 1, 800), ("2024-05", 2, 12300)]),
        ({"country": "KEN", "term": "evacuated"}, [("2024-05", 1, 300)]),
        ({"hazard": "flood"}, [("2024-05", 2, 12300)]),
        ({"cause": "disaster"}, [("2024-05", 2, 12300), ("2024-11", 1, 640)]),
        ({"q": "people"}, [("2024-05", 2, 12300)]),
    ):
        body = api.client.get("/api/stats/timeline", params={**months, **params}).json()
        assert [(b["period"], b["facts"], b["figure_sum"]) for b in body["buckets"]] == expected, params


def test_map_geojson_has_one_point_per_located_fact(api: Api) -> None:
    data = api.client.get("/api/map.geojson", params={"cause": "disaster"}).json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 4
    first = data["features"][0]
    assert first["properties"]["figure"] == 12000 and first["geometry"]["coordinates"] == [39.6461, -0.4532]


def test_exports_facts_csv_and_hxl(api: Api) -> None:
    plain = api.client.get("/api/exports/facts", params={"format": "csv", "country": "KEN"})
    assert plain.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(plain.text)))
    assert [r["figure"] for r in rows] == ["12000", "300"] and rows[0]["iso3"] == "KEN"
    hxl = list(csv.reader(io.StringIO(api.client.get("/api/exports/facts", params={"format": "hxl"}).text)))
    tags = dict(zip(hxl[0], hxl[1], strict=True))
    assert tags["iso3"] == "#country+code" and tags["figure"] == "#affected+displaced"
    assert tags["lat"] == "#geo+lat" and tags["date_start"].startswith("#date+displacement")
    assert len(hxl) == 2 + 5


def test_exports_facts_geojson_and_idu(api: Api) -> None:
    geo = api.client.get("/api/exports/facts", params={"format": "geojson"}).json()
    assert len(geo["features"]) == 5
    idu = api.client.get("/api/exports/facts", params={"format": "idu", "country": "COD"}).json()
    assert len(idu) == 1
    record = idu[0]
    assert record["displacement_type"] == "Conflict" and record["iso3"] == "COD"
    assert record["figure"] > 3500  # households converted to people
    assert record["displacement_start_date"] == "2024-02-10" and record["year"] == 2024
    for key in (
        "latitude",
        "longitude",
        "qualifier",
        "category",
        "type",
        "standard_popup_text",
        "source_url",
    ):
        assert key in record


def test_exports_events_all_formats(api: Api) -> None:
    rows = list(csv.DictReader(io.StringIO(api.client.get("/api/exports/events").text)))
    assert {r["iso3"] for r in rows} == {"KEN", "COD", "TUR", "PHL"}
    hxl = api.client.get("/api/exports/events", params={"format": "hxl"}).text.splitlines()
    assert hxl[1].startswith("#event+id,#event+name,#country+code")
    geo = json.loads(api.client.get("/api/exports/events", params={"format": "geojson"}).text)
    assert len(geo["features"]) == 4
    idu = api.client.get("/api/exports/events", params={"format": "idu"}).json()
    flood = next(r for r in idu if r["iso3"] == "KEN")
    assert flood["category"] == "Weather related" and flood["type"] == "Flood" and flood["event_name"]
