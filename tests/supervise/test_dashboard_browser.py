"""The supervisor's dashboard, reports and the public page in a browser against a real
server: a call on a desk moves the dashboard's numbers without a reload; an alert appears
when a ticket passes its target (the server's injected clock moves, no sleeping); axe-core
finds nothing; the public page fits a 390 px phone. Screenshots in /work/helpers/shots/11
when that folder exists."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.a11y.axe import overflow, violations
from tests.live import OPEN_HOUR, FileClock, start_server

SHOTS = Path("/work/helpers/shots/11")
TIMEOUT = 15000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    work = tmp_path_factory.mktemp("supervise")
    clock = FileClock(work / "clock.txt", OPEN_HOUR)
    srv = start_server(work, env=clock.env())
    srv.clock = clock
    yield srv
    srv.stop()


def _shot(page: Any, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=False)


def _login(page: Any, url: str, next_path: str, user: str = "supervisor") -> None:
    page.goto(f"{url}/desk/login?next={next_path}")
    page.locator("#username").fill(user)
    page.locator("#password").fill("demo")
    page.locator("form.desk-login button[type=submit]").click()


def _counter_id(url: str, number: int) -> int:
    detail = requests.get(f"{url}/api/v1/centers/baku-1", timeout=10).json()
    return next(c["id"] for c in detail["counters"] if c["number"] == number)


def test_a_call_moves_the_dashboard_and_an_overdue_ticket_raises_an_alert(
    browser: Any, server: Any
) -> None:
    url = server.url
    op = server.token("operator1")
    counter = _counter_id(url, 1)
    assert requests.post(f"{url}/api/v1/counters/{counter}/open", headers=op, timeout=10).ok
    ticket = requests.post(
        f"{url}/api/v1/centers/baku-1/tickets", json={"service": "id-card"}, timeout=10
    ).json()
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    try:
        _login(page, url, "/supervise/baku-1")
        expect(page.locator("#live.on")).to_be_visible(timeout=TIMEOUT)
        row = page.locator("#services tbody tr", has_text="ID")
        expect(page.locator("#total-waiting")).to_have_text("1", timeout=TIMEOUT)
        served_before = page.locator("#total-served").inner_text()

        # A call on the desk (its API): the numbers move, no reload.
        res = requests.post(f"{url}/api/v1/counters/{counter}/call-next", headers=op, timeout=10)
        assert res.status_code == 200, res.text
        expect(page.locator("#total-waiting")).to_have_text("0", timeout=TIMEOUT)
        expect(page.locator("#counters tbody tr").first).to_contain_text(ticket["number"])
        requests.post(f"{url}/api/v1/counters/{counter}/start", headers=op, timeout=10)
        requests.post(f"{url}/api/v1/counters/{counter}/finish", headers=op, timeout=10)
        expect(page.locator("#total-served")).not_to_have_text(served_before, timeout=TIMEOUT)

        # A ticket passes its target: the clock moves, the alert is pushed.
        requests.post(
            f"{url}/api/v1/centers/baku-1/tickets", json={"service": "id-card"}, timeout=10
        )
        expect(page.locator('#alerts [data-kind="service_over_target"]')).to_have_count(0)
        server.clock.set(OPEN_HOUR + timedelta(minutes=61))
        expect(page.locator('#alerts [data-kind="service_over_target"]')).to_be_visible(
            timeout=TIMEOUT
        )
        expect(row.first.locator(".sv-bad")).to_be_visible()  # told in words, not colour only
        assert violations(page) == []
        _shot(page, "dashboard-1920x1080.png")

        page.goto(f"{url}/supervise")  # a supervisor lands on their own center
        expect(page).to_have_url(f"{url}/supervise/baku-1")

        reports = browser.new_context(viewport={"width": 1366, "height": 768})
        rp = reports.new_page()
        _login(rp, url, "/reports?lang=en")
        expect(rp.locator("#report-status")).to_have_text("Report ready", timeout=TIMEOUT)
        expect(rp.locator("#chart-arrivals canvas")).to_have_count(1)
        assert violations(rp) == []
        _shot(rp, "reports-1366x768.png")
        reports.close()
    finally:
        ctx.close()


STAFF_ONLY = {"phone", "email", "token", "full_name", "username", "operator", "comment"}


def _personal(value: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in STAFF_ONLY:
                found.append(f"{path}.{key}")
            found += _personal(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += _personal(inner, f"{path}[{n}]")
    return found


def test_the_public_page_on_a_phone(browser: Any, server: Any) -> None:
    requests.post(
        f"{server.url}/api/v1/centers/baku-1/tickets",
        json={"service": "passport", "phone": "+994501112233"},
        timeout=10,
    )
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    read: set[str] = set()  # every API address the page read
    page.on("request", lambda r: read.add(r.url) if "/api/" in r.url else None)
    try:
        for lang in ("az", "ru", "en"):
            page.goto(f"{server.url}/public?lang={lang}")
            expect(page.locator("#live.on")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("#ranking ol, #ranking p")).to_be_visible(timeout=TIMEOUT)
            assert overflow(page) == 0, lang
            assert violations(page) == [], lang
            assert "+994501112233" not in page.content()
        _shot(page, "public-390x844.png")
        assert len(read) >= 4
        for url in sorted(read):  # every key of every answer the page read, read again
            assert _personal(requests.get(url, timeout=10).json()) == [], url
    finally:
        ctx.close()


def test_the_head_office_view_for_an_admin(browser: Any, server: Any) -> None:
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    try:
        _login(page, server.url, "/supervise", user="admin")
        expect(page.locator(".sv-card")).to_have_count(2)
        expect(
            page.locator('.sv-card[data-center="baku-1"] [data-field="waiting"]')
        ).not_to_have_text("…", timeout=TIMEOUT)
        assert violations(page) == []
        _shot(page, "head-office-1920x1080.png")
    finally:
        ctx.close()


def test_the_dashboard_fits_a_supervisors_phone(browser: Any, server: Any) -> None:
    """A supervisor walking the hall reads the dashboard on a phone: the page never scrolls
    sideways (a wide table scrolls in its own box, reachable by keyboard), and axe is clean."""
    for service in ("passport", "id-card"):
        requests.post(
            f"{server.url}/api/v1/centers/baku-1/tickets", json={"service": service}, timeout=10
        )
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    try:
        _login(page, server.url, "/supervise/baku-1")
        expect(page.locator("#services tbody tr").first).to_be_visible(timeout=TIMEOUT)
        assert overflow(page) == 0
        assert violations(page) == []
        _shot(page, "dashboard-390x844.png")
    finally:
        ctx.close()
