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
    # Cancel from the manage page: the page asks in its own dialog (no window.confirm).
    native: list[str] = []
    page.on("dialog", lambda d: (native.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Cancel the booking").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    page.locator("#status", has_text="Cancelled").wait_for()
    assert native == []


PHONE = {"width": 390, "height": 844}


def _to_free_day(page: Any) -> Any:
    room = page.locator("#calendar button.room")
    try:
        room.first.wait_for(timeout=5000)
    except Exception:  # late in the month: the first free day is in the next one
        page.locator("#calendar .month-nav button").nth(1).click()
        room.first.wait_for(timeout=5000)
    return room


def test_booking_on_a_phone_in_azerbaijani(browser: Any, live_server: Any, artifacts: Any) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(f"{live_server.url}/book?lang=az&center=baku-1")
        page.locator("#step-date").wait_for(state="visible")
        room = _to_free_day(page)
        # The calendar fits the screen, with a Monday-first weekday header in Azerbaijani and
        # the month named by the project's own catalogue (not "2026 M12").
        heads = page.locator("#calendar th").all_inner_texts()
        assert heads == ["B.e.", "Ç.a.", "Ç.", "C.a.", "C.", "Ş.", "B."]
        title = page.locator("#calendar .month-title").inner_text()
        assert re.fullmatch(
            r"(Yanvar|Fevral|Mart|Aprel|May|İyun|İyul|Avqust|Sentyabr|Oktyabr|Noyabr"
            r"|Dekabr) 20\d\d",
            title,
        ), title
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        box = page.locator("#calendar table").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        first_day = room.first.get_attribute("data-date")
        second_day = room.nth(1).get_attribute("data-date")
        room.first.click()
        page.locator(f"#slots[data-day='{first_day}'] .slot-group").first.wait_for()
        groups = page.locator("#slots .slot-group h3").all_inner_texts()
        assert groups and set(groups) <= {"Səhər", "Gündüz", "Axşam"}
        page.screenshot(path=str(artifacts / "booking-phone-az.png"), full_page=True)
        # Choosing another day replaces the times: one list, never two.
        room.nth(1).click()
        page.locator(f"#slots[data-day='{second_day}'] .slot-group").first.wait_for()
        room.first.click()
        page.locator(f"#slots[data-day='{first_day}'] .slot-group").first.wait_for()
        assert page.locator("#slots").count() == 1
        starts = page.locator("#slots button").evaluate_all("bs => bs.map(b => b.dataset.start)")
        assert len(starts) == len(set(starts))
        # A server refusal reads in Azerbaijani, never in the server's English.
        page.locator("#slots button:not([disabled])").first.click()
        page.locator("#name").fill("A")
        page.locator("#phone").fill("050 123 45 67")
        page.locator("#submit").click()
        error = page.locator("#form-error")
        error.wait_for()
        page.wait_for_function("() => document.querySelector('#form-error').textContent.length > 0")
        assert error.inner_text() == "Ad 2-120 simvol olmalıdır"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        ctx.close()
