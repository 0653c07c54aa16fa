"""The Events tab lets an analyst merge ticked events and split an article back out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from displacement_monitor.store.events_repo import list_event_overrides

from .conftest import LiveServer, screenshot

pytestmark = pytest.mark.browser


def test_dashboard_event_overrides_merge_then_split(page: Page, live_server: LiveServer) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']", timeout=20_000)
    page.click("#tab-events")
    expect(page.locator("#event-list > li[data-event-id]")).to_have_count(4)
    expect(page.locator("#merge-events")).to_have_count(0)  # read-only without a token

    page.fill("#token-input", live_server.analyst_token)
    page.click("#token-form button")
    page.click("#tab-events")
    boxes = page.locator("#event-list [data-merge-select]")
    expect(boxes).to_have_count(4)
    boxes.nth(0).check()
    page.click("#merge-events")
    expect(page.locator("#event-notice")).to_contain_text("Tick at least two")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#merge-events")
    expect(page.locator("#event-notice")).to_contain_text("Saved: merge by web-analyst")
    expect(page.locator("#event-list > li[data-event-id]")).to_have_count(3)
    screenshot(page, "events-merged")

    split = page.locator("#event-list [data-split-article]").first
    split.click()
    expect(page.locator("#event-notice")).to_contain_text("Saved: split by web-analyst")
    expect(page.locator("#event-list > li[data-event-id]")).to_have_count(4)
    assert [o.override.action for o in list_event_overrides(live_server.store)] == ["merge", "split"]
    assert errors == []
