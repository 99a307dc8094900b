"""Kiosk ticket -> QR on the receipt -> the citizen's phone page, updated live over Socket.IO."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.kiosk.live_hours import CENTER, PRINT_STUB, VIBRATE_STUB, open_counter_for

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(**PHONE)
    context.add_init_script(VIBRATE_STUB)
    yield context.new_page()
    context.close()


def receipt_url(server: Any, token: str) -> str:
    """The URL in the printed receipt's QR, decoded as a phone camera would."""
    png = requests.get(f"{server.url}/api/v1/tickets/{token}/receipt.png", timeout=10)
    png.raise_for_status()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)).convert("L"))
    assert len(found) == 1
    return found[0].text


def live(page: Any) -> None:
    """Wait until the page has its Socket.IO subscription (the snapshot answered)."""
    page.wait_for_selector("#track[data-ready='1'][data-live='on']")


def test_kiosk_ticket_followed_on_the_phone_until_called(page, phone, kiosk_server):
    server = kiosk_server
    page.add_init_script(PRINT_STUB)
    page.goto(f"{server.url}/kiosk/{CENTER}")
    page.wait_for_selector("body[data-ready='1']")
    page.click("#take")
    page.click("[data-agency='DIN']")
    page.click("[data-service='driving-licence']")
    with page.expect_response(lambda r: r.url.endswith(f"/centers/{CENTER}/tickets")) as info:
        page.click("#print")  # the kiosk's confirmation step
    ticket = info.value.json()
    expect(page.locator("#ticket-number")).to_have_text(ticket["number"])

    url = receipt_url(server, ticket["token"])
    assert url == f"{server.url}/t/{ticket['token']}"
    phone.goto(url)
    live(phone)
    expect(phone.locator("#number")).to_have_text(ticket["number"])
    expect(phone.locator("#status")).to_have_text("Gözləyir")
    expect(phone.locator("#called")).to_be_hidden()

    headers, counter = open_counter_for(server, "driving-licence", "operator1")
    res = requests.post(
        f"{server.url}/api/v1/counters/{counter['id']}/call-next", headers=headers, timeout=10
    )
    assert res.status_code == 200 and res.json()["number"] == ticket["number"]

    expect(phone.locator("#go-counter")).to_have_text(
        f"{counter['number']} nömrəli masaya yaxınlaşın"
    )
    expect(phone.locator("#called")).to_be_visible()
    expect(phone.locator("#status")).to_have_text("Çağırılıb")
    expect(phone.locator("#cancel")).to_be_hidden()
    phone.wait_for_function("() => (window.__vibrations || []).length === 1")
    assert phone.locator("#called").get_attribute("data-alerts") == "1"

    # Served, finished: the page asks for a rating, stored as the visit's feedback.
    for action in ("start", "finish"):
        r = requests.post(
            f"{server.url}/api/v1/counters/{counter['id']}/{action}", headers=headers, timeout=10
        )
        assert r.status_code == 200, r.text
    expect(phone.locator("#status")).to_have_text("Xidmət göstərildi")
    expect(phone.locator("#feedback")).to_be_visible()
    phone.locator(".star").nth(3).click()
    phone.fill("#comment", "Tez və nəzakətli")
    phone.click("#feedback button[type=submit]")
    expect(phone.locator("#thanks")).to_be_visible()
    again = requests.post(
        f"{server.url}/api/v1/tickets/{ticket['token']}/feedback", json={"rating": 1}, timeout=10
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "feedback_exists"


def test_position_updates_live_when_the_queue_moves(phone, kiosk_server):
    server = kiosk_server
    post = lambda: requests.post(  # noqa: E731
        f"{server.url}/api/v1/centers/{CENTER}/tickets",
        json={"service": "criminal-record"},
        timeout=10,
    ).json()
    first, second = post(), post()
    phone.goto(f"{server.url}/t/{second['token']}?lang=en")
    live(phone)
    expect(phone.locator("#position")).to_have_text("2")
    requests.post(f"{server.url}/api/v1/tickets/{first['token']}/cancel", timeout=10)
    expect(phone.locator("#position")).to_have_text("1")
    expect(phone.locator("#ahead")).to_have_text("0")


def test_cancel_asks_for_confirmation(phone, kiosk_server):
    server = kiosk_server
    ticket = requests.post(
        f"{server.url}/api/v1/centers/{CENTER}/tickets", json={"service": "passport"}, timeout=10
    ).json()
    phone.goto(f"{server.url}/t/{ticket['token']}?lang=en")
    live(phone)
    phone.click("#cancel")
    expect(phone.locator("#confirm")).to_be_visible()
    phone.click("#confirm-no")
    expect(phone.locator("#status")).to_have_text("Waiting")
    assert (
        requests.get(f"{server.url}{ticket['links']['status']}", timeout=10).json()["status"]
        == "waiting"
    )
    phone.click("#cancel")
    phone.click("#confirm-yes")
    expect(phone.locator("#status")).to_have_text("Cancelled")
    expect(phone.locator("#message")).to_have_text("Your ticket was cancelled")
    assert (
        requests.get(f"{server.url}{ticket['links']['status']}", timeout=10).json()["status"]
        == "cancelled"
    )
