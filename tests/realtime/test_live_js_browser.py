"""static/js/live.js in Chromium: a subscribe answered with an error (the server could not reach
Redis) is tried again after 250 ms, then 500 ms, and the page gets its snapshot. The test
sits on the page's WebSocket (Playwright's route_web_socket) and answers the first two
subscribes itself with the server's error answer."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import requests

from tests.live import start_server

ERROR = {"error": {"code": "server_error", "message": "could not subscribe; try again"}}


def test_a_failed_subscribe_is_retried_with_backoff(browser: Any, tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        ticket = requests.post(
            f"{server.url}/api/v1/centers/baku-1/tickets", json={"service": "passport"}, timeout=10
        ).json()
        subscribes: list[float] = []
        snapshots: list[float] = []

        def route(ws: Any) -> None:
            upstream = ws.connect_to_server()

            def from_page(message: Any) -> None:
                text = message if isinstance(message, str) else ""
                found = re.match(r"^42(\d+)\[\"subscribe\"", text)
                if found:
                    subscribes.append(time.monotonic())
                    if len(subscribes) <= 2:  # refused as during a Redis outage
                        ws.send(f"43{found.group(1)}{json.dumps([ERROR])}")
                        return
                upstream.send(message)

            def from_server(message: Any) -> None:
                if isinstance(message, str) and message.startswith('42["snapshot"'):
                    snapshots.append(time.monotonic())
                ws.send(message)

            ws.on_message(from_page)
            upstream.on_message(from_server)

        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.route_web_socket(re.compile(r"/socket\.io/"), route)
        page.goto(f"{server.url}/t/{ticket['token']}")
        page.wait_for_function("() => document.querySelector('#track')?.dataset.live === 'on'")
        deadline = time.monotonic() + 10
        while not snapshots and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # polling what the routed socket saw
        context.close()

        assert len(subscribes) >= 3, subscribes
        assert snapshots, "no snapshot after the retries"
        first_wait = subscribes[1] - subscribes[0]
        second_wait = subscribes[2] - subscribes[1]
        assert 0.2 <= first_wait < 2.0, first_wait
        assert second_wait >= 0.45 and second_wait > first_wait, (first_wait, second_wait)
    finally:
        server.stop()
