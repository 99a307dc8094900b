"""A hall display whose server goes away comes back by itself: after a restart it reconnects,
takes a fresh snapshot and shows calls made since, with no page reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.live import start_server

TIMEOUT = 20_000


def _call(server: Any, service_counter: dict[str, Any]) -> dict[str, Any]:
    issued = requests.post(
        f"{server.url}/api/v1/centers/baku-1/tickets",
        json={"service": service_counter["services"][0]},
        timeout=10,
    )
    assert issued.status_code == 201, issued.text
    headers = server.token("operator2")
    base = f"{server.url}/api/v1/counters/{service_counter['id']}"
    for action in ("finish", "no-show"):  # clear what an earlier call left at the counter
        requests.post(f"{base}/{action}", headers=headers, timeout=10)
    requests.post(f"{base}/open", headers=headers, timeout=10)
    res = requests.post(f"{base}/call-next", headers=headers, timeout=10)
    assert res.status_code == 200, res.text
    return dict(res.json())


@pytest.fixture
def restartable(tmp_path: Path) -> Any:
    servers = [start_server(tmp_path)]
    yield servers
    servers[-1].stop()


def test_display_reconnects_after_a_server_restart(browser: Any, restartable: Any) -> None:
    first = restartable[0]
    center = requests.get(f"{first.url}/api/v1/centers/baku-1", timeout=10).json()
    counter = next(c for c in center["counters"] if c["number"] == 2)

    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        hall = ctx.new_page()
        hall.goto(f"{first.url}/display/baku-1")
        expect(hall.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        hall.evaluate("() => { window.loadedOnce = true; }")  # gone if the page reloads

        before = _call(first, counter)
        expect(hall.locator("#now-number")).to_have_text(before["number"], timeout=TIMEOUT)

        port = int(first.url.rsplit(":", 1)[1])
        first.stop()
        expect(hall.locator("#offline")).to_be_visible(timeout=TIMEOUT)
        # Same port, same database: the hall's server is back.
        workdir = Path(first.env["ASAN_DATABASE_URL"].removeprefix("sqlite:///")).parent
        second = start_server(workdir, port=port)
        restartable.append(second)
        after = _call(second, counter)
        # The board lists the new call at its counter at once; the big panel shows it when
        # its announcement starts, after the one still being spoken (never overlapping).
        row = hall.locator(f'#counters li[data-counter="{after["counter"]}"]')
        expect(row).to_have_attribute("data-number", after["number"], timeout=TIMEOUT)
        expect(hall.locator("#offline")).to_be_hidden()
        assert hall.evaluate("() => window.loadedOnce === true")
    finally:
        ctx.close()
