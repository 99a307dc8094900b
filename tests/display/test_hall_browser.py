"""The hall board and counter screen as a citizen reads them, in Debian's Chromium against
the live demo server: who is at each counter, the queues, the languages, and the spoken calls
(server-rendered audio played to its `ended` event, in order, under a burst)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.display.hall_helpers import MEDIA_LOG, Hall
from tests.kiosk.live_hours import set_hours

TIMEOUT = 20_000
TV = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def hall_server(live_server: Any) -> Any:
    set_hours(live_server, open_all_day=True)  # walk-in tickets whatever the real clock says
    return live_server


@pytest.fixture
def tv(browser: Any) -> Any:
    ctx = browser.new_context(viewport=TV)
    ctx.add_init_script(MEDIA_LOG)
    yield ctx
    ctx.close()


def _open_hall(ctx: Any, server: Any, query: str = "") -> Any:
    page = ctx.new_page()
    page.goto(f"{server.url}/display/baku-1{query}")
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
    return page


def test_empty_hall_says_what_to_do(tv: Any, hall_server: Any, artifacts: Path) -> None:
    page = _open_hall(tv, hall_server, "?lang=en")
    expect(page.locator("#now-empty")).to_have_text("Please take a ticket at the kiosk")
    expect(page.locator("#now-number")).to_be_hidden()
    expect(page.locator("#no-calls")).to_be_visible()
    expect(page.locator("#no-queues")).to_be_visible()  # nothing open, nobody waiting
    expect(page.locator("#services li")).to_have_count(0)
    page.screenshot(path=str(artifacts / "hall-empty.png"))


def test_a_burst_of_five_calls_is_spoken_in_order_chime_az_ru_en(
    tv: Any, hall_server: Any, artifacts: Path
) -> None:
    hall = Hall(hall_server)
    page = _open_hall(tv, hall_server)
    calls = [hall.call_own(n) for n in (11, 12, 13, 14, 15)]  # one after another, at once
    page.wait_for_function(
        "() => (window.hallAnnouncements || []).filter(a => a.ended).length >= 5",
        timeout=120_000,
    )
    log = page.evaluate("() => window.hallAnnouncements")
    assert [a["number"] for a in log] == [c["number"] for c in calls]
    for entry in log:
        assert entry["failed"] == []
        assert [s["lang"] for s in entry["spoken"]] == ["az", "ru", "en"]
        assert {s["via"] for s in entry["spoken"]} == {"audio"}
    # What the browser itself played: 5 x (chime, az, ru, en), each to its `ended`, one at a
    # time (every clip ends before the next one starts playing).
    media = page.evaluate("() => window.mediaLog")
    played = [m for m in media if m["event"] == "ended"]
    expected = []
    for call in calls:
        expected.append("/speech/chime.wav")
        expected += [
            f"/speech/{lang}/{call['number']}/{call['counter']}.wav" for lang in ("az", "ru", "en")
        ]
    assert [m["src"].split(hall_server.url, 1)[1] for m in played] == expected
    # One clip at a time: each clip starts playing only after the one before it ended
    # ("playing" may repeat within a clip after buffering under load).
    spans = {}
    for m in media:
        start, end = spans.get(m["clip"], (None, None))
        if m["event"] == "playing" and start is None:
            start = m["t"]
        if m["event"] == "ended":
            end = m["t"]
        spans[m["clip"]] = (start, end)
    ordered = [spans[m["clip"]] for m in played]
    assert all(start is not None and end is not None for start, end in ordered)
    assert all(prev[1] <= nxt[0] for prev, nxt in zip(ordered, ordered[1:], strict=False))
    speech = [m for m in played if "chime" not in m["src"]]
    assert all(1.5 < m["duration"] < 8 for m in speech), [m["duration"] for m in speech]
    # The board lists the five counters, newest call first.
    rows = page.locator("#counters li")
    expect(rows.first).to_have_attribute("data-number", calls[-1]["number"])
    assert {r.get_attribute("data-counter") for r in rows.all()} >= {"11", "12", "13", "14", "15"}
    page.screenshot(path=str(artifacts / "hall-burst.png"))
    for n in (11, 12, 13, 14, 15):
        hall.act(n, "no-show")


def test_counters_list_follows_recall_finish_no_show_and_transfer(
    tv: Any, hall_server: Any, artifacts: Path
) -> None:
    hall = Hall(hall_server)
    page = _open_hall(tv, hall_server, "?lang=en")
    first = hall.call_own(1)
    row = page.locator('#counters li[data-counter="1"]')
    expect(row).to_have_attribute("data-number", first["number"], timeout=TIMEOUT)
    assert hall.act(1, "recall").status_code == 200
    expect(row).to_have_class(re.compile(r"\bcalled flash\b"), timeout=TIMEOUT)
    expect(page.locator('#counters li[data-counter="1"]')).to_have_count(1)  # updated, not added
    hall.act(1, "start")
    expect(row).to_have_class(re.compile(r"\bserving\b"), timeout=TIMEOUT)
    hall.act(1, "finish")
    expect(row).to_have_count(0, timeout=TIMEOUT)

    second = hall.call_own(2)
    expect(page.locator('#counters li[data-counter="2"]')).to_be_visible(timeout=TIMEOUT)
    hall.act(2, "no-show")
    expect(page.locator('#counters li[data-counter="2"]')).to_have_count(0, timeout=TIMEOUT)

    third = hall.call_own(3)
    other = next(code for code in hall.services if code != hall.counters[3]["services"][0])
    expect(page.locator('#counters li[data-counter="3"]')).to_be_visible(timeout=TIMEOUT)
    assert hall.act(3, "transfer", {"service": other}).status_code == 200
    expect(page.locator('#counters li[data-counter="3"]')).to_have_count(0, timeout=TIMEOUT)
    assert second["number"] != third["number"]
    for n in (1, 2, 3):
        hall.act(n, "close")


def test_many_calls_fit_their_panel(tv: Any, hall_server: Any, artifacts: Path) -> None:
    hall = Hall(hall_server)
    numbers = list(range(1, 21))
    for n in numbers:
        hall.call_own(n)
    page = _open_hall(tv, hall_server, "?lang=ru")
    expect(page.locator("#counters li")).not_to_have_count(0, timeout=TIMEOUT)
    panel = page.locator(".at-counters").bounding_box()
    shown = page.locator("#counters li")
    for box in (r.bounding_box() for r in shown.all()):
        assert box["y"] + box["height"] <= panel["y"] + panel["height"] + 1
        assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 1
    hidden = 20 - shown.count()
    if hidden:
        expect(page.locator("#counters-more")).to_contain_text(str(hidden))
    # The queue list: only active services, at least 40 px, nothing cut with an ellipsis.
    center = page.evaluate("() => window.hall.services")
    active = {s["code"] for s in center if s["waiting"] > 0 or s["open_counters"] > 0}
    listed = set(
        page.locator("#services li").evaluate_all("els => els.map(e => e.dataset.service)")
    )
    assert listed == active
    sizes = page.locator("#services li:not([hidden]) .name").evaluate_all(
        "els => els.map(e => [parseFloat(getComputedStyle(e).fontSize),"
        " e.scrollWidth <= e.clientWidth])"
    )
    assert sizes and all(size >= 40 and fits for size, fits in sizes), sizes
    page.screenshot(path=str(artifacts / "hall-busy-ru.png"))
    for n in numbers:
        hall.act(n, "no-show")
        hall.act(n, "close")


def test_lang_in_the_url_pins_the_board_language(tv: Any, hall_server: Any) -> None:
    page = tv.new_page()
    page.clock.install()
    page.goto(f"{hall_server.url}/display/baku-1?lang=ru")
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#now-title")).to_have_text("Вызывается")
    page.clock.run_for(40_000)  # past several rotations
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#now-title")).to_have_text("Вызывается")


def test_counter_screen_says_called_then_serving_flashes_and_rotates(
    browser: Any, hall_server: Any, artifacts: Path
) -> None:
    hall = Hall(hall_server)
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = ctx.new_page()
        page.clock.install()
        page.goto(f"{hall_server.url}/display/baku-1/counter/4")
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        expect(page.locator("html")).to_have_attribute("lang", "az")
        call = hall.call_own(4)
        expect(page.locator("#serving-number")).to_have_text(call["number"], timeout=TIMEOUT)
        expect(page.locator("#serving-label")).to_have_text("Çağırılır")
        expect(page.locator("#main")).to_have_class(re.compile(r"\bflash\b"))
        page.screenshot(path=str(artifacts / "counter-called.png"))
        page.clock.run_for(8_500)
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("#serving-label")).to_have_text("Вызывается")
        hall.act(4, "start")
        expect(page.locator("#screen")).to_have_attribute("data-status", "serving", timeout=TIMEOUT)
        expect(page.locator("#serving-label")).to_have_text("Обслуживается")
        page.screenshot(path=str(artifacts / "counter-serving.png"))
        hall.act(4, "finish")
        hall.act(4, "close")
    finally:
        ctx.close()
