"""Real browser (Playwright, Debian chromium) on the live demo server: the desk for a whole
day and every supervisor control on the controls page, with screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.display.hall_helpers import CENTER, Hall
from tests.kiosk.live_hours import set_hours

TIMEOUT = 20_000
SHOTS = Path("/work/helpers/shots/10b")


@pytest.fixture(scope="module")
def server(live_server: Any) -> Any:
    set_hours(live_server, open_all_day=True)
    return live_server


def login(browser: Any, server: Any, username: str, viewport: dict[str, int] | None = None) -> Any:
    ctx = browser.new_context(viewport=viewport or {"width": 1366, "height": 768})
    page = ctx.new_page()
    page.goto(f"{server.url}/desk/login?lang=en")
    page.locator("#username").fill(username)
    page.locator("#password").fill("demo")
    page.locator("form.desk-login button[type=submit]").click()
    expect(page.locator(".counter-choice")).to_be_visible(timeout=TIMEOUT)
    return ctx, page


def counter_state(server: Any, number: int) -> dict[str, Any]:
    center = requests.get(f"{server.url}/api/v1/centers/{CENTER}", timeout=10).json()
    return next(c for c in center["counters"] if c["number"] == number)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=False)


def no_overflow(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_supervisor_viewing_a_counter_leaves_it_closed(browser: Any, server: Any) -> None:
    ctx, page = login(browser, server, "supervisor")
    try:
        page.goto(f"{server.url}/desk/counter/{Hall(server).counters[2]['id']}?lang=en")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        start = page.get_by_role("button", name="Start at this counter")
        expect(start).to_be_visible()
        expect(page.get_by_role("button", name="Call next")).to_be_hidden()
        assert counter_state(server, 2)["state"] == "closed"
    finally:
        ctx.close()


def test_a_day_at_the_desk(browser: Any, server: Any) -> None:
    hall = Hall(server)
    service = hall.counters[3]["services"][0]
    first = hall.issue(service)
    second = hall.issue(service)
    ctx, page = login(browser, server, "operator3", {"width": 1920, "height": 1080})
    try:
        page.locator('a[data-counter="3"]').click()
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        assert counter_state(server, 3)["state"] == "closed"  # looking did not take it
        page.get_by_role("button", name="Start at this counter").click()
        call_next = page.get_by_role("button", name="Call next")
        expect(call_next).to_be_focused(timeout=TIMEOUT)  # focus on the next action
        # The waiting list is reachable from the keyboard.
        page.locator("#waiting-list").focus()
        expect(page.locator("#waiting-list")).to_contain_text(first["number"])
        page.keyboard.press("n")
        expect(page.locator("#current-number")).to_have_text(first["number"], timeout=TIMEOUT)
        expect(page.get_by_role("button", name="Start", exact=False).first).to_be_visible()
        expect(page.locator('[data-action="start"]')).to_be_focused(timeout=TIMEOUT)
        page.keyboard.press("r")
        expect(page.get_by_role("status")).to_contain_text("1 recalls left", timeout=TIMEOUT)
        page.keyboard.press("r")
        expect(page.get_by_role("status")).to_contain_text(
            "The next recall marks no-show", timeout=TIMEOUT
        )
        expect(page.locator("#recall-warning")).to_be_visible()
        shot(page, "desk-1920x1080-last-recall.png")
        page.keyboard.press("r")
        expect(page.get_by_role("status")).to_contain_text("marked no-show", timeout=TIMEOUT)
        expect(page.locator("#current-number")).to_have_text("—", timeout=TIMEOUT)
        # A stray no-show is undone within seconds.
        undo = page.locator('[data-action="undo"]')
        expect(undo).to_be_visible(timeout=TIMEOUT)
        expect(undo).to_contain_text(first["number"])
        page.keyboard.press("u")
        expect(page.get_by_role("status")).to_contain_text("undone", timeout=TIMEOUT)
        expect(page.locator("#current-number")).to_have_text(first["number"], timeout=TIMEOUT)
        page.keyboard.press("s")
        expect(page.locator('[data-action="finish"]')).to_be_focused(timeout=TIMEOUT)
        page.locator("#outcome").select_option("documents_missing")
        page.locator("#notes").fill("no photo")
        page.locator('[data-action="finish"]').click()
        expect(page.get_by_role("status")).to_contain_text("finished", timeout=TIMEOUT)
        # Call by number.
        expect(page.locator('[data-action="call-next"]')).to_be_focused(timeout=TIMEOUT)
        page.keyboard.press("c")
        expect(page.locator("#call-number")).to_be_focused()
        page.keyboard.type(second["number"])
        page.keyboard.press("Enter")
        expect(page.locator("#current-number")).to_have_text(second["number"], timeout=TIMEOUT)
        expect(page.locator("#current-why")).to_contain_text("Called by staff")
        page.keyboard.press("s")
        expect(page.locator("#finish-fields")).to_be_visible(timeout=TIMEOUT)
        shot(page, "desk-1920x1080-serving.png")
        page.set_viewport_size({"width": 1366, "height": 768})
        shot(page, "desk-1366x768-serving.png")
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_overflow(page)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.keyboard.press("f")
        expect(page.locator('[data-action="undo"]')).to_be_visible(timeout=TIMEOUT)
        # A break with a reason code: the hall sees "paused", never why.
        page.keyboard.press("p")
        page.locator("#pause-code").select_option("technical")
        page.locator("#pause-form button[type=submit]").click()
        expect(page.locator("#counter-state")).to_have_text("Paused", timeout=TIMEOUT)
        public = counter_state(server, 3)
        assert public["state"] == "paused" and "technical" not in str(public)
        shot(page, "desk-1366x768-paused.png")
    finally:
        ctx.close()


def open_controls(browser: Any, server: Any, viewport: dict[str, int] | None = None) -> Any:
    ctx, page = login(browser, server, "supervisor", viewport or {"width": 1366, "height": 900})
    page.goto(f"{server.url}/supervise/{CENTER}/controls?lang=en")
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
    return ctx, page


def confirm(page: Any, reason: str) -> None:
    page.locator(".sv-panel input[name=reason]").fill(reason)
    page.locator(".sv-panel button[type=submit]").click()


def test_every_supervisor_control(browser: Any, server: Any) -> None:
    hall = Hall(server)
    service = hall.counters[4]["services"][0]
    tickets = [hall.issue(service) for _ in range(5)]
    numbers = [t["number"] for t in tickets]
    ctx, page = open_controls(browser, server)
    try:
        row = page.locator('tr[data-counter="4"]')
        # Open without taking it (from the keyboard: focus the button, Enter, type, Enter).
        row.get_by_role("button", name="Open: Counter 4").focus()
        page.keyboard.press("Enter")
        expect(page.locator(".sv-panel input[name=reason]")).to_be_focused()
        page.keyboard.type("rush hour")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Counter 4 is open", timeout=TIMEOUT)
        expect(row).to_contain_text("Open")
        assert counter_state(server, 4)["state"] == "open"
        # Pause with a code, then close.
        row.get_by_role("button", name="Pause: Counter 4").click()
        page.locator(".sv-panel select[name=code]").select_option("training")
        confirm(page, "briefing")
        expect(row).to_contain_text("Training", timeout=TIMEOUT)
        row.get_by_role("button", name="Close: Counter 4").click()
        confirm(page, "end of shift")
        expect(row).to_contain_text("Closed", timeout=TIMEOUT)
        # Services of today.
        row.get_by_role("button", name="Services today: Counter 4").click()
        boxes = page.locator(".sv-panel input[name=services]")
        for i in range(boxes.count()):
            boxes.nth(i).set_checked(i == 0)
        confirm(page, "help the first queue")
        expect(row).to_contain_text("Today:", timeout=TIMEOUT)
        # Waiting tickets: priority, first, transfer, remove, call.
        ticket_row = lambda n: page.locator(f'tr[data-number="{n}"]')  # noqa: E731
        ticket_row(numbers[0]).get_by_role("button", name=f"Give priority: {numbers[0]}").click()
        page.locator(".sv-panel select[name=priority]").select_option("disability")
        confirm(page, "wheelchair")
        expect(page.get_by_role("status")).to_contain_text("has priority", timeout=TIMEOUT)
        expect(ticket_row(numbers[0])).to_contain_text("disab", ignore_case=True, timeout=TIMEOUT)
        ticket_row(numbers[1]).get_by_role("button", name=f"Put first: {numbers[1]}").click()
        confirm(page, "came back")
        expect(page.get_by_role("status")).to_contain_text("will be called first", timeout=TIMEOUT)
        expect(ticket_row(numbers[1]).locator("td").nth(2)).to_have_text("first")
        ticket_row(numbers[2]).get_by_role("button", name=f"Transfer: {numbers[2]}").click()
        page.locator(".sv-panel select[name=counter]").select_option("5")
        confirm(page, "specialist")
        expect(ticket_row(numbers[2])).to_contain_text("for counter 5", timeout=TIMEOUT)
        ticket_row(numbers[3]).get_by_role("button", name=f"Remove: {numbers[3]}").click()
        confirm(page, "left the hall")
        expect(ticket_row(numbers[3])).to_have_count(0, timeout=TIMEOUT)
        shot(page, "controls-1366.png")
        # Call a specific ticket to a counter an operator has open.
        assert hall.act(6, "open").status_code == 200
        ticket_row(numbers[4]).get_by_role(
            "button", name=f"Call to a counter: {numbers[4]}"
        ).click()
        page.locator(".sv-panel select[name=counter]").select_option("6")
        confirm(page, "asked for by name")
        expect(page.get_by_role("status")).to_contain_text("called to the counter", timeout=TIMEOUT)
        expect(page.locator('tr[data-counter="6"]')).to_contain_text("Operator", timeout=TIMEOUT)
        called = requests.get(f"{server.url}/api/v1/tickets/{tickets[4]['token']}", timeout=10)
        assert called.json()["status"] == "called" and called.json()["counter"] == 6
        # A refused input is explained, and nothing changes.
        ticket_row(numbers[0]).get_by_role("button", name=f"Put first: {numbers[0]}").click()
        page.locator(".sv-panel button[type=submit]").click()
        expect(page.get_by_role("alert")).to_contain_text("Say why", timeout=TIMEOUT)
        page.keyboard.press("Escape")
        page.set_viewport_size({"width": 1920, "height": 1080})
        shot(page, "controls-1920x1080.png")
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_overflow(page)
        shot(page, "controls-390.png")
    finally:
        ctx.close()
    hall.act(6, "no-show")
    hall.act(6, "close")


def test_an_operator_cannot_open_the_controls(browser: Any, server: Any) -> None:
    ctx, page = login(browser, server, "operator7")
    try:
        res = page.goto(f"{server.url}/supervise/{CENTER}/controls?lang=en")
        assert res is not None and res.status == 403
    finally:
        ctx.close()
