"""The kiosk in Debian Chromium against the live demo server (as `make run` serves it)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.kiosk.live_hours import CENTER, PRINT_STUB, set_hours, set_last_ticket, tickets_today

TICKETS = re.compile(r".*/api/v1/centers/[^/]+/tickets$")
CHECK_IN = re.compile(r".*/api/v1/centers/[^/]+/check-in$")


@pytest.fixture
def kiosk(page: Any, kiosk_server: Any) -> Any:
    page.add_init_script(PRINT_STUB)
    page.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
    page.wait_for_selector("body[data-ready='1']")
    return page


def choose(page: Any, agency: str = "DIN", service: str = "passport") -> None:
    page.click("#take")
    page.click(f"[data-agency='{agency}']")
    page.click(f"[data-service='{service}']")
    expect(page.locator("[data-screen='confirm']")).to_be_visible()
    page.click("#print")


def ticket_screen(page: Any) -> Any:
    screen = page.locator("[data-screen='ticket']")
    expect(screen).to_be_visible()
    return screen


def test_choosing_a_service_shows_and_prints_the_ticket(kiosk, kiosk_server):
    with kiosk.expect_response(TICKETS) as info:
        choose(kiosk)
    ticket = info.value.json()
    ticket_screen(kiosk)
    expect(kiosk.locator("#ticket-number")).to_have_text(ticket["number"])
    expect(kiosk.locator("#ticket-service")).to_have_text("Ümumvətəndaş pasportunun verilməsi")
    expect(kiosk.locator("#ticket-ahead")).to_contain_text(str(ticket["people_ahead"]))
    # The on-screen QR is cut from the receipt and leads to the citizen's ticket page.
    expect(kiosk.locator("#ticket-qr")).to_have_attribute(
        "data-url", f"{kiosk_server.url}/t/{ticket['token']}"
    )
    kiosk.wait_for_function("() => (window.__prints || []).length === 1")
    printed = kiosk.evaluate("window.__prints[0]")
    assert printed.endswith(f"/api/v1/tickets/{ticket['token']}/receipt.png")
    expect(kiosk.locator("#ticket-print")).to_have_text("Çap olunmuş bileti götürün")


def test_a_lost_answer_is_retried_with_the_same_key_and_gives_one_ticket(kiosk, kiosk_server):
    before = len(tickets_today(kiosk_server))
    keys: list[str] = []

    def flaky(route: Any) -> None:
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # the server issues the ticket ...
            route.abort("connectionreset")  # ... but the answer never reaches the kiosk
        else:
            route.continue_()

    kiosk.route(TICKETS, flaky)
    choose(kiosk, "DIN", "id-card")
    expect(kiosk.locator("#issuing-status")).to_have_text(
        "Serverlə əlaqə yoxdur. Yenidən cəhd edirik, gözləyin…"
    )
    ticket_screen(kiosk)
    after = tickets_today(kiosk_server)
    assert len(after) == before + 1
    assert kiosk.locator("#ticket-number").inner_text() == after[-1]["number"]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", keys[0]
    )


def test_each_press_gets_its_own_key(kiosk):
    keys: list[str] = []
    kiosk.on(
        "request",
        lambda r: TICKETS.match(r.url) and keys.append(r.headers["idempotency-key"]),
    )
    choose(kiosk)
    ticket_screen(kiosk)
    kiosk.click("[data-screen='ticket'] [data-go='start']")
    choose(kiosk)
    expect(kiosk.locator("[data-screen='ticket']")).to_be_visible()
    kiosk.wait_for_function("() => window.kiosk.marks.length === 2")
    assert len(keys) == 2 and keys[0] != keys[1]


def test_services_are_unavailable_with_the_reason_when_closed(kiosk, kiosk_server):
    set_hours(kiosk_server, open_all_day=False)
    try:
        kiosk.reload()
        kiosk.wait_for_selector("body[data-ready='1']")
        expect(kiosk.locator("#hours")).to_have_text("Bu gün mərkəz işləmir")
        kiosk.click("#take")
        kiosk.click("[data-agency='DIN']")
        service = kiosk.locator("[data-service='passport']")
        expect(service).to_be_disabled()
        expect(service).to_contain_text("Bu gün mərkəz işləmir")
    finally:
        set_hours(kiosk_server, open_all_day=True)


def test_language_choice_carries_to_the_ticket(kiosk):
    kiosk.click("button.lang[data-lang='ru']")
    expect(kiosk.locator("#take")).to_have_text("Взять талон")
    expect(kiosk.locator("html")).to_have_attribute("lang", "ru")
    with kiosk.expect_response(TICKETS) as info:
        choose(kiosk)
    assert info.value.json()["lang"] == "ru"
    expect(kiosk.locator("#ticket-service")).to_have_text("Выдача общегражданского паспорта")


def test_idle_for_30_seconds_returns_to_the_start_in_azerbaijani(page, kiosk_server):
    page.clock.install()
    page.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
    page.wait_for_selector("body[data-ready='1']")
    page.click("button.lang[data-lang='en']")
    expect(page.locator("#take")).to_have_text("Take a ticket")
    page.click("#take")
    expect(page.locator("[data-screen='agencies']")).to_be_visible()
    page.clock.fast_forward("00:29")
    expect(page.locator("[data-screen='agencies']")).to_be_visible()
    page.clock.fast_forward("00:02")
    expect(page.locator("[data-screen='start']")).to_be_visible()
    expect(page.locator("#take")).to_have_text("Növbə götür")


def test_the_kiosk_works_with_a_keyboard_only(kiosk):
    kiosk.focus("#take")
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#agencies-title")).to_be_focused()
    kiosk.keyboard.press("Tab")
    expect(kiosk.locator("[data-agency='DIN']")).to_be_focused()
    kiosk.keyboard.press("Enter")
    kiosk.keyboard.press("Tab")  # the first service
    expect(kiosk.locator("[data-service='id-card']")).to_be_focused()
    kiosk.keyboard.press("Enter")
    expect(kiosk.locator("#confirm-title")).to_be_focused()
    for _ in range(3):  # priority, SMS, then print
        kiosk.keyboard.press("Tab")
    expect(kiosk.locator("#print")).to_be_focused()
    kiosk.keyboard.press("Enter")
    ticket_screen(kiosk)
    expect(kiosk.locator("#ticket-number")).to_have_text(re.compile(r"^A\d{3}$"))


def test_priority_and_invalid_phone(kiosk, artifacts):
    kiosk.click("#take")
    kiosk.click("[data-agency='DIN']")
    kiosk.click("[data-service='passport']")
    # The confirmation step says what will be printed before anything is.
    expect(kiosk.locator("#confirm-service")).to_contain_text("Ümumvətəndaş pasportunun verilməsi")
    expect(kiosk.locator("#confirm-priority")).to_have_text("Yoxdur")
    kiosk.click("#priority-button")
    kiosk.click("[data-priority='elderly']")
    expect(kiosk.locator("#priority-button")).to_have_attribute("aria-pressed", "true")
    expect(kiosk.locator("#confirm-priority")).to_have_text("Yaşlı vətəndaş (65+)")
    kiosk.click("#sms-button")
    for key in "12":
        kiosk.click(f"#phone-pad .key:text-is('{key}')")
    kiosk.click("#sms-ok")
    kiosk.click("#print")
    # The reason is inside the dialog, above its backdrop, and reads in Azerbaijani.
    expect(kiosk.locator("#sms-dialog")).to_be_visible()
    expect(kiosk.locator("#sms-error")).to_have_text("Telefon nömrəsi düzgün deyil")
    box = kiosk.locator("#sms-error").bounding_box()
    top = kiosk.evaluate(
        f"() => document.elementFromPoint({box['x'] + 5}, {box['y'] + box['height'] / 2}).id"
    )
    assert top == "sms-error"
    kiosk.screenshot(path=str(artifacts / "kiosk-invalid-phone.png"))
    kiosk.click("#phone-pad [aria-label='Sil']")
    kiosk.click("#phone-pad [aria-label='Sil']")
    for key in "0501234567":
        kiosk.click(f"#phone-pad .key:text-is('{key}')")
    kiosk.click("#sms-ok")
    expect(kiosk.locator("#confirm-sms")).to_have_text("••••••••67")
    # The number is never on the screen whole: the next in line reads over the shoulder.
    expect(kiosk.locator("#sms-button")).to_have_text("SMS: ••••••••67")
    assert "0501234567" not in kiosk.locator("body").inner_text()
    kiosk.screenshot(path=str(artifacts / "kiosk-confirm.png"))
    with kiosk.expect_response(TICKETS) as info:
        kiosk.click("#print")
    ticket = info.value.json()
    assert ticket["priority"] == "elderly"
    ticket_screen(kiosk)
    expect(kiosk.locator("#ticket-extra")).to_have_text(
        "Üstünlük: Yaşlı vətəndaş (65+) · SMS: ••••••••67"
    )


def type_code(page: Any, code: str) -> None:
    page.click("#booking")
    for ch in code:
        page.click(f"#keyboard .key:text-is('{ch}')")
    expect(page.locator("#code")).to_have_value(code)
    page.click("#code-submit")


def contract_error(status: int, code: str, **extra: Any) -> dict[str, Any]:
    return {"status": status, "json": {"error": {"code": code, "message": code, **extra}}}


def test_check_in_too_early_says_when_to_come_back(kiosk):
    sent: list[Any] = []

    def answer(route: Any) -> None:
        sent.append(route.request.post_data_json)
        route.fulfill(
            **contract_error(409, "checkin_too_early", come_back_at="2026-11-30T06:30:00+00:00")
        )

    kiosk.route(CHECK_IN, answer)
    type_code(kiosk, "K7M4QX")
    expect(kiosk.locator("#message-title")).to_have_text("Hələ tezdir")
    expect(kiosk.locator("#message-text")).to_contain_text("10:30")  # Baku time
    assert sent == [{"code": "K7M4QX"}]


def test_check_in_lapsed_offers_a_walk_in_ticket_of_the_same_service(kiosk):
    kiosk.route(
        CHECK_IN, lambda r: r.fulfill(**contract_error(409, "booking_lapsed", service="passport"))
    )
    type_code(kiosk, "ABC234")
    expect(kiosk.locator("#message-title")).to_have_text("Növbənizin vaxtı keçib")
    kiosk.click("#message-actions button:text-is('Adi növbə götür')")
    with kiosk.expect_response(TICKETS) as info:
        kiosk.click("#print")
    assert info.value.json()["service"] == "passport"
    ticket_screen(kiosk)


def test_check_in_not_found(kiosk):
    kiosk.route(CHECK_IN, lambda r: r.fulfill(**contract_error(404, "booking_not_found")))
    type_code(kiosk, "ZZZ999")
    expect(kiosk.locator("#message-title")).to_have_text("Bu kodla onlayn növbə tapılmadı")


def test_check_in_success_shows_the_booked_ticket(kiosk, kiosk_server):
    body = requests.post(
        f"{kiosk_server.url}/api/v1/centers/{CENTER}/tickets",
        json={"service": "id-card"},
        timeout=10,
    ).json()
    kiosk.route(CHECK_IN, lambda r: r.fulfill(status=201, json={**body, "booked": True}))
    type_code(kiosk, "K7M4QX")
    ticket_screen(kiosk)
    expect(kiosk.locator("#ticket-number")).to_have_text(body["number"])


def test_camera_qr_text_becomes_a_booking_code(kiosk):
    codes = kiosk.evaluate(
        """import('/kiosk/static/booking.js').then((m) => [
            m.codeFromQr('https://queue.example.az/book/manage/tok_123?code=k7m-4qx'),
            m.codeFromQr('https://queue.example.az/book/manage/K7M4QX'),
            m.codeFromQr('k7m-4qx'),
            m.normaliseCode('O0-I1-ab2'),
        ])"""
    )
    assert codes == ["K7M4QX", "K7M4QX", "K7M4QX", "AB2"]


def test_waiting_counts_follow_the_queue_live(kiosk, kiosk_server):
    kiosk.click("#take")
    kiosk.click("[data-agency='ADL']")
    waiting = kiosk.locator("[data-service='notary'] .waiting")
    before = int(waiting.inner_text().split(":")[1])
    res = requests.post(
        f"{kiosk_server.url}/api/v1/centers/{CENTER}/tickets",
        json={"service": "notary"},
        timeout=10,
    )
    assert res.status_code == 201
    expect(waiting).to_have_text(f"Gözləyən: {before + 1}")  # from the `queue` event, no reload


def test_real_check_in_too_early_names_the_time_the_window_opens(kiosk, kiosk_server):
    """Against the booking engineer's real endpoint: a booking made now is at least an hour
    away, so the kiosk must say when check-in opens (30 minutes before the slot)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    base = f"{kiosk_server.url}/api/v1"
    today = datetime.now(ZoneInfo("Asia/Baku")).date()  # the live server runs on the real clock
    slot = None
    for offset in range(3):
        day = (today + timedelta(days=offset)).isoformat()
        items = requests.get(
            f"{base}/centers/{CENTER}/services/passport/slots", params={"date": day}, timeout=10
        ).json()["items"]
        if items:
            slot = items[0]["start"]
            break
    assert slot is not None
    booked = requests.post(
        f"{base}/appointments",
        json={"center": CENTER, "service": "passport", "start": slot, "name": "Test Vətəndaş"},
        timeout=10,
    )
    assert booked.status_code == 201, booked.text
    code = booked.json()["code"].replace("-", "")
    opens = datetime.fromisoformat(slot) - timedelta(minutes=30)
    type_code(kiosk, code)
    expect(kiosk.locator("#message-title")).to_have_text("Hələ tezdir")
    expect(kiosk.locator("#message-text")).to_contain_text(opens.strftime("%H:%M"))


def test_live_counts_do_not_steal_a_keyboard_users_focus(kiosk, kiosk_server):
    kiosk.click("#take")
    kiosk.click("[data-agency='ADL']")
    kiosk.focus("[data-service='notary']")
    waiting = kiosk.locator("[data-service='notary'] .waiting")
    before = waiting.inner_text()
    requests.post(
        f"{kiosk_server.url}/api/v1/centers/{CENTER}/tickets",
        json={"service": "notary"},
        timeout=10,
    )
    expect(waiting).not_to_have_text(before)  # the list was rebuilt by the `queue` event
    expect(kiosk.locator("[data-service='notary']")).to_be_focused()


CENTER_DETAIL = re.compile(r".*/api/v1/centers/baku-1$")


def test_sms_is_offered_only_where_a_gateway_can_send_it(page, kiosk_server):
    # The live server has a gateway: the kiosk offers SMS ...
    page.add_init_script(PRINT_STUB)
    page.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
    page.wait_for_selector("body[data-ready='1']")
    page.click("#take")
    page.click("[data-agency='DIN']")
    page.click("[data-service='passport']")  # the offer is on the confirmation step
    expect(page.locator("#sms-button")).to_be_visible()
    # ... and an installation without one does not (its center detail says so).
    other = page.context.new_page()

    def no_gateway(route: Any) -> None:
        body = route.fetch().json()
        route.fulfill(json={**body, "sms_available": False})

    other.route(CENTER_DETAIL, no_gateway)
    other.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
    other.wait_for_selector("body[data-ready='1']")
    other.click("#take")
    other.click("[data-agency='DIN']")
    other.click("[data-service='passport']")
    expect(other.locator("#priority-button")).to_be_visible()
    expect(other.locator("#sms-button")).to_be_hidden()
    expect(other.locator("#confirm-sms-row")).to_be_hidden()
    # The kiosk re-reads its center on live events: let a fetch in flight end quietly.
    other.unroute_all(behavior="ignoreErrors")
    other.close()


def test_the_servers_refusal_is_shown_in_the_kiosks_language(kiosk, kiosk_server):
    languages: list[str] = []

    def record(route: Any) -> None:
        languages.append(route.request.headers.get("accept-language", ""))
        route.continue_()

    kiosk.route(TICKETS, record)
    kiosk.click("button.lang[data-lang='ru']")
    kiosk.click("#take")
    kiosk.click("[data-agency='DIN']")
    passport = kiosk.locator("[data-service='passport']")
    expect(passport).to_be_enabled()
    # While the citizen reads the list, the service's last-ticket time passes.
    set_last_ticket(kiosk_server, "passport", "00:00")
    try:
        passport.click()
        kiosk.click("#print")
        expect(kiosk.locator("#message-title")).to_have_text("Талон не выдан")
        expect(kiosk.locator("#message-text")).to_have_text(
            "На сегодня талонов больше нет. Можно записаться онлайн."
        )
        assert languages == ["ru"]
        # Back on the list, the kiosk has learnt it: the tile says why and is disabled.
        kiosk.click("#message-actions button:first-child")
        expect(passport).to_be_disabled()
        expect(passport).to_contain_text("На сегодня талонов больше нет")
    finally:
        set_last_ticket(kiosk_server, "passport", None)


def test_without_the_server_the_issuing_screen_offers_a_way_out_after_20_s(page, kiosk_server):
    page.clock.install()
    page.add_init_script(PRINT_STUB)
    page.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
    page.wait_for_selector("body[data-ready='1']")
    page.route(TICKETS, lambda r: r.abort("connectionrefused"))  # the server is gone
    choose(page)
    expect(page.locator("[data-screen='issuing']")).to_be_visible()
    page.clock.run_for(15_000)
    expect(page.locator("#give-up")).to_be_hidden()
    page.clock.run_for(6_000)
    expect(page.locator("#give-up")).to_be_visible()
    expect(page.locator("#way-out")).to_contain_text("Bilet verilmədi")
    page.click("#give-up")
    expect(page.locator("[data-screen='start']")).to_be_visible()


def test_no_camera_no_scan_button(kiosk):
    # Headless Chromium here has no camera: the kiosk must not offer to scan.
    cameras = kiosk.evaluate(
        "async () => (await navigator.mediaDevices.enumerateDevices())"
        ".filter(d => d.kind === 'videoinput').length"
    )
    kiosk.click("#booking")
    expect(kiosk.locator("[data-screen='checkin']")).to_be_visible()
    if cameras == 0:
        expect(kiosk.locator("#camera-start")).to_be_hidden()
    else:
        expect(kiosk.locator("#camera-start")).to_be_visible()


def test_agency_tiles_fit_and_plurals_read_right_at_1366x768(browser, kiosk_server, artifacts):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = ctx.new_page()
        page.goto(f"{kiosk_server.url}/kiosk/{CENTER}")
        page.wait_for_selector("body[data-ready='1']")
        page.click("button.lang[data-lang='en']")
        page.click("#take")
        tiles = page.locator("[data-agency]")
        expect(tiles.first).to_be_visible()
        for tile in tiles.all():
            spill = tile.evaluate(
                "t => [...t.children].some(c => c.getBoundingClientRect().right"
                " > t.getBoundingClientRect().right + 0.5)"
            )
            assert not spill, tile.inner_text()
        metas = page.locator(".tile-meta").all_inner_texts()
        assert not any(re.match(r"^1 services", m) for m in metas), metas
        sizes = page.locator(".tile-meta").evaluate_all(
            "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(sizes) >= 24
        page.screenshot(path=str(artifacts / "kiosk-agencies-1366.png"))
    finally:
        ctx.close()
