"""API attack surface: SQL injection, request size, tokens, local files, headers, CSV formulas."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from displacement_monitor.api import Settings, create_app
from displacement_monitor.api.auth import create_user, hash_token
from displacement_monitor.model import Document, ExtractionResult, Fact
from displacement_monitor.store import ArticleRecord, Store, open_store
from displacement_monitor.store.auth_tables import UserRow

from .conftest import Routes

WEB_DIR = Path(__file__).resolve().parents[2] / "src" / "displacement_monitor" / "web"
SMALL_LIMIT = 200_000


class EchoProcessor:
    """Stands in for the NLP pipeline: the API's own handling is what is under test."""

    def process(self, document: Document) -> ExtractionResult:
        return ExtractionResult(id=document.id, url=document.url, text=document.text or document.html)


def _fact(quote: str, figure: int) -> Fact:
    return Fact(
        figure=figure,
        figure_min=None,
        figure_max=None,
        qualifier="exact",
        unit="person",
        term="displaced",
        modality="reported",
        quote=quote,
        start=0,
        end=len(quote),
        country_iso3="SDN",
        cause="conflict",
        hazard="conflict",
    )


QUOTES = [
    '=HYPERLINK("http://evil.example","click") 1,200 people were displaced',
    "Some 50% of the 3,000 displaced_people are in camps",
    "O'Brien said 700 people fled; it's 100% true",
]


@dataclass
class SecuredApi:
    client: TestClient
    store: Store
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def _filled_store(url: str) -> tuple[Store, dict[str, str]]:
    store = open_store(url)
    for number, quote in enumerate(QUOTES):
        result = ExtractionResult(
            id=f"sec-{number}",
            relevant=True,
            title="<script>alert(1)</script> title",
            text=quote,
            facts=[_fact(quote, 1000 + number)],
        )
        store.save_result(
            result, ArticleRecord(external_id=f"sec-{number}", url=f"https://example.org/{number}")
        )
    with store.session() as session:
        tokens = {role: create_user(session, f"{role}-sec", role) for role in ("viewer", "analyst", "admin")}
    return store, tokens


def _app(url: str, **settings: object) -> FastAPI:
    return create_app(Settings(database_url=url, **settings), pipeline_factory=EchoProcessor)


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[SecuredApi]:
    url = f"sqlite:///{tmp_path / 'sec.db'}"
    store, tokens = _filled_store(url)
    with TestClient(_app(url, max_request_bytes=SMALL_LIMIT)) as client:
        yield SecuredApi(client, store, tokens)
    store.close()


def _fact_count(store: Store) -> int:
    return store.count_facts()


# ------------------------------------------------------------------ SQL injection
INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE facts; --",
    '" OR 1=1 --',
    "%' UNION SELECT token_hash FROM api_users --",
    "\\",
    "%",
    "_",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_facts_query_text_is_a_parameter_not_sql(secured: SecuredApi, payload: str) -> None:
    before = _fact_count(secured.store)
    response = secured.client.get("/api/facts", params={"q": payload})
    assert response.status_code == 200
    expected = {quote for quote in QUOTES if payload.lower() in quote.lower()}  # % and _ are literal
    assert {item["quote"] for item in response.json()["items"]} == expected
    for name in ("country", "cause", "term", "status"):
        assert secured.client.get("/api/facts", params={name: payload}).status_code in (200, 422)
    assert _fact_count(secured.store) == before


def test_facts_query_wildcards_match_literally(secured: SecuredApi) -> None:
    found = secured.client.get("/api/facts", params={"q": "50%"}).json()["items"]
    assert [item["quote"] for item in found] == [QUOTES[1]]
    found = secured.client.get("/api/facts", params={"q": "O'Brien"}).json()["items"]
    assert [item["quote"] for item in found] == [QUOTES[2]]


@pytest.mark.parametrize(
    "sort", ["figure; DROP TABLE facts", "id desc", "(select 1)", "-token_hash", "quote"]
)
def test_facts_sort_accepts_only_known_columns(secured: SecuredApi, sort: str) -> None:
    assert secured.client.get("/api/facts", params={"sort": sort}).status_code == 422
    assert _fact_count(secured.store) == len(QUOTES)


# ------------------------------------------------------------------ tokens
def test_tokens_are_stored_only_as_sha256(secured: SecuredApi) -> None:
    with secured.store.session() as session:
        rows = session.scalars(select(UserRow)).all()
        dump = "\n".join(str(v) for r in session.execute(text("SELECT * FROM api_users")) for v in r)
    assert {row.token_hash for row in rows} == {hash_token(t) for t in secured.tokens.values()}
    for token in secured.tokens.values():
        assert token.startswith("dm_") and len(token) > 40
        assert token not in dump


def test_wrong_token_is_401_and_weak_role_is_403(secured: SecuredApi) -> None:
    client = secured.client
    assert client.get("/api/facts", headers={"Authorization": "Bearer dm_wrong"}).status_code == 401
    assert client.get("/api/facts", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.post("/api/documents", json={"text": "x"}).status_code == 401
    viewer = client.post("/api/documents", json={"text": "x"}, headers=secured.auth("viewer"))
    assert viewer.status_code == 403
    analyst = client.post("/api/documents", json={"text": "x"}, headers=secured.auth("analyst"))
    assert analyst.status_code == 201


def test_tokens_never_reach_the_logs(secured: SecuredApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for role in secured.tokens:
        secured.client.get("/api/facts", headers=secured.auth(role))
        secured.client.post("/api/documents", json={"text": "x"}, headers=secured.auth(role))
    secured.client.get("/api/facts", headers={"Authorization": "Bearer dm_not_a_real_token_123"})
    for token in [*secured.tokens.values(), "dm_not_a_real_token_123"]:
        assert token not in caplog.text


# ------------------------------------------------------------------ local files through submissions
@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "/etc/passwd", "../../../etc/passwd", "file://localhost/etc/hostname"]
)
def test_document_url_cannot_read_local_files(secured: SecuredApi, url: str) -> None:
    response = secured.client.post("/api/documents", json={"url": url}, headers=secured.auth("analyst"))
    assert response.status_code == 422
    assert "root:" not in response.text


def test_document_url_cannot_reach_loopback_services(
    secured: SecuredApi, loopback_server: Callable[[Routes], str]
) -> None:
    base = loopback_server({"/admin": (200, {}, b"<p>internal secret 1,000 displaced</p>")})
    for url in (f"{base}/admin", base.replace("127.0.0.1", "localhost") + "/admin"):
        response = secured.client.post("/api/documents", json={"url": url}, headers=secured.auth("analyst"))
        assert response.status_code == 422
        assert "DM201" in response.json()["detail"]
        assert "secret" not in response.text


# ------------------------------------------------------------------ request size
def test_oversized_body_is_refused_before_auth(secured: SecuredApi) -> None:
    body = b'{"text": "' + b"a" * (SMALL_LIMIT + 10) + b'"}'
    response = secured.client.post(
        "/api/documents", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413  # not 401: the body is never parsed
    assert _fact_count(secured.store) == len(QUOTES)


def test_schema_limits_field_sizes(secured: SecuredApi) -> None:
    response = secured.client.post(
        "/api/documents", json={"text": "x", "title": "t" * 5000}, headers=secured.auth("analyst")
    )
    assert response.status_code == 422


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_api(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The app under uvicorn on loopback, for what only a real HTTP server shows (chunked bodies)."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store, tokens = _filled_store(url)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            _app(url, max_request_bytes=SMALL_LIMIT), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tokens
    server.should_exit = True
    thread.join(10)
    store.close()


def test_chunked_oversized_body_is_cut_off(live_api: tuple[str, dict[str, str]]) -> None:
    base, tokens = live_api

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):  # 6.4 MB announced by no Content-Length
            yield b"a" * 65536
        yield b'"}'

    headers = {"Authorization": f"Bearer {tokens['analyst']}", "Content-Type": "application/json"}
    with httpx.Client(timeout=30) as client:
        response = client.post(f"{base}/api/documents", content=chunks(), headers=headers)
        assert response.status_code == 413
        declared = client.post(
            f"{base}/api/documents",
            content=b"x" * (SMALL_LIMIT + 1),
            headers={"Content-Type": "application/json"},
        )
        assert declared.status_code == 413
        assert client.get(f"{base}/api/facts").status_code == 200


# ------------------------------------------------------------------ XSS and exports
def test_pages_carry_a_strict_content_security_policy(secured: SecuredApi) -> None:
    for path in ("/", "/api/facts"):
        headers = secured.client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"


def test_api_returns_markup_as_json_data(secured: SecuredApi) -> None:
    response = secured.client.get("/api/articles")
    assert response.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in response.json()["items"][0]["title"]  # data, escaped by the UI


def test_dashboard_never_parses_data_as_html() -> None:
    script = (WEB_DIR / "app.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink
    assert "bindPopup(" not in code  # Leaflet parses string popups as HTML
    assert "textContent" in code
    assert "/^https?:\\/\\//i.test(article.url)" in code  # no javascript: links from article URLs


def test_csv_export_neutralises_spreadsheet_formulas(secured: SecuredApi) -> None:
    body = secured.client.get("/api/exports/facts", params={"format": "csv"}).text
    assert "=HYPERLINK" in body
    assert '"=HYPERLINK' not in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert "'=HYPERLINK" in body
