"""Who may do what: viewers read, analysts review and submit, bad tokens are refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from displacement_monitor.api import add_user
from displacement_monitor.api.auth import hash_token
from displacement_monitor.store import open_store
from displacement_monitor.store.auth_tables import UserRow

from .conftest import Api, make_api


def test_auth_viewer_cannot_review(api: Api) -> None:
    fact_id = api.fact_ids["flood-1"][0]
    response = api.client.patch(
        f"/api/facts/{fact_id}", json={"action": "accept"}, headers=api.auth("viewer")
    )
    assert response.status_code == 403


def test_auth_review_without_token_or_with_bad_token_is_401(api: Api) -> None:
    url = f"/api/facts/{api.fact_ids['flood-1'][0]}"
    assert api.client.patch(url, json={"action": "accept"}).status_code == 401
    bad = api.client.patch(url, json={"action": "accept"}, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    assert api.client.get("/api/facts", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert api.client.get("/api/facts", headers={"Authorization": "Basic abc"}).status_code == 401


def test_auth_analyst_may_review(sqlite_api: Api) -> None:
    url = f"/api/facts/{sqlite_api.fact_ids['flood-1'][0]}"
    response = sqlite_api.client.patch(url, json={"action": "accept"}, headers=sqlite_api.auth("analyst"))
    assert response.status_code == 200


def test_auth_viewer_cannot_submit_documents(sqlite_api: Api) -> None:
    response = sqlite_api.client.post("/api/documents", json={"text": "x"}, headers=sqlite_api.auth("viewer"))
    assert response.status_code == 403


@pytest.fixture
def closed_api(tmp_path: Path) -> Iterator[Api]:
    yield from make_api(f"sqlite:///{tmp_path / 'closed.db'}", open_reads=False)


def test_auth_closed_reads_need_a_token(closed_api: Api) -> None:
    assert closed_api.client.get("/api/facts").status_code == 401
    assert closed_api.client.get("/api/facts", headers=closed_api.auth("viewer")).status_code == 200
    assert closed_api.client.get("/").status_code == 200  # the dashboard itself asks for the token


def test_auth_add_user_stores_only_the_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    token = add_user(url, "amina", "analyst")
    rekeyed = add_user(url, "amina", "admin")
    assert token != rekeyed and token.startswith("dm_")
    store = open_store(url)
    with store.session() as session:
        user = session.query(UserRow).one()
        assert (
            user.role == "admin" and user.token_hash == hash_token(rekeyed) and token not in user.token_hash
        )
    store.close()
