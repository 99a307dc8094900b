"""Read side of the queue: waiting counts, positions and ETAs (recomputed on every read)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..domain.eta import eta_minutes, smoothed_minutes
from ..domain.statuses import CounterState, TicketStatus
from ..models import Center, Counter, Service, Ticket, counter_services


@dataclass(frozen=True)
class ServiceLoad:
    service_id: int
    waiting: int
    open_counters: int
    service_minutes: float
    eta_minutes: int


def day_start_utc(center: Center, now: datetime) -> datetime:
    """The instant the center's current local day began (numbers and stats reset there)."""
    local = now.astimezone(ZoneInfo(center.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# Exponential smoothing with alpha 0.3 gives the 20th-latest visit a weight of 0.7**20 < 0.001,
# so the last 20 finished visits per service decide the figure: bounded work all day long.
RECENT_VISITS = 20


def _recent_durations(
    session: Session, center: Center, now: datetime, service_id: int | None = None
) -> dict[int, list[float]]:
    """Service minutes of today's last finished visits per service, oldest first."""
    ranked = select(
        Ticket.service_id,
        Ticket.started_at,
        Ticket.finished_at,
        func.row_number()
        .over(partition_by=Ticket.service_id, order_by=Ticket.finished_at.desc())
        .label("rn"),
    ).where(
        Ticket.center_id == center.id,
        Ticket.status == TicketStatus.DONE,
        Ticket.finished_at >= day_start_utc(center, now),
        Ticket.started_at.is_not(None),
    )
    if service_id is not None:
        ranked = ranked.where(Ticket.service_id == service_id)
    sub = ranked.subquery()
    rows = session.execute(
        select(sub.c.service_id, sub.c.started_at, sub.c.finished_at)
        .where(sub.c.rn <= RECENT_VISITS)
        .order_by(sub.c.finished_at)
    ).all()
    out: dict[int, list[float]] = defaultdict(list)
    for sid, started, finished in rows:
        out[sid].append((finished - started) / timedelta(minutes=1))
    return out


def center_load(session: Session, center: Center, now: datetime) -> dict[int, ServiceLoad]:
    """Waiting count, open counters, smoothed service minutes and ETA per service."""
    waiting: dict[int, int] = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(Ticket.center_id == center.id, Ticket.status == TicketStatus.WAITING)
            .group_by(Ticket.service_id)
        ).all()
    )
    open_counts: dict[int, int] = dict(
        session.execute(
            select(counter_services.c.service_id, func.count())
            .join(Counter, Counter.id == counter_services.c.counter_id)
            .where(Counter.center_id == center.id, Counter.state == CounterState.OPEN)
            .group_by(counter_services.c.service_id)
        ).all()
    )
    finished = _recent_durations(session, center, now)
    out = {}
    for service in center.services:
        minutes = smoothed_minutes(service.planned_minutes, finished.get(service.id, []))
        n = waiting.get(service.id, 0)
        opened = open_counts.get(service.id, 0)
        out[service.id] = ServiceLoad(
            service.id, n, opened, minutes, eta_minutes(n, minutes, opened)
        )
    return out


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same service that will be called before this one: those who
    queued earlier, plus priority citizens when this ticket has no priority."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    ahead = or_(
        Ticket.queued_at < ticket.queued_at,
        and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id),
    )
    if not ticket.priority:
        ahead = or_(ahead, Ticket.priority.is_not(None))
    else:
        ahead = and_(ahead, Ticket.priority.is_not(None))
    return (
        session.scalar(
            select(func.count()).where(
                Ticket.center_id == ticket.center_id,
                Ticket.service_id == ticket.service_id,
                Ticket.status == TicketStatus.WAITING,
                Ticket.id != ticket.id,
                ahead,
            )
        )
        or 0
    )


def service_eta(session: Session, service: Service, ahead: int, now: datetime) -> int:
    """ETA minutes for someone with `ahead` people in front in `service`'s queue."""
    if ahead <= 0:
        return 0
    finished = _recent_durations(session, service.center, now, service.id).get(service.id, [])
    minutes = smoothed_minutes(service.planned_minutes, finished)
    opened = (
        session.scalar(
            select(func.count())
            .select_from(counter_services)
            .join(Counter, Counter.id == counter_services.c.counter_id)
            .where(counter_services.c.service_id == service.id, Counter.state == CounterState.OPEN)
        )
        or 0
    )
    return eta_minutes(ahead, minutes, opened)


def ticket_eta(session: Session, ticket: Ticket, now: datetime) -> tuple[int, int]:
    """(people ahead, ETA minutes) for a waiting ticket; (0, 0) otherwise."""
    if ticket.status != TicketStatus.WAITING:
        return 0, 0
    ahead = people_ahead(session, ticket)
    return ahead, service_eta(session, ticket.service, ahead, now)


def minutes_between(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return (b - a) / timedelta(minutes=1)
