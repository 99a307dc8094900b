"""Personal data past its retention is gone from the database files, WAL included: the
server's own scheduler purges it (with the injected clock), with the configured periods."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from asan_queue.extensions import db
from asan_queue.models import Appointment, Feedback, Notification, Ticket
from asan_queue.web.background import Runner, default_jobs
from tests.factories import token_for

from .conftest import local

SLOT = local(2026, 11, 30, 10, 30)
NAME = "Aysel Qurbanzadeh-Retention"
EMAIL = "aysel.retention@example.az"
BOOKING_PHONE = "+994501234567"
TICKET_PHONE = "+994507770011"
COMMENT = "Nargiz was very kind, retention check"
PERSONAL = [NAME, EMAIL, BOOKING_PHONE, TICKET_PHONE, COMMENT]


def _files(app: Any) -> list[Path]:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal")) if p.exists()]


def _found(app: Any) -> set[str]:
    """The personal values whose bytes are in the database file or its WAL."""
    raw = b"".join(p.read_bytes() for p in _files(app))
    return {value for value in PERSONAL if value.encode() in raw}


def _served_with_feedback(client: Any, world: Any) -> None:
    issued = client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "passport", "phone": "050 777 00 11"}
    ).get_json()
    h = token_for(client, "op1")
    cid = world.counters[0].id
    for action in ("open", "call-next", "start", "finish"):
        assert client.post(f"/api/v1/counters/{cid}/{action}", headers=h).status_code == 200
    res = client.post(
        f"/api/v1/tickets/{issued['token']}/feedback", json={"rating": 5, "comment": COMMENT}
    )
    assert res.status_code == 201, res.get_json()


def _scheduler_pass(app: Any) -> None:
    db.session.remove()  # the test's own read ends (a reader holds the WAL's frames)
    Runner(app, [j for j in default_jobs(app) if j.name == "purge"]).run_pending()


def test_the_scheduler_purges_every_personal_value_from_the_files_wal_included(
    app: Any, client: Any, world: Any, book: Any, clock: Any, session: Any, sms: Any
) -> None:
    res = book(SLOT, name=NAME, email=EMAIL, phone="050 123 45 67")
    assert res.status_code == 201, res.get_json()
    _served_with_feedback(client, world)
    db.session.remove()
    assert _found(app) == set(PERSONAL)  # the control: the values are there to be found
    assert session.query(Notification).filter(Notification.status == "pending").count() >= 1

    clock.advance(days=91)
    _scheduler_pass(app)

    assert _found(app) == set()
    wal = [p for p in _files(app) if p.name.endswith("-wal")]
    assert all(p.stat().st_size == 0 for p in wal)  # checkpointed and truncated
    session.expire_all()
    assert session.query(Notification).filter(Notification.recipient != "").count() == 0
    assert session.query(Notification).filter(Notification.status == "pending").count() == 0
    assert session.query(Feedback).one().rating == 5  # the rating stays, the words go


def test_visits_and_bookings_have_their_own_configured_periods(
    app: Any, client: Any, world: Any, book: Any, clock: Any, session: Any, sms: Any
) -> None:
    app.config.update(RETENTION_VISIT_DAYS=10, RETENTION_BOOKING_DAYS=60)
    assert book(SLOT, name=NAME, email=EMAIL).status_code == 201
    _served_with_feedback(client, world)
    clock.advance(days=11)
    _scheduler_pass(app)
    session.expire_all()
    appointment = session.query(Appointment).one()
    assert (appointment.name, appointment.email) == (NAME, EMAIL)  # within 60 days
    assert session.query(Ticket).one().phone is None
    assert session.query(Feedback).one().comment == ""
    clock.advance(days=50)
    _scheduler_pass(app)
    session.expire_all()
    appointment = session.query(Appointment).one()
    assert (appointment.name, appointment.phone, appointment.email) == ("", None, None)
