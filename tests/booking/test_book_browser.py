"""A real browser (Debian chromium via Playwright) books a visit on the demo server: from
/book to the confirmation with code, QR, rules, PDF and .ics links."""

from __future__ import annotations

import re
from typing import Any

import requests


def test_booking_flow_from_the_first_page_to_the_confirmation(
    live_server: Any, page: Any, artifacts: Any
) -> None:
    page.goto(f"{live_server.url}/book?lang=en")
    page.get_by_label("Center").select_option("baku-1")
    page.locator("#step-service").wait_for(state="visible")
    page.get_by_label("Agency").select_option("DIN")
    page.get_by_label("Service").select_option("passport")
    page.locator("#step-date").wait_for(state="visible")
    room = page.locator("#calendar button.room")
    try:
        room.first.wait_for(timeout=5000)
    except Exception:  # late in the month: the first free day is in the next one
        page.get_by_role("button", name=re.compile("Next month")).click()
        room.first.wait_for(timeout=5000)
    label = room.first.get_attribute("aria-label")
    assert "seats free" in label
    room.first.click()
    free = page.locator("#slots button:not([disabled])")
    free.first.wait_for()
    free.first.click()
    page.get_by_label("Full name").fill("Aysel Məmmədova")
    page.get_by_label("Mobile number").fill("050 123 45 67")
    page.get_by_role("button", name="Confirm the booking").click()
    page.wait_for_url(re.compile(r"/book/manage/[\w-]+"))
    page.get_by_role("heading", name="Your booking is confirmed").wait_for()
    code = page.locator("#code").inner_text()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{3}", code)
    qr = page.get_by_role("img", name=re.compile(code))
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    body = page.locator("main").inner_text()
    assert "Come no earlier than 30 minutes before your time." in body
    assert "A booking more than 10 minutes late is cancelled." in body
    page.screenshot(path=str(artifacts / "booking-confirmation.png"), full_page=True)
    for link in ("#pdf", "#ics"):
        href = page.locator(link).get_attribute("href")
        res = requests.get(f"{live_server.url}{href}", timeout=30)
        assert res.status_code == 200 and len(res.content) > 200
    token = page.url.split("/book/manage/")[1].split("?")[0]
    api = requests.get(f"{live_server.url}/api/v1/appointments/{token}", timeout=10).json()
    assert api["code"] == code and api["status"] == "booked"
    # Cancel from the manage page.
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Cancel the booking").click()
    page.locator("#status", has_text="Cancelled").wait_for()
