"""Booking fixtures: a bookable service in the shared test world, and a helper to book."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

BAKU = ZoneInfo("Asia/Baku")


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BAKU)


def booking_body(world: Any, when: datetime, **overrides: Any) -> dict[str, Any]:
    body = {
        "center": world.center.slug,
        "service": "passport",
        "start": when.isoformat(),
        "name": "Aysel Məmmədova",
        "phone": "050 123 45 67",
        "lang": "az",
    }
    body.update(overrides)
    return body


@pytest.fixture
def book(client: Any, world: Any) -> Any:
    """book(start, **fields) -> the test client's response to POST /api/v1/appointments."""

    def _book(when: datetime, **overrides: Any) -> Any:
        return client.post("/api/v1/appointments", json=booking_body(world, when, **overrides))

    return _book
