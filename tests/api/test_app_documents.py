"""POST /api/documents: text goes through the real pipeline into the store; URLs pass the SSRF guard."""

from __future__ import annotations

from .conftest import Api

STORY = (
    "Flooding along the Shabelle river has forced 4,000 people to leave their homes in Beledweyne, "
    "Somalia, local authorities said on Tuesday. Many families are sheltering in schools."
)


def test_documents_text_is_processed_and_stored(sqlite_api: Api) -> None:
    response = sqlite_api.client.post(
        "/api/documents",
        json={"id": "submitted-1", "text": STORY, "title": "River floods", "published": "2024-04-30"},
        headers=sqlite_api.auth("analyst"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True and body["error"] is None and body["relevant"] is True
    assert body["fact_ids"]
    fact = sqlite_api.client.get(f"/api/facts/{body['fact_ids'][0]}").json()
    assert fact["figure"] == 4000 and fact["article_external_id"] == "submitted-1"
    again = sqlite_api.client.post("/api/documents", json={"text": STORY}, headers=sqlite_api.auth("analyst"))
    assert again.json()["created"] is False


def test_documents_url_to_a_private_address_is_refused(sqlite_api: Api) -> None:
    response = sqlite_api.client.post(
        "/api/documents", json={"url": "http://127.0.0.1:9/news"}, headers=sqlite_api.auth("analyst")
    )
    assert response.status_code == 422 and "DM201" in response.json()["detail"]


def test_documents_need_something_to_process(sqlite_api: Api) -> None:
    response = sqlite_api.client.post(
        "/api/documents", json={"title": "x"}, headers=sqlite_api.auth("analyst")
    )
    assert response.status_code == 422
