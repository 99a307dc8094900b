"""The display pages are served for known centers and counters only."""

from __future__ import annotations

from typing import Any


def test_hall_and_counter_screen_are_served(world: Any, client: Any) -> None:
    hall = client.get("/display/test-1")
    assert hall.status_code == 200
    assert b"/display/static/hall.js" in hall.data
    screen = client.get("/display/test-1/counter/3")
    assert screen.status_code == 200
    assert b"/display/static/counter.js" in screen.data
    for asset in ("hall.js", "counter.js", "announcer.js", "hall.css"):
        assert client.get(f"/display/static/{asset}").status_code == 200, asset


def test_unknown_center_or_counter_is_a_404(world: Any, client: Any) -> None:
    assert client.get("/display/nowhere").status_code == 404
    assert client.get("/display/test-1/counter/99").status_code == 404
    assert client.get("/display/other-1/counter/1").status_code == 404
