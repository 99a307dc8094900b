"""Many people booking the last seats at once: never more bookings than seats, on SQLite and
PostgreSQL (each racer is a thread with its own app context and session)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from asan_queue.extensions import db
from asan_queue.models import Appointment, SlotBooking

from .conftest import booking_body, local

RACERS = 10


def race(app: Any, world: Any, seats: int) -> list[int]:
    world.services["passport"].seats_per_slot = seats
    db.session.commit()
    start = local(2026, 12, 1, 11)
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = []
    lock = threading.Lock()

    bodies = [booking_body(world, start, phone=f"+99455{1000000 + i}") for i in range(RACERS)]

    def racer(i: int) -> None:
        client = app.test_client()
        body = bodies[i]
        barrier.wait(timeout=30)
        res = client.post("/api/v1/appointments", json=body)
        with lock:
            statuses.append(res.status_code)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return statuses


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_ten_racers_for_the_last_seat(app: Any, world: Any, backend: str) -> None:
    statuses = race(app, world, seats=1)
    assert sorted(statuses) == [201] + [409] * (RACERS - 1)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 1
    assert db.session.scalar(select(SlotBooking.booked)) == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_ten_racers_for_three_seats(app: Any, world: Any, backend: str) -> None:
    statuses = race(app, world, seats=3)
    assert sorted(statuses) == [201] * 3 + [409] * (RACERS - 3)
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 3
    assert db.session.scalar(select(SlotBooking.booked)) == 3


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_one_phone_booking_many_slots_at_once_stays_within_its_limit(
    app: Any, world: Any, backend: str
) -> None:
    service = world.services["passport"]
    service.seats_per_slot = 5
    service.max_bookings_per_phone = 2
    db.session.commit()
    # Six different slots, one phone, all at the same instant: only the limit may win.
    bodies = [
        booking_body(world, local(2026, 12, 1, 10 + i // 4, (i % 4) * 15), phone="+994551234567")
        for i in range(6)
    ]
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    lock = threading.Lock()

    def racer(i: int) -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        res = client.post("/api/v1/appointments", json=bodies[i])
        with lock:
            statuses.append(res.status_code)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [201, 201] + [409] * 4
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 2
