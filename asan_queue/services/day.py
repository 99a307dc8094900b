"""The center's day. Every queue read is scoped to the center's local day; this module
closes a day: at the center's last closing time plus a grace period, and at the latest at
local midnight, waiting, called and serving tickets expire (each with an event), bookings
never checked in become no-shows and counters left open close. The server runs it itself
(web/background.py) and catches up, at start-up, days it missed while it was down.

A day closes exactly once however many server processes try at the same moment: the first
statement of the closing transaction inserts the (center, day) row of `day_closures`, whose
primary key lets only one transaction in; a concurrent one waits for it and then inserts
nothing, so it stops there. That holds on PostgreSQL and SQLite alike, with no lock held
outside the transaction and nothing to clean up after a crash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.booking import AppointmentStatus
from ..domain.events import CounterChanged, TicketChanged
from ..domain.numbering import local_day
from ..domain.statuses import ACTIVE, CounterState
from ..models import Appointment, Center, Counter, DayClosure, Ticket
from . import rollup
from .transitions import apply
from .uow import UnitOfWork

# Closing a day also expires, no-shows and closes whatever was left from before it, so a
# server that was down for days needs only yesterday and today closed (plus any day that
# still has active tickets).
CATCH_UP_DAYS = 1


@dataclass(frozen=True)
class Closed:
    center: str
    day: date
    tickets_expired: int
    bookings_missed: int
    counters_closed: int


def _midnight_after(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def close_moment(center: Center, day: date) -> datetime:
    """When the server closes the center's local `day`: the day's last closing time plus the
    center's grace period, capped at local midnight (midnight on a day without hours)."""
    zone = ZoneInfo(center.timezone)
    midnight = _midnight_after(day, zone)
    if any(c.day == day for c in center.closed_days):
        return midnight
    closes = [p.closes for p in center.hours if p.weekday == day.weekday()]
    if not closes:
        return midnight
    moment = datetime.combine(day, max(closes), tzinfo=zone)
    return min(moment + timedelta(minutes=center.close_grace_minutes), midnight)


def due_days(session: Session, center: Center, now: datetime) -> list[date]:
    """The center's days that should be closed by `now` and are not, oldest first, and any
    earlier day that still has active tickets (left over, e.g. by a restore)."""
    today = local_day(now, center.timezone)
    recent = {today - timedelta(days=n) for n in range(CATCH_UP_DAYS + 1)}
    leftovers = set(
        session.scalars(
            select(Ticket.day)
            .where(Ticket.center_id == center.id, Ticket.status.in_(ACTIVE), Ticket.day <= today)
            .distinct()
        ).all()
    )
    done = set(
        session.scalars(
            select(DayClosure.day).where(
                DayClosure.center_id == center.id, DayClosure.day.in_(recent)
            )
        ).all()
    )
    wanted = (recent - done) | leftovers
    return sorted(d for d in wanted if now >= close_moment(center, d))


def _claim(session: Session, center: Center, day: date, now: datetime) -> bool:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(DayClosure)
        .values(
            center_id=center.id,
            day=day,
            closed_at=now,
            tickets_expired=0,
            bookings_missed=0,
            counters_closed=0,
        )
        .on_conflict_do_nothing(index_elements=["center_id", "day"])
        .returning(DayClosure.day)
    )
    return session.execute(stmt).first() is not None


def close_day(uow: UnitOfWork, center_id: int, day: date, *, now: datetime) -> Closed | None:
    """Close the center's local `day`, and expire whatever is left active from it or before.
    Returns None when there was nothing to do (the day already closed, by this process or
    another, and nothing left active)."""
    with uow:
        session = uow.session
        center = session.get(Center, center_id)
        if center is None:
            return None
        first = _claim(session, center, day, now)
        # Counters first, in id order, as every counter action locks its counter first.
        counters = (
            session.scalars(
                select(Counter)
                .where(Counter.center_id == center.id)
                .order_by(Counter.id)
                .with_for_update()
            ).all()
            if first
            else []
        )
        stale = session.scalars(
            select(Ticket)
            .where(Ticket.center_id == center.id, Ticket.status.in_(ACTIVE), Ticket.day <= day)
            .order_by(Ticket.id)
            .with_for_update()
        ).all()
        if not first and not stale:
            return None
        for ticket in stale:
            apply(session, ticket, "expire", now=now, reason="the day closed")
            uow.record(TicketChanged(center.slug, ticket.token, "expire", ticket.id, now))
        missed = _missed_bookings(session, center, day) if first else 0
        closed = 0
        end = _midnight_after(day, ZoneInfo(center.timezone))
        for counter in counters:
            left_open = counter.state != CounterState.CLOSED
            if left_open and (counter.state_since is None or counter.state_since < end):
                counter.state = CounterState.CLOSED
                counter.state_since = now
                counter.operator_id = None
                counter.pause_reason = None
                closed += 1
                uow.record(CounterChanged(center.slug, counter.id, now))
        if first or stale:
            # The day's figures as they stand now that every ticket of it is final (and any
            # earlier day whose leftovers just expired): reports read these rows.
            session.flush()
            for rolled in sorted({day} | {t.day for t in stale}):
                rollup.write_day(session, center, rolled)
        row = session.get(DayClosure, (center.id, day))
        if row is not None:
            row.tickets_expired += len(stale)
            row.bookings_missed += missed
            row.counters_closed += closed
        return Closed(center.slug, day, len(stale), missed, closed)


def _missed_bookings(session: Session, center: Center, day: date) -> int:
    """Bookings of `day` (or before) never checked in become no-shows."""
    end = _midnight_after(day, ZoneInfo(center.timezone))
    result = session.execute(
        update(Appointment)
        .where(
            Appointment.center_id == center.id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at < end,
        )
        .values(status=AppointmentStatus.NO_SHOW)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def close_due_days(uow: UnitOfWork, *, now: datetime) -> list[Closed]:
    """Close every center's days that are due by `now` (the server's scheduled job, and the
    `close-day` command)."""
    session = uow.session
    out = []
    for center in session.scalars(select(Center).order_by(Center.id)).all():
        for day in due_days(session, center, now):
            closed = close_day(uow, center.id, day, now=now)
            if closed is not None:
                out.append(closed)
    session.commit()  # end the read transaction of the scan
    return out
