"""Real browser: the desk calls the next ticket and the hall display shows it (Playwright
driving Debian's headless Chromium against serve.py with the demo data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from playwright.sync_api import expect

TIMEOUT = 15_000


def _counter_one(live_server: Any) -> dict[str, Any]:
    center = requests.get(f"{live_server.url}/api/v1/centers/baku-1", timeout=10).json()
    return next(c for c in center["counters"] if c["number"] == 1)


def _issue(live_server: Any, service: str) -> dict[str, Any]:
    res = requests.post(
        f"{live_server.url}/api/v1/centers/baku-1/tickets", json={"service": service}, timeout=10
    )
    assert res.status_code == 201, res.text
    return dict(res.json())


def _desk_login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/desk/login?lang=en")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Choose your counter")).to_be_visible()


def test_call_next_on_the_desk_appears_on_the_display(
    browser: Any, live_server: Any, artifacts: Path
) -> None:
    counter = _counter_one(live_server)
    ticket = _issue(live_server, counter["services"][0])

    hall_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    desk_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        hall = hall_ctx.new_page()
        hall.goto(f"{live_server.url}/display/baku-1")
        expect(hall.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        expect(hall.locator("#center-name")).not_to_be_empty()

        desk = desk_ctx.new_page()
        _desk_login(desk, live_server.url, "operator1")
        desk.locator('a[data-counter="1"]').click()
        expect(desk.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        desk.get_by_role("button", name="Start at this counter").click()
        expect(desk.locator("#counter-state")).to_have_text("Open", timeout=TIMEOUT)
        expect(desk.locator("#waiting-list")).to_contain_text(ticket["number"])

        desk.get_by_role("button", name="Call next").click()
        expect(desk.locator("#current-number")).to_have_text(ticket["number"], timeout=TIMEOUT)
        expect(desk.get_by_role("status").first).to_contain_text(f"{ticket['number']} called")

        expect(hall.locator("#now-number")).to_have_text(ticket["number"], timeout=TIMEOUT)
        expect(hall.locator("#now-counter")).to_have_text("1")
        expect(hall.locator('#counters li[data-counter="1"]')).to_contain_text(ticket["number"])
        # The announcement was queued and spoken (its audio played to the end) in the
        # center's languages, az first.
        hall.wait_for_function(
            "() => (window.hallAnnouncements || []).some(a => a.spoken.length === 3)",
            timeout=TIMEOUT * 3,
        )
        spoken = hall.evaluate("() => window.hallAnnouncements[0].spoken.map(s => s.lang)")
        assert spoken == ["az", "ru", "en"]
        hall.screenshot(path=str(artifacts / "display.png"))
        desk.screenshot(path=str(artifacts / "desk.png"), full_page=True)
    finally:
        hall_ctx.close()
        desk_ctx.close()


def test_second_desk_on_a_held_counter_is_told_why(browser: Any, live_server: Any) -> None:
    first_ctx = browser.new_context()
    second_ctx = browser.new_context()
    try:
        first = first_ctx.new_page()
        _desk_login(first, live_server.url, "operator3")
        first.locator('a[data-counter="5"]').click()
        expect(first.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        first.get_by_role("button", name="Start at this counter").click()
        expect(first.locator("#counter-state")).to_have_text("Open", timeout=TIMEOUT)

        second = second_ctx.new_page()
        _desk_login(second, live_server.url, "operator4")
        second.locator('a[data-counter="5"]').click()
        expect(second.get_by_role("alert")).to_contain_text("You are only viewing", timeout=TIMEOUT)
        expect(second.get_by_role("button", name="Call next")).to_be_hidden()
        expect(second.get_by_role("button", name="Start at this counter")).to_be_hidden()
    finally:
        first_ctx.close()
        second_ctx.close()
