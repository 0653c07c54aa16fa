"""The dashboard in headless Debian chromium against a live server: map, filters, evidence, review."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from api.sample import XSS_QUOTE
from displacement_monitor.store.tables import FactRow

from .conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def _open(page: Page, server: LiveServer) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=20_000)
    return errors


def test_dashboard_loads_with_basemap_markers_and_timeline(page: Page, live_server: LiveServer) -> None:
    errors = _open(page, live_server)
    expect(page.locator("path.fact-marker")).to_have_count(5)
    assert page.locator(".leaflet-overlay-pane path:not(.fact-marker)").count() > 100  # country shapes
    assert page.locator("#timeline rect").count() >= 4
    expect(page.locator("#fact-list li")).to_have_count(5)
    expect(page.locator("#summary")).to_have_text("5 facts match")
    screenshot(page, "dashboard")
    assert errors == []


def test_dashboard_filter_narrows_markers(page: Page, live_server: LiveServer) -> None:
    _open(page, live_server)
    page.fill("#filter-country", "KEN")
    expect(page.locator("path.fact-marker")).to_have_count(2)
    expect(page.locator("#fact-list li")).to_have_count(2)
    page.select_option("#filter-term", "evacuated")
    expect(page.locator("path.fact-marker")).to_have_count(1)
    screenshot(page, "filtered")


def test_dashboard_evidence_opens_highlighted_and_analyst_accepts(
    page: Page, live_server: LiveServer
) -> None:
    _open(page, live_server)
    fact_id = live_server.fact_ids["flood-1"][0]
    page.click(f"#fact-list li[data-fact-id='{fact_id}']")
    current = page.locator("#article-text mark.evidence.current")
    expect(current).to_have_text("Floods displaced 12,000 people in Garissa on Friday")
    page.fill("#token-input", live_server.analyst_token)
    page.click("#token-form button")
    page.click("#review button[data-action='accept']")
    expect(page.locator("#review .message")).to_contain_text("accepted by web-analyst")
    expect(page.locator("#review .badge")).to_have_text("accepted")
    screenshot(page, "reviewed")
    with live_server.store.session() as session:
        row = session.get_one(FactRow, fact_id)
        assert (row.review_status, row.reviewed_by) == ("accepted", "web-analyst")


def test_dashboard_renders_script_in_article_inert(page: Page, live_server: LiveServer) -> None:
    errors = _open(page, live_server)
    fact_id = live_server.fact_ids["storm-xss"][0]
    page.click(f"#fact-list li[data-fact-id='{fact_id}']")
    expect(page.locator("#article-text mark.current")).to_have_text(XSS_QUOTE)
    expect(page.locator("#article-title")).to_contain_text("<script>")
    assert page.locator("#article script, #article img, #fact-list script, #fact-list img").count() == 0
    page.hover(f"path.fact-marker[data-fact-id='{fact_id}']")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "xss-inert")
    assert errors == []
