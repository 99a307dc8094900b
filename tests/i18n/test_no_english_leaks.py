"""No English server sentence reaches a page shown in az or ru: the desk's refusals and 403,
booking validation and its unknown-link 404, the ticket page's cancel errors, error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.display.hall_helpers import Hall
from tests.i18n.english import english_sentences, leaks
from tests.kiosk.live_hours import set_hours

TIMEOUT = 20_000


def test_the_sentence_list_is_real() -> None:
    sentences = english_sentences()
    # What the issue saw leak: the scan must know these, or the checks below prove nothing.
    for known in (
        "is already open at another desk",
        "must not be empty",
        "no such booking",
        "only a waiting ticket can be cancelled",
        "The requested URL was not found",
    ):
        assert any(known in s for s in sentences), known
    assert leaks("Counter 5 is already open at another desk") != []


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_server_rendered_error_pages(world: Any, client: Any, lang: str) -> None:
    from tests.factories import PASSWORD

    pages = [
        client.get(f"/book/manage/no-such-booking?lang={lang}"),
        client.get(f"/nowhere?lang={lang}"),
        client.get(f"/t/no-such-ticket?lang={lang}"),
    ]
    client.post("/desk/login", data={"username": "foreign", "password": PASSWORD})
    pages.append(client.get(f"/desk/counter/{world.counters[0].id}?lang={lang}"))  # other center
    assert [p.status_code for p in pages] == [404, 404, 404, 403]
    for page in pages:
        body = re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))
        assert leaks(body) == [], body
        assert f'<html lang="{lang}">' in page.get_data(as_text=True)


@pytest.fixture(scope="module")
def server(live_server: Any) -> Any:
    set_hours(live_server, open_all_day=True)
    return live_server


def _visible(page: Any) -> str:
    return str(page.evaluate("() => document.body.innerText"))


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_desk_viewing_a_held_counter_reads_in_the_page_language(
    browser: Any, server: Any, lang: str
) -> None:
    hall = Hall(server)
    n = 16 if lang == "az" else 17
    hall.act(n, "open")  # held through the API by operator<n>
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/desk/login?lang={lang}")
        page.locator("#username").fill("operator18" if lang == "az" else "operator19")
        page.locator("#password").fill("demo")
        page.locator("form.desk-login button[type=submit]").click()
        page.locator(f'a[data-counter="{n}"]').click()
        problem = page.locator("#problem")
        expect(problem).not_to_be_empty(timeout=TIMEOUT)
        # Looking does not take the counter: the page says who works there, in its language.
        expected = {"az": "bu masada Operator", "ru": "за этим окном работает Operator"}[lang]
        expect(problem).to_contain_text(expected)
        assert leaks(_visible(page)) == []
    finally:
        ctx.close()
        hall.act(n, "close")


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_ticket_page_cancel_error_reads_in_the_page_language(
    browser: Any, server: Any, lang: str
) -> None:
    hall = Hall(server)
    ticket = hall.issue(hall.counters[8]["services"][0])
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        # A phone that lost its live connection still shows "cancel" for a ticket that was
        # cancelled meanwhile (here through the API): the server refuses with a code.
        page.route("**/socket.io/**", lambda route: route.abort())  # polling
        page.route_web_socket(re.compile(r"/socket\.io/"), lambda ws: None)  # never answers
        page.goto(f"{server.url}/t/{ticket['token']}?lang={lang}")
        expect(page.locator("#track[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
        requests.post(f"{server.url}/api/v1/tickets/{ticket['token']}/cancel", timeout=10)
        page.locator("#cancel").click()
        page.locator("#confirm-yes").click()
        message = page.locator("#message")
        expect(message).not_to_be_empty(timeout=TIMEOUT)
        assert leaks(_visible(page)) == [], _visible(page)
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_booking_validation_reads_in_the_page_language(
    browser: Any, server: Any, lang: str
) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/book?lang={lang}&center=baku-1")
        expect(page.locator("#book[data-ready='1']")).to_be_attached(timeout=TIMEOUT)
        room = page.locator("#calendar button.room")
        if room.count() == 0:
            page.locator("#calendar .month-nav button").nth(1).click()
        room.first.click()
        page.locator("#slots button:not([disabled])").first.click()
        # An empty name passes the browser (novalidate) and is refused by the server.
        page.locator("#phone").fill("050 123 45 67")
        page.locator("#submit").click()
        error = page.locator("#form-error")
        expect(error).not_to_be_empty(timeout=TIMEOUT)
        expected = {"az": "Tam adınız: Bu sahəni doldurun", "ru": "Полное имя: Заполните это поле"}
        assert leaks(_visible(page)) == [], _visible(page)
        expect(error).to_have_text(re.compile(re.escape(expected[lang].split(":")[1].strip())))
    finally:
        ctx.close()
