"""What the ETA projection expects in the coming hour, read from the database in one
statement (services/queue.py expected_of): today's bookings due and the rate of priority
citizens per service. On SQLite and PostgreSQL, as the hall, the desk and issuing read it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from asan_queue.domain.expected import SHOW_RATE
from asan_queue.services.queue import expected_of, opening_periods

from .conftest import local


def _issue(client: Any, service: str, **body: Any) -> None:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service, **body})
    assert res.status_code == 201, res.get_json()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_the_projection_expects_the_bookings_due_and_the_priority_citizens(
    client: Any, world: Any, book: Any, clock: Any, session: Any
) -> None:
    due = local(2026, 11, 30, 10, 30)
    assert book(due).status_code == 201
    later = book(local(2026, 11, 30, 12, 0), phone="+994551112233")  # past the hour ahead
    assert later.status_code == 201
    clock.advance(minutes=20)  # 09:50 in Baku; the center opened at 09:00
    _issue(client, "id-card", priority="elderly")
    _issue(client, "id-card", priority="disability")
    _issue(client, "id-card")  # no priority: not counted
    _issue(client, "notary", priority="elderly")
    clock.advance(minutes=1)  # 09:51: 51 minutes open
    center, now = world.center, clock.now
    targets = {s.id: s.target_wait_minutes for s in center.services}
    expected = expected_of(session, center, now, opening_periods(center, now), targets)

    bookings = [e for e in expected if e.ticket.slot_start is not None]
    assert [(e.ticket.service_id, e.ticket.slot_start, e.weight) for e in bookings] == [
        (world.services["passport"].id, due, pytest.approx(SHOW_RATE))
    ]
    assert bookings[0].ticket.queued_at == due  # expected at its slot's start
    priority: dict[int, float] = {}
    for e in expected:
        if e.ticket.priority == "expected":
            priority[e.ticket.service_id] = priority.get(e.ticket.service_id, 0) + e.weight
            assert now < e.ticket.queued_at <= now + timedelta(hours=1)
    # The rate of the last 51 minutes, spread over the coming hour.
    assert priority == {
        world.services["id-card"].id: pytest.approx(2 / 51 * 60),
        world.services["notary"].id: pytest.approx(1 / 51 * 60),
    }
