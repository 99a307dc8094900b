"""Booking speed: slot search with 10,000 existing bookings, and bookings per second.

Run from the repository root: `.venv/bin/python bench/bench_booking.py [N]`.
SQLite file database (WAL, synchronous=FULL, as in production's embedded mode), demo data,
a fixed clock. Both figures go through Flask's test client (the full HTTP stack of the app:
routing, validation, JSON, error handling) but no network socket; the slot search is also
timed as a bare service call for comparison. Single process. Prints figures only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select  # noqa: E402

from asan_queue import create_app  # noqa: E402
from asan_queue.extensions import db  # noqa: E402
from asan_queue.models import Appointment, Center, Service, SlotBooking  # noqa: E402
from asan_queue.services.booking import free_slots  # noqa: E402
from asan_queue.services.demo import seed_demo  # noqa: E402
from asan_queue.web.uow import unit_of_work  # noqa: E402
from config import TestConfig  # noqa: E402

NOW = datetime(2026, 11, 30, 5, 30, tzinfo=UTC)  # Monday 09:30 in Baku
EXISTING = 10_000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def make_app(path: Path):  # type: ignore[no-untyped-def]
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        CLOCK = staticmethod(lambda: NOW)
        RATELIMIT_ENABLED = False
        NOTIFY_WORKER = False

    app = create_app(Cfg)
    with app.app_context():
        db.create_all()
        seed_demo(unit_of_work(), now=NOW)
        for service in db.session.scalars(select(Service)):
            service.horizon_days = 365
            service.min_notice_minutes = 0
        db.session.commit()
    return app


def fill(service: Service, center: Center) -> None:
    """10,000 bookings of the benched service over the next ~6 months (all its slots, two
    seats each), inserted in bulk: the table the slot search has to look through."""
    service.seats_per_slot = 2
    service.slot_minutes = 12
    db.session.commit()
    day, rows, seats = NOW.date(), [], []
    while len(rows) < EXISTING and day < NOW.date() + timedelta(days=365):
        for f in free_slots(db.session, center, service, day, now=NOW):
            seats.append({"service_id": service.id, "starts_at": f.slot.starts_at, "booked": 2})
            for seat in range(2):
                n = len(rows)
                rows.append(
                    {
                        "code": f"B{n:05d}-{seat}",
                        "token": f"bench-{n}",
                        "center_id": center.id,
                        "service_id": service.id,
                        "starts_at": f.slot.starts_at,
                        "ends_at": f.slot.ends_at,
                        "status": "booked",
                        "name": "Bench",
                        "phone": f"+99450{n:07d}",
                        "lang": "az",
                        "created_at": NOW,
                    }
                )
        day += timedelta(days=1)
    db.session.execute(insert(Appointment), rows[:EXISTING])
    db.session.execute(insert(SlotBooking), seats)
    db.session.commit()


def bench_search(app, n: int) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    with app.app_context():
        center = db.session.scalar(select(Center).where(Center.slug == "baku-1"))
        service = db.session.scalar(
            select(Service).where(Service.center_id == center.id, Service.code == "passport")
        )
        fill(service, center)
        days = [date(2026, 12, 1) + timedelta(days=i % 20) for i in range(n)]
        calls = []
        for day in days:
            t0 = time.perf_counter()
            free_slots(db.session, center, service, day, now=NOW)
            calls.append((time.perf_counter() - t0) * 1000)
            db.session.rollback()
    http = []
    for day in days:
        t0 = time.perf_counter()
        res = client.get(f"/api/v1/centers/baku-1/services/passport/slots?date={day}")
        http.append((time.perf_counter() - t0) * 1000)
        assert res.status_code == 200
    print(f"slot search, {EXISTING} bookings in the table, {n} searches of one service/day:")
    for name, values in (("service call", calls), ("GET .../slots (test client)", http)):
        print(
            f"  {name:28s} p50 {percentile(values, 50):6.2f} ms  "
            f"p99 {percentile(values, 99):6.2f} ms  max {max(values):6.2f} ms"
        )


def bench_booking(app, n: int) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    with app.app_context():
        center = db.session.scalar(select(Center).where(Center.slug == "baku-1"))
        service = db.session.scalar(
            select(Service).where(Service.center_id == center.id, Service.code == "id-card")
        )
        service.seats_per_slot, service.max_bookings_per_phone = 4, 100
        db.session.commit()
        starts, day = [], NOW.date()
        while len(starts) < n:
            starts += [
                f.slot.local_start.isoformat()
                for f in free_slots(db.session, center, service, day, now=NOW)
                for _ in range(4)
            ]
            day += timedelta(days=1)
    t0 = time.perf_counter()
    for i in range(n):
        res = client.post(
            "/api/v1/appointments",
            json={
                "center": "baku-1",
                "service": "id-card",
                "start": starts[i],
                "name": "Bench Citizen",
                "phone": f"+99455{i:07d}",
            },
        )
        assert res.status_code == 201, res.get_json()
    elapsed = time.perf_counter() - t0
    print(
        f"booking via POST /api/v1/appointments (test client, SQLite, sequential): "
        f"{n} in {elapsed:.2f} s = {n / elapsed:.0f} bookings/s "
        f"({elapsed / n * 1000:.2f} ms each, confirmation + reminder queued in each)"
    )


def relaxed(app) -> None:  # type: ignore[no-untyped-def]
    """Comparison only: synchronous=NORMAL (no fsync per commit) shows how much of a booking
    is the disk flush that production's synchronous=FULL pays for durability."""
    with app.app_context():
        db.engine.dispose()
        event.listen(
            db.engine,
            "connect",
            lambda conn, _rec: conn.execute("PRAGMA synchronous=NORMAL"),
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp) / "bench.db")
        bench_search(app, n)
        print("synchronous=FULL (the production setting):")
        bench_booking(app, n)
        other = make_app(Path(tmp) / "relaxed.db")
        relaxed(other)
        print("synchronous=NORMAL (comparison only, not durable on power loss):")
        bench_booking(other, n)


if __name__ == "__main__":
    main()
