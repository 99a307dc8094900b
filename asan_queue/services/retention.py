"""Personal data is kept only as long as it serves the visit: after the retention periods
(visits: ticket phones, feedback comments, notifications; bookings: names, phones and e-mails)
it is blanked, and on SQLite the write-ahead log is checkpointed and truncated so no copy of
the old values stays in the -wal file (deleted content is overwritten: secure_delete,
models/engine.py). The server's scheduler runs it (web/background.py); so can the CLI."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from ..models import Appointment, Feedback, Notification, Ticket
from .common import require_aware
from .uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """Days personal data is kept: of a visit (from the ticket's issue, the feedback, the
    message) and of a booking (from its slot)."""

    visit_days: int = 30
    booking_days: int = 90

    def __post_init__(self) -> None:
        if self.visit_days < 0 or self.booking_days < 0:
            raise ValueError("retention days must be 0 or more")


def configured(config: Mapping[str, Any]) -> Retention:
    """The retention periods of the app's config (RETENTION_VISIT_DAYS, ..._BOOKING_DAYS)."""
    return Retention(
        int(config.get("RETENTION_VISIT_DAYS", 30)), int(config.get("RETENTION_BOOKING_DAYS", 90))
    )


@dataclass(frozen=True)
class Purged:
    appointments: int
    tickets: int
    notifications: int
    comments: int


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge_personal_data(uow: UnitOfWork, retention: Retention, *, now: datetime) -> Purged:
    """Blank names, phones and e-mails of bookings whose slot is older than the booking
    retention; phones of tickets, feedback comments and the recipients and texts of messages
    older than the visit retention (an old message still pending is cancelled: it is too late
    to send). Then checkpoint SQLite's WAL. Raises ValueError for a naive `now`."""
    require_aware(now)
    visits = now - timedelta(days=retention.visit_days)
    bookings = now - timedelta(days=retention.booking_days)
    quiet = {"synchronize_session": False}
    with uow:
        session = uow.session
        appts = session.execute(
            update(Appointment)
            .where(
                Appointment.starts_at < bookings,
                (Appointment.name != "")
                | Appointment.phone.is_not(None)
                | Appointment.email.is_not(None),
            )
            .values(name="", phone=None, email=None)
            .execution_options(**quiet)
        )
        tickets = session.execute(
            update(Ticket)
            .where(Ticket.issued_at < visits, Ticket.phone.is_not(None))
            .values(phone=None)
            .execution_options(**quiet)
        )
        old_note = (Notification.recipient != "") & (
            (Notification.appointment_id.is_(None) & (Notification.created_at < visits))
            | (Notification.appointment_id.is_not(None) & (Notification.created_at < bookings))
        )
        session.execute(
            update(Notification)
            .where(old_note, Notification.status == "pending")
            .values(status="cancelled", last_error="retention period over")
            .execution_options(**quiet)
        )
        notes = session.execute(
            update(Notification)
            .where(old_note)
            .values(recipient="", body="", data={})
            .execution_options(**quiet)
        )
        comments = session.execute(
            update(Feedback)
            .where(Feedback.created_at < visits, Feedback.comment != "")
            .values(comment="")
            .execution_options(**quiet)
        )
        purged = Purged(_count(appts), _count(tickets), _count(notes), _count(comments))
    checkpoint(session)
    return purged


def checkpoint(session: Session) -> None:
    """SQLite: copy the write-ahead log into the database file and truncate it to zero
    bytes, so values overwritten since are not kept in the -wal file. (PostgreSQL's WAL is
    the server's; its old row versions go with VACUUM.)"""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "sqlite":
        return
    session.commit()
    with engine.connect() as conn:
        # On the driver's connection, outside any transaction (a checkpoint cannot run in
        # one); waits for readers up to the busy timeout.
        raw = conn.connection.driver_connection
        assert raw is not None
        busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("WAL checkpoint after the purge was blocked by a reader; it runs again")
