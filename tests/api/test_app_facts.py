"""Facts endpoints on SQLite and PostgreSQL: filters, pagination, detail, review and its audit log."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from displacement_monitor.api import Settings, create_app
from displacement_monitor.store.auth_tables import ReviewEventRow
from displacement_monitor.store.tables import FactRow

from .conftest import Api


def _ids(api: Api, **params: object) -> set[int]:
    response = api.client.get("/api/facts", params=params)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_facts_list_returns_every_fact_with_article_metadata(api: Api) -> None:
    body = api.client.get("/api/facts").json()
    assert body["total"] == 5 and body["total_exact"] is True
    first = body["items"][0]
    assert first["article_title"] and first["location"]["lat"] is not None
    assert first["review"]["status"] == "pending"


def test_facts_filters_narrow_the_list(api: Api) -> None:
    flood = set(api.fact_ids["flood-1"])
    assert _ids(api, country="KEN") == flood
    assert _ids(api, country="ken,cod") == flood | set(api.fact_ids["conflict-1"])
    assert _ids(api, cause="conflict") == set(api.fact_ids["conflict-1"])
    assert _ids(api, hazard="earthquake") == set(api.fact_ids["quake-1"])
    assert _ids(api, term="evacuated") == {api.fact_ids["flood-1"][1]}
    assert _ids(api, unit="household") == set(api.fact_ids["conflict-1"]) | set(api.fact_ids["storm-xss"])
    assert _ids(api, date_from="2024-01-01", date_to="2024-03-01") == set(api.fact_ids["conflict-1"])
    assert _ids(api, figure_min=1000) == {api.fact_ids["flood-1"][0], api.fact_ids["conflict-1"][0]}
    assert _ids(api, figure_max=500) == {api.fact_ids["flood-1"][1]}
    assert _ids(api, q="GARISSA") == {api.fact_ids["flood-1"][0]}
    assert _ids(api, q="100%") == set()
    assert _ids(api, qualifier="exact", modality="reported", review_status="pending") == {
        i for ids in api.fact_ids.values() for i in ids
    }
    assert _ids(api, review_status="accepted") == set()


def test_facts_pagination_and_sorting(api: Api) -> None:
    page = api.client.get("/api/facts", params={"limit": 2, "offset": 0, "sort": "-figure"}).json()
    assert [f["figure"] for f in page["items"]] == [12000, 3500]
    assert page["total"] == 5
    rest = api.client.get("/api/facts", params={"limit": 2, "offset": 4, "sort": "-figure"}).json()
    assert [f["figure"] for f in rest["items"]] == [300]
    assert api.client.get("/api/facts", params={"limit": 0}).status_code == 422


def test_facts_text_search_ignores_case_and_takes_wildcards_literally(api: Api) -> None:
    flood = api.fact_ids["flood-1"]
    assert _ids(api, q="garissa") == _ids(api, q="GarISSA") == {flood[0]}
    assert _ids(api, q="people", country="KEN") == set(flood)
    assert _ids(api, q="300_people") == _ids(api, q="3%0") == _ids(api, q="\\") == set()
    assert _ids(api, q="300 people") == {flood[1]}


def test_facts_id_order_both_ways(api: Api) -> None:
    every = sorted(i for ids in api.fact_ids.values() for i in ids)
    for sort, expected in (("id", every), ("-id", every[::-1])):
        body = api.client.get("/api/facts", params={"sort": sort}).json()
        assert [f["id"] for f in body["items"]] == expected
        body = api.client.get("/api/facts", params={"sort": sort, "q": "people", "limit": 2}).json()
        assert [f["id"] for f in body["items"]] == [i for i in expected if i in _ids(api, q="people")][:2]


def test_facts_sorted_pages_put_missing_values_last(api: Api) -> None:
    """Every sort, every page: values in order, facts without one after them, ties by id."""
    flood, conflict = api.fact_ids["flood-1"], api.fact_ids["conflict-1"]
    with api.store.session() as session:
        session.get_one(FactRow, flood[1]).date_start = None
        session.get_one(FactRow, conflict[0]).date_start = None
        session.get_one(FactRow, flood[0]).figure = None
        rows = session.execute(select(FactRow.id, FactRow.date_start, FactRow.figure)).all()
    for sort in ("date", "-date", "figure", "-figure"):
        index = 1 if "date" in sort else 2
        with_value = sorted((r for r in rows if r[index] is not None), key=lambda r: (r[index], r[0]))
        without = sorted(r[0] for r in rows if r[index] is None)
        if sort.startswith("-"):
            expected = [r[0] for r in reversed(with_value)] + without[::-1]
        else:
            expected = [r[0] for r in with_value] + without
        for limit in (1, 2, 3, 10):
            pages = [
                api.client.get("/api/facts", params={"sort": sort, "limit": limit, "offset": offset}).json()
                for offset in range(0, 6, limit)
            ]
            assert [f["id"] for page in pages for f in page["items"]] == expected, (sort, limit)
            assert {page["total"] for page in pages} == {5}


def test_facts_total_on_every_page(api: Api) -> None:
    """Full pages are counted; a short or empty last page gives the same total."""
    pages: list[dict[str, object]] = [
        {"limit": 2},
        {"limit": 2, "offset": 4},
        {"limit": 2, "offset": 9},
        {"limit": 9},
    ]
    for params in pages:
        body = api.client.get("/api/facts", params=params).json()
        assert (body["total"], body["total_exact"]) == (5, True), params
    pages = [{"q": "people", "limit": 1}, {"q": "people", "limit": 5}, {"q": "people", "offset": 2}]
    for params in pages:
        body = api.client.get("/api/facts", params=params).json()
        assert (body["total"], body["total_exact"]) == (3, True), params


def test_facts_total_stops_at_the_count_limit(api: Api, api_db_url: str) -> None:
    with TestClient(create_app(Settings(database_url=api_db_url, count_limit=2))) as client:
        pages: list[dict[str, object]] = [
            {"limit": 1},
            {"limit": 10},
            {"q": "people", "limit": 1},
            {"q": "people"},
        ]
        for params in pages:
            body = client.get("/api/facts", params=params).json()
            assert (body["total"], body["total_exact"]) == (2, False), params
        body = client.get("/api/facts", params={"q": "garissa", "limit": 1}).json()
        assert (body["total"], body["total_exact"]) == (1, True)


def test_quote_search_has_its_trigram_index_on_postgresql(api: Api) -> None:
    """Where pg_trgm exists, ``q`` (``lower(quote) LIKE …``) is served by an index on ``lower(quote)``."""
    if api.store.dialect != "postgresql":
        return
    with api.store.engine.connect() as connection:
        if not connection.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")):
            return
        rows = connection.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        )
        indexes: dict[str, str] = {name: definition for name, definition in rows}
    assert "lower(quote)" in indexes["ix_facts_quote_lower_trgm"]
    assert "ix_facts_quote_trgm" not in indexes


def test_fact_detail_and_missing_fact(api: Api) -> None:
    fact_id = api.fact_ids["quake-1"][0]
    body = api.client.get(f"/api/facts/{fact_id}").json()
    assert body["term"] == "sheltered" and body["history"] == []
    assert api.client.get("/api/facts/999999").status_code == 404


def test_review_accept_is_logged_with_reviewer_and_before_after(api: Api) -> None:
    fact_id = api.fact_ids["flood-1"][0]
    response = api.client.patch(
        f"/api/facts/{fact_id}", json={"action": "accept"}, headers=api.auth("analyst")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["review"]["status"] == "accepted" and body["review"]["by"] == "analyst-user"
    assert body["history"][0]["before"]["review_status"] == "pending"
    assert body["history"][0]["after"]["review_status"] == "accepted"
    with api.store.session() as session:
        assert session.get_one(FactRow, fact_id).review_status == "accepted"
        logged = session.scalars(select(ReviewEventRow).where(ReviewEventRow.fact_id == fact_id)).one()
        assert logged.reviewer == "analyst-user" and logged.action == "accept"


def test_review_edit_changes_effective_values_and_keeps_original(api: Api) -> None:
    fact_id = api.fact_ids["conflict-1"][0]
    edit = {
        "action": "edit",
        "reason": "the leader said 3,000",
        "changes": {"figure": 3000, "date_start": "2024-02-09"},
    }
    body = api.client.patch(f"/api/facts/{fact_id}", json=edit, headers=api.auth("admin")).json()
    assert body["figure"] == 3000 and body["date"]["start"] == "2024-02-09"
    assert body["review"]["status"] == "edited" and body["review"]["changes"]["figure"] == 3000
    assert body["history"][0]["before"]["figure"] == 3500 and body["history"][0]["after"]["figure"] == 3000
    with api.store.session() as session:
        assert session.get_one(FactRow, fact_id).figure == 3500


def test_review_rejection_needs_a_reason(api: Api) -> None:
    fact_id = api.fact_ids["quake-1"][0]
    url = f"/api/facts/{fact_id}"
    assert api.client.patch(url, json={"action": "reject"}, headers=api.auth("analyst")).status_code == 422
    response = api.client.patch(
        url, json={"action": "reject", "reason": "duplicate report"}, headers=api.auth("analyst")
    )
    assert response.json()["review"] == {
        **response.json()["review"],
        "status": "rejected",
        "note": "duplicate report",
    }
    assert _ids(api, review_status="rejected") == {fact_id}
    missing = api.client.patch("/api/facts/999999", json={"action": "accept"}, headers=api.auth("analyst"))
    assert missing.status_code == 404
