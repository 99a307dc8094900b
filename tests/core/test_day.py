"""The center's day, end to end with the injected clock: the server's own job closes it at
closing time plus the grace period, and at the latest at local midnight; it catches up days it
missed; it closes a day once, even when two processes try at the same instant; and nothing of
yesterday is ever in today's queue."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from asan_queue.domain.booking import AppointmentStatus
from asan_queue.domain.statuses import CounterState
from asan_queue.extensions import db
from asan_queue.models import Appointment, Counter, DayClosure, OpeningPeriod, Ticket, TicketEvent
from asan_queue.schemas.base import dump
from asan_queue.services.day import close_day
from asan_queue.services.hall import HallView
from asan_queue.services.uow import UnitOfWork
from asan_queue.web.background import Runner, default_jobs
from tests.factories import token_for

BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
MONDAY = date(2026, 11, 30)


def at(clock: Any, day: date, hh: int, mm: int = 0, ss: int = 0) -> None:
    """hh:mm:ss Baku time (UTC+4) on `day`."""
    clock.now = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        hours=hh - 4, minutes=mm, seconds=ss
    )


def server_pass(app: Any) -> None:
    """One pass of the server's own background jobs, as its loop runs them (in an app context
    and session of their own); the test's session then ends its read transaction, so it sees
    what the pass committed (SQLite keeps a reader on its snapshot)."""
    Runner(app, [j for j in default_jobs(app) if j.name == "close_days"]).run_pending()
    db.session.rollback()


def open_all_day(world: Any, session: Any) -> None:
    world.center.hours.clear()
    session.flush()
    for weekday in range(7):
        world.center.hours.append(
            OpeningPeriod(weekday=weekday, opens=time(0), closes=time(23, 59, 59))
        )
    session.commit()


def issue(client: Any, service: str = "id-card") -> dict[str, Any]:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service})
    assert res.status_code == 201, res.get_json()
    return dict(res.get_json())


def expire_events(session: Any) -> list[TicketEvent]:
    return session.query(TicketEvent).filter_by(operation="expire").all()


@BOTH
def test_after_midnight_the_new_day_starts_at_a001_with_an_empty_queue(
    client, world, clock, session, app, events
):
    open_all_day(world, session)
    at(clock, MONDAY, 23, 59, 50)
    yesterday = [issue(client) for _ in range(3)]
    assert [t["number"] for t in yesterday] == ["A001", "A002", "A003"]

    at(clock, MONDAY + timedelta(days=1), 0, 0, 10)
    server_pass(app)
    session.expire_all()
    assert {t.status for t in session.query(Ticket)} == {"expired"}
    assert len(expire_events(session)) == 3
    assert {e.token for e in events if getattr(e, "operation", "") == "expire"} == {
        t["token"] for t in yesterday
    }

    today = issue(client)
    assert today["number"] == "A001"
    assert (today["position"], today["people_ahead"]) == (1, 0)
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    called = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers).get_json()
    assert called["token"] == today["token"]
    assert "waited 0 min" in called["reason"]
    # The hall shows one holder of A001: today's.
    hall = dump(HallView(db.session, world.center, clock.now).center_state())
    assert [c["number"] for c in hall["recent_calls"]] == ["A001"]
    assert [c["current"]["number"] for c in hall["counters"] if c["current"]] == ["A001"]
    # A second pass the same night finds nothing left to do.
    server_pass(app)
    assert len(expire_events(session)) == 3


@BOTH
def test_even_before_the_day_is_closed_no_queue_read_sees_yesterday(client, world, clock, session):
    open_all_day(world, session)
    at(clock, MONDAY, 23, 59, 50)
    yesterday = [issue(client) for _ in range(3)]
    at(clock, MONDAY + timedelta(days=1), 0, 0, 10)  # no server pass has run yet
    today = issue(client)
    assert today["number"] == "A001" and today["people_ahead"] == 0
    detail = client.get("/api/v1/centers/test-1").get_json()
    assert next(s for s in detail["services"] if s["code"] == "id-card")["waiting"] == 1
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    called = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers).get_json()
    assert called["token"] == today["token"]
    # Not yet expired (that is the next pass), yesterday's ticket is in no queue: no place, no
    # ETA, and it says why.
    left = client.get(f"/api/v1/tickets/{yesterday[0]['token']}").get_json()
    assert (left["status"], left["position"], left["eta_minutes"]) == ("waiting", 0, None)
    assert left["eta_status"] == "day_closed"


@BOTH
def test_the_day_closes_at_closing_time_plus_the_grace_period(client, world, clock, session, app):
    at(clock, MONDAY, 17, 40)
    waiting = issue(client)
    called = issue(client)
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    missed = Appointment(
        code="K7M-4QX",
        token="t" * 43,
        center_id=world.center.id,
        service_id=world.services["passport"].id,
        starts_at=datetime(2026, 11, 30, 13, 0, tzinfo=UTC),  # 17:00 Baku
        ends_at=datetime(2026, 11, 30, 13, 15, tzinfo=UTC),
        status=AppointmentStatus.BOOKED,
        name="Aysel",
        created_at=clock.now,
    )
    session.add(missed)
    session.commit()

    at(clock, MONDAY, 18, 29)  # 18:00 closing + 30 minutes grace is not yet reached
    server_pass(app)
    session.expire_all()
    assert session.query(DayClosure).filter_by(day=MONDAY).count() == 0
    assert {t.status for t in session.query(Ticket)} == {"waiting", "called"}

    at(clock, MONDAY, 18, 30)
    server_pass(app)
    session.expire_all()
    assert {t.token: t.status for t in session.query(Ticket)} == {
        waiting["token"]: "expired",
        called["token"]: "expired",
    }
    # (Its check-in window closed at 17:10: the same job marked it no-show then.)
    assert session.get(Appointment, missed.id).status == AppointmentStatus.NO_SHOW
    c = session.get(Counter, counter.id)
    assert (c.state, c.operator_id) == (CounterState.CLOSED, None)
    (closure,) = session.query(DayClosure).filter_by(center_id=world.center.id, day=MONDAY).all()
    assert (closure.tickets_expired, closure.counters_closed) == (2, 1)


@BOTH
def test_a_day_missed_while_the_server_was_down_is_closed_at_start_up(
    client, world, clock, session, app
):
    at(clock, MONDAY, 17, 0)
    left = issue(client)
    session.add(
        Appointment(
            code="K7M-4QX",
            token="t" * 43,
            center_id=world.center.id,
            service_id=world.services["passport"].id,
            starts_at=datetime(2026, 11, 30, 13, 45, tzinfo=UTC),  # 17:45 Baku
            ends_at=datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
            status=AppointmentStatus.BOOKED,
            name="Aysel",
            created_at=clock.now,
        )
    )
    session.commit()
    # No pass ran in the evening or at midnight; the first one is at 08:00 the next day.
    at(clock, MONDAY + timedelta(days=1), 8, 0)
    server_pass(app)
    assert session.query(Ticket).filter_by(token=left["token"]).one().status == "expired"
    assert session.query(Appointment).one().status == AppointmentStatus.NO_SHOW
    closed = {c.day for c in session.query(DayClosure).filter_by(center_id=world.center.id)}
    assert MONDAY in closed
    at(clock, MONDAY + timedelta(days=1), 9, 0)
    assert issue(client)["number"] == "A001"


@BOTH
def test_two_processes_closing_the_same_day_at_once_close_it_once(
    client, world, clock, session, app
):
    at(clock, MONDAY, 17, 0)
    tickets = [issue(client) for _ in range(5)]
    at(clock, MONDAY, 23, 0)
    center_id = world.center.id  # read here: the test's own session is not shared by threads
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def closer() -> None:
        with app.app_context():
            barrier.wait()
            results.append(close_day(UnitOfWork(db.session), center_id, MONDAY, now=clock.now))
            db.session.remove()

    threads = [threading.Thread(target=closer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    session.rollback()  # see what the two threads committed
    closed = [r for r in results if r is not None]
    assert len(results) == 2 and len(closed) == 1
    assert closed[0].tickets_expired == 5
    session.expire_all()
    per_ticket = {t["token"]: 0 for t in tickets}
    for event in expire_events(session):
        per_ticket[session.get(Ticket, event.ticket_id).token] += 1
    assert set(per_ticket.values()) == {1}
    assert session.query(DayClosure).filter_by(center_id=center_id, day=MONDAY).count() == 1
