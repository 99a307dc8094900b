"""Daily rollups: a center's day of tickets and bookings as `Figures` per (service, agency
code, counter, operator), computed live from the tickets for an open day and stored in
`daily_stats` when the day closes (services/day.py), so history is read from ~one row per
key and day. The same function computes both, so a stored day and a live one agree.

`figures(session, center, first, last, now)` is what reports, the dashboard and open data
read: stored rows for closed days, live figures for the rest (today)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..domain.booking import AppointmentStatus
from ..domain.history import Figures, Visit, slot_of
from ..models import (
    Agency,
    Appointment,
    Center,
    DailyStat,
    DayClosure,
    Feedback,
    Service,
    Ticket,
)


class Key(NamedTuple):
    day: date
    service_id: int | None
    agency_code: str
    counter_id: int | None
    operator_id: int | None


def _minutes(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds() / 60


def _utc_range(center: Center, first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(center.timezone)
    start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def live(
    session: Session, center: Center, first: date, last: date, only: set[date] | None = None
) -> dict[Key, Figures]:
    """The figures of the center's local days first..last (`only` these, if given),
    computed from its tickets and bookings (one statement each)."""
    zone = ZoneInfo(center.timezone)
    out: dict[Key, Figures] = defaultdict(Figures)
    rows = session.execute(
        select(
            Ticket.day,
            Ticket.service_id,
            Agency.code,
            Ticket.counter_id,
            Ticket.operator_id,
            Ticket.status,
            Ticket.issued_at,
            Ticket.queued_at,
            Ticket.first_called_at,
            Ticket.started_at,
            Ticket.finished_at,
            Ticket.quoted_eta_minutes,
            Ticket.appointment_id,
            Appointment.starts_at,
            Service.target_wait_minutes,
            Feedback.rating,
        )
        .join(Service, Service.id == Ticket.service_id)
        .join(Agency, Agency.id == Service.agency_id)
        .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
        .outerjoin(Feedback, Feedback.ticket_id == Ticket.id)
        .where(
            Ticket.center_id == center.id,
            Ticket.day.in_(sorted(only)) if only is not None else Ticket.day.between(first, last),
        )
    ).all()
    for r in rows:
        # The wait against the target starts at issue, or at the slot for a booking checked
        # in early (it is not meant to be called before its time).
        due = max(r.queued_at, r.starts_at) if r.starts_at is not None else r.queued_at
        wait = _minutes(r.first_called_at, due)
        visit = Visit(
            status=str(r.status),
            target_minutes=r.target_wait_minutes,
            arrival_slot=slot_of(r.issued_at.astimezone(zone)),
            wait_minutes=None if wait is None else max(wait, 0.0),
            call_slot=slot_of(r.first_called_at.astimezone(zone)) if r.first_called_at else None,
            service_minutes=_minutes(r.finished_at, r.started_at) if r.status == "done" else None,
            quoted_minutes=r.quoted_eta_minutes,
            actual_wait=_minutes(r.first_called_at, r.issued_at),
            rating=r.rating,
            booked=r.appointment_id is not None,
        )
        out[Key(r.day, r.service_id, r.code, r.counter_id, r.operator_id)].add_visit(visit)
    start, end = _utc_range(center, first, last)
    bookings = session.execute(
        select(Appointment.service_id, Agency.code, Appointment.starts_at)
        .add_columns(Appointment.created_at, Appointment.status)
        .join(Service, Service.id == Appointment.service_id)
        .join(Agency, Agency.id == Service.agency_id)
        .where(
            Appointment.center_id == center.id,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
            Appointment.status != AppointmentStatus.CANCELLED,
        )
    ).all()
    for b in bookings:
        day = b.starts_at.astimezone(zone).date()
        if only is not None and day not in only:
            continue
        lead = (_minutes(b.starts_at, b.created_at) or 0.0) / 60
        out[Key(day, b.service_id, b.code, None, None)].add_appointment(
            no_show=b.status == AppointmentStatus.NO_SHOW, lead_hours=lead
        )
    return dict(out)


def write_day(session: Session, center: Center, day: date) -> int:
    """Store the center's `day` as daily_stats rows (replacing any earlier ones, so a rerun
    gives the same rows). Returns the number of rows."""
    session.execute(delete(DailyStat).where(DailyStat.center_id == center.id, DailyStat.day == day))
    rows = [
        {
            "center_id": center.id,
            "day": key.day,
            "service_id": key.service_id,
            "agency_code": key.agency_code,
            "counter_id": key.counter_id,
            "operator_id": key.operator_id,
            "figures": fig.to_json(),
        }
        for key, fig in live(session, center, day, day).items()
    ]
    if rows:
        session.execute(insert(DailyStat), rows)
    return len(rows)


def stored(session: Session, center: Center, days: Iterable[date]) -> dict[Key, Figures]:
    wanted = list(days)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            DailyStat.day,
            DailyStat.service_id,
            DailyStat.agency_code,
            DailyStat.counter_id,
            DailyStat.operator_id,
            DailyStat.figures,
        ).where(
            DailyStat.center_id == center.id,
            DailyStat.day >= min(wanted),
            DailyStat.day <= max(wanted),
        )
    ).all()
    keep = set(wanted)
    return {
        Key(r.day, r.service_id, r.agency_code, r.counter_id, r.operator_id): Figures.from_json(
            r.figures
        )
        for r in rows
        if r.day in keep
    }


def closed_days(session: Session, center: Center, first: date, last: date) -> set[date]:
    return set(
        session.scalars(
            select(DayClosure.day).where(
                DayClosure.center_id == center.id, DayClosure.day >= first, DayClosure.day <= last
            )
        ).all()
    )


def figures(session: Session, center: Center, first: date, last: date) -> dict[Key, Figures]:
    """The figures of local days first..last: closed days from their rollups, any other day
    (today, a day not closed yet) live from its tickets."""
    closed = closed_days(session, center, first, last)
    out = stored(session, center, closed)
    open_days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    open_days = [d for d in open_days if d not in closed]
    if open_days:
        # Open days are few (today, and any day the server has not closed yet): one read.
        found = live(session, center, min(open_days), max(open_days), set(open_days))
        out.update(found)
    return out


def backfill_all(session: Session, *, now: datetime) -> int:
    """backfill() for every center, up to each one's today. Returns the days written."""
    done = 0
    for center in session.scalars(select(Center).order_by(Center.id)).all():
        done += backfill(session, center, before=now.astimezone(ZoneInfo(center.timezone)).date())
    return done


def backfill(session: Session, center: Center, *, before: date) -> int:
    """Write the rollups of every closed day of the center before `before` (the history
    kept from before rollups existed). Returns the number of days written."""
    days = session.scalars(
        select(DayClosure.day)
        .where(DayClosure.center_id == center.id, DayClosure.day < before)
        .order_by(DayClosure.day)
    ).all()
    for day in days:
        write_day(session, center, day)
    return len(days)
