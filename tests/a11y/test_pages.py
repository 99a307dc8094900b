"""Every page state a citizen, operator or hall sees, in az, ru and en, checked with axe-core
in Debian's Chromium: 0 violations. Public pages fit 390 px without horizontal scrolling, the
focus ring shows at >= 3:1 on light pages, and language links carry `lang`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.a11y.axe import language_links_without_lang, overflow, violations, weakest_focus
from tests.display.hall_helpers import Hall
from tests.kiosk.live_hours import PRINT_STUB, set_hours

LANGS = ("az", "ru", "en")
PHONE = {"width": 390, "height": 844}
TIMEOUT = 20_000


@pytest.fixture(scope="module")
def server(live_server: Any) -> Any:
    set_hours(live_server, open_all_day=True)
    return live_server


@pytest.fixture(scope="module")
def called(server: Any) -> dict[str, Any]:
    """A ticket called to counter 6 (the hall has something to show) and one waiting."""
    hall = Hall(server)
    call = hall.call_own(6)
    waiting = hall.issue(hall.counters[6]["services"][0])
    return {"call": call, "waiting": waiting}


class Audit:
    def __init__(self, artifacts: Path) -> None:
        self.found: dict[str, list[str]] = {}
        self.artifacts = artifacts / "a11y"
        self.artifacts.mkdir(exist_ok=True)

    def check(self, page: Any, state: str, *, phone: bool = False) -> None:
        problems = violations(page)
        if phone and overflow(page) > 0:
            problems.append(f"horizontal overflow of {overflow(page)} px at 390 px")
        problems += [f"language link without lang: {h}" for h in language_links_without_lang(page)]
        if problems:
            self.found[state] = problems
        page.screenshot(path=str(self.artifacts / f"{re.sub(r'[^a-z0-9-]+', '-', state)}.png"))

    def assert_clean(self) -> None:
        assert self.found == {}, "\n".join(f"{k}: {v}" for k, v in self.found.items())


@pytest.fixture
def audit(artifacts: Path) -> Audit:
    return Audit(artifacts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [{"width": 1080, "height": 1920}, {"width": 1366, "height": 768}])
def test_kiosk_screens(browser: Any, server: Any, audit: Audit, lang: str, size: dict) -> None:
    ctx = browser.new_context(viewport=size)
    ctx.add_init_script(PRINT_STUB)
    page = ctx.new_page()
    try:
        tag = f"kiosk-{size['width']}-{lang}"
        page.goto(f"{server.url}/kiosk/baku-1")
        page.wait_for_selector("body[data-ready='1']")
        page.click(f"button.lang[data-lang='{lang}']")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        audit.check(page, f"{tag}-start")
        page.click("#take")
        audit.check(page, f"{tag}-agencies")
        page.click("[data-agency='DIN']")
        audit.check(page, f"{tag}-services")
        page.click("[data-service='passport']")
        audit.check(page, f"{tag}-confirm")
        page.click("#priority-button")
        audit.check(page, f"{tag}-priority-dialog")
        page.click("[data-priority='elderly']")
        page.click("#sms-button")
        audit.check(page, f"{tag}-sms-dialog")
        page.click("#sms-cancel")
        page.click("#print")
        expect(page.locator("[data-screen='ticket']")).to_be_visible()
        audit.check(page, f"{tag}-ticket")
        page.click("[data-screen='ticket'] [data-go='start']")
        page.click(f"button.lang[data-lang='{lang}']")
        page.click("#booking")
        audit.check(page, f"{tag}-checkin")
        for ch in "ZZZ999":
            page.click(f"#keyboard .key:text-is('{ch}')")
        page.click("#code-submit")
        expect(page.locator("[data-screen='message']")).to_be_visible()
        audit.check(page, f"{tag}-not-found")
        targets = page.locator("section:not([hidden]) button:visible").evaluate_all(
            "bs => bs.map(b => { const r = b.getBoundingClientRect();"
            " return Math.min(r.width, r.height); })"
        )
        assert min(targets) >= 64, targets
    finally:
        ctx.close()
    audit.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_hall_and_counter_screen(
    browser: Any, server: Any, called: Any, audit: Audit, lang: str
) -> None:
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/display/baku-1?lang={lang}")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        expect(page.locator("#counters li").first).to_be_visible(timeout=TIMEOUT)
        audit.check(page, f"hall-{lang}")
        page.goto(f"{server.url}/display/baku-1/counter/6?lang={lang}")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        expect(page.locator("#serving-number")).to_have_text(called["call"]["number"])
        audit.check(page, f"counter-screen-{lang}")
        page.goto(f"{server.url}/display/baku-1/counter/7?lang={lang}")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        audit.check(page, f"counter-screen-closed-{lang}")
    finally:
        ctx.close()
    audit.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_desk(browser: Any, server: Any, audit: Audit, lang: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/desk/login?lang={lang}")
        audit.check(page, f"desk-login-{lang}")
        assert weakest_focus(page) >= 3
        page.locator("#username").fill("operator9")
        page.locator("#password").fill("demo")
        page.locator("form.desk-login button[type=submit]").click()
        expect(page.locator(".counter-choice")).to_be_visible()
        audit.check(page, f"desk-choose-{lang}")
        page.locator('a[data-counter="9"]').click()
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        audit.check(page, f"desk-viewing-{lang}")
        page.locator('[data-action="open"]').click()
        expect(page.locator("#counter-state")).to_have_attribute(
            "data-state", "open", timeout=TIMEOUT
        )
        audit.check(page, f"desk-{lang}")
        assert weakest_focus(page) >= 3
        page.locator('[data-action="pause"]').click()
        audit.check(page, f"desk-pause-form-{lang}")
        page.locator("#pause-form button[data-cancel]").click()
        page.locator('[data-action="close"]').click()
        # The next language's run finds counter 9 closed again (its Start button shown).
        expect(page.locator("#counter-state")).to_have_attribute(
            "data-state", "closed", timeout=TIMEOUT
        )
    finally:
        ctx.close()
    audit.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_ticket_page_on_a_phone(
    browser: Any, server: Any, called: Any, audit: Audit, lang: str
) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        for name in ("waiting", "call"):
            token = called[name]["token"]
            page.goto(f"{server.url}/t/{token}?lang={lang}")
            expect(page.locator("#track[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
            audit.check(page, f"ticket-{name}-{lang}", phone=True)
        token = called["waiting"]["token"]
        page.goto(f"{server.url}/t/{token}?lang={lang}")
        expect(page.locator("#track[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
        page.locator("#cancel").click()
        audit.check(page, f"ticket-cancel-dialog-{lang}", phone=True)
        page.locator("#confirm-no").click()
        assert weakest_focus(page) >= 3
        page.goto(f"{server.url}/t/no-such-ticket?lang={lang}")
        audit.check(page, f"ticket-404-{lang}", phone=True)
        page.goto(f"{server.url}/?lang={lang}")
        audit.check(page, f"start-page-{lang}", phone=True)
    finally:
        ctx.close()
    audit.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_booking_on_a_phone(browser: Any, server: Any, audit: Audit, lang: str) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/book?lang={lang}&center=baku-1")
        expect(page.locator("#book[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
        audit.check(page, f"book-start-{lang}", phone=True)
        room = page.locator("#calendar button.room")
        if room.count() == 0:
            page.locator("#calendar .month-nav button").nth(1).click()
        room.first.click()
        page.locator("#slots .slot-group").first.wait_for()
        audit.check(page, f"book-slots-{lang}", phone=True)
        page.locator("#slots button:not([disabled])").first.click()
        page.locator("#name").fill("X")
        # a phone of this language's own: one phone may hold only so many bookings
        page.locator("#phone").fill(f"050 555 00 1{LANGS.index(lang)}")
        page.locator("#submit").click()
        page.wait_for_function("() => document.querySelector('#form-error').textContent.length > 0")
        audit.check(page, f"book-error-{lang}", phone=True)
        page.locator("#name").fill("Aysel Məmmədova")
        page.locator("#submit").click()
        page.wait_for_url(re.compile(r"/book/manage/"))
        expect(page.locator("#manage[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
        audit.check(page, f"book-manage-{lang}", phone=True)
        assert weakest_focus(page) >= 3
        page.locator("#move summary").click()
        page.locator("#move-calendar table").wait_for()
        audit.check(page, f"book-reschedule-{lang}", phone=True)
        page.locator("#cancel").click()
        audit.check(page, f"book-cancel-dialog-{lang}", phone=True)
        page.locator("#cancel-no").click()
        page.goto(f"{server.url}/book/manage/no-such-token?lang={lang}")
        audit.check(page, f"book-404-{lang}", phone=True)
    finally:
        ctx.close()
    audit.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_supervisor_controls(browser: Any, server: Any, audit: Audit, lang: str) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/desk/login?lang={lang}")
        page.locator("#username").fill("supervisor")
        page.locator("#password").fill("demo")
        page.locator("form.desk-login button[type=submit]").click()
        expect(page.locator(".counter-choice")).to_be_visible()
        page.goto(f"{server.url}/supervise/baku-1/controls?lang={lang}")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        audit.check(page, f"controls-{lang}")
        assert weakest_focus(page) >= 3
        page.locator(".sv-counters button").first.click()
        expect(page.locator(".sv-panel input[name=reason]")).to_be_visible()
        audit.check(page, f"controls-form-{lang}")
        page.keyboard.press("Escape")
        expect(page.locator(".sv-panel")).to_have_count(0)
        page.set_viewport_size(PHONE)
        audit.check(page, f"controls-phone-{lang}", phone=True)
    finally:
        ctx.close()
    audit.assert_clean()
