"""Analyst merge and split through the API: stored, audited, kept through re-clustering and restarts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from displacement_monitor.api import Settings, create_app
from displacement_monitor.store import ArticleRecord, Store

from .conftest import Api
from .sample import Written, extraction_result


def later_flood(external_id: str, day: int, figure: int) -> Written:
    """Another report of the Garissa floods (our own wording), ``day`` days into May 2024."""
    quote = f"{figure:,} people were displaced in Garissa"
    return Written(
        external_id,
        "River still rising in the north-east",
        f"Rescuers said {quote} this week, the county said.",
        dt.date(2024, 5, day),
        "disaster",
        "flood",
        "KEN",
        ((quote, figure, "person", "displaced", "Garissa", -0.4532, 39.6461, dt.date(2024, 5, day - 1)),),
    )


def add_article(store: Store, article: Written) -> None:
    result = extraction_result(article)
    store.save_result(
        result, ArticleRecord(external_id=article.external_id, content_hash=article.external_id)
    )


def groups(client: TestClient) -> list[list[str]]:
    response = client.get("/api/events", params={"limit": 500})
    assert response.status_code == 200
    return sorted(sorted(e["articles"]) for e in response.json()["items"])


def event_of(client: TestClient, article: str) -> dict[str, Any]:
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    return next(e for e in items if article in e["articles"])


def test_app_event_overrides_merge_and_split_survive_reclustering_and_restart(
    api: Api, api_db_url: str
) -> None:
    client = api.client
    assert groups(client) == [["conflict-1"], ["flood-1"], ["quake-1"], ["storm-xss"]]
    pair = [event_of(client, "flood-1")["event_id"], event_of(client, "conflict-1")["event_id"]]

    merged = client.post(
        "/api/events/merge", json={"events": pair, "note": "one crisis"}, headers=api.auth("analyst")
    )
    assert merged.status_code == 201, merged.text
    body = merged.json()
    assert body["event"]["articles"] == ["conflict-1", "flood-1"]
    assert body["override"]["articles"] == ["conflict-1", "flood-1"]
    assert body["override"]["events"] == pair
    assert body["override"]["created_by"] == "analyst-user"

    add_article(api.store, later_flood("flood-2", 7, 2000))
    assert groups(client) == [["conflict-1", "flood-1", "flood-2"], ["quake-1"], ["storm-xss"]]

    split = client.post(
        "/api/events/split",
        json={"articles": ["flood-2"], "note": "a later flood"},
        headers=api.auth("admin"),
    )
    assert split.status_code == 201, split.text
    assert split.json()["event"]["articles"] == ["flood-2"]

    add_article(api.store, later_flood("flood-3", 9, 2500))
    after = [["conflict-1", "flood-1", "flood-3"], ["flood-2"], ["quake-1"], ["storm-xss"]]
    assert groups(client) == after

    with TestClient(create_app(Settings(database_url=api_db_url, open_reads=True))) as restarted:
        assert groups(restarted) == after
        log = restarted.get("/api/events/overrides").json()
        assert [(o["action"], o["note"], o["active"]) for o in log] == [
            ("merge", "one crisis", True),
            ("split", "a later flood", True),
        ]
        assert log[1]["before"] == {
            event_of(restarted, "flood-1")["event_id"]: ["conflict-1", "flood-1", "flood-2"]
        }

        revoked = restarted.delete(f"/api/events/overrides/{log[1]['id']}", headers=api.auth("analyst"))
        assert revoked.status_code == 200
        assert revoked.json()["revoked_by"] == "analyst-user" and not revoked.json()["active"]
        assert groups(restarted) == [
            ["conflict-1", "flood-1", "flood-2", "flood-3"],
            ["quake-1"],
            ["storm-xss"],
        ]
        assert len(restarted.get("/api/events/overrides", params={"include_revoked": False}).json()) == 1


def test_app_event_overrides_need_an_analyst(sqlite_api: Api) -> None:
    client = sqlite_api.client
    pair = [event_of(client, "flood-1")["event_id"], event_of(client, "quake-1")["event_id"]]
    assert client.post("/api/events/merge", json={"events": pair}).status_code == 401
    viewer = sqlite_api.auth("viewer")
    assert client.post("/api/events/merge", json={"events": pair}, headers=viewer).status_code == 403
    assert client.post("/api/events/split", json={"articles": ["flood-1"]}, headers=viewer).status_code == 403
    assert client.delete("/api/events/overrides/1", headers=viewer).status_code == 403
    assert client.get("/api/events/overrides").json() == []


def test_app_event_overrides_refuse_what_changes_nothing(sqlite_api: Api) -> None:
    client = sqlite_api.client
    analyst = sqlite_api.auth("analyst")
    flood = event_of(client, "flood-1")["event_id"]
    cases = [
        ("/api/events/merge", {"events": [flood, "ev-000000000000"]}, 404),
        ("/api/events/merge", {"events": [flood, flood]}, 422),
        ("/api/events/merge", {"events": [flood]}, 422),
        ("/api/events/merge", {"events": [flood, flood], "extra": 1}, 422),
        ("/api/events/split", {"articles": ["flood-1"]}, 422),  # already alone
        ("/api/events/split", {"articles": ["sport-1"]}, 422),  # not clustered
        ("/api/events/split", {"articles": []}, 422),
        ("/api/events/split", {"articles": ["flood-1"], "note": "x" * 5000}, 422),
    ]
    for path, body, expected in cases:
        response = client.post(path, json=body, headers=analyst)
        assert response.status_code == expected, (path, body, response.text)
    assert client.get("/api/events/overrides").json() == []
    assert client.delete("/api/events/overrides/99", headers=analyst).status_code == 404
    assert groups(client) == [["conflict-1"], ["flood-1"], ["quake-1"], ["storm-xss"]]
