"""Read side of the queue: waiting counts, positions and ETAs (recomputed on every read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from ..domain.eta import ALPHA, eta_minutes
from ..domain.numbering import local_day
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


def service_minutes(service: Service, center: Center, now: datetime) -> float:
    """Today's smoothed service minutes of `service`, or its planned minutes before its first
    finished visit of the day."""
    today = local_day(now, center.timezone)
    if service.smoothed_on == today and service.smoothed_minutes is not None:
        return float(service.smoothed_minutes)
    return float(service.planned_minutes)


def record_service_time(
    session: Session, service_id: int, minutes: float, center: Center, now: datetime
) -> None:
    """Fold one finished visit into the service's smoothed minutes (domain.eta.smoothing_step,
    written in SQL so that it is one atomic UPDATE: two counters finishing at once both count;
    a new local day starts from the planned minutes)."""
    today = local_day(now, center.timezone)
    previous = case(
        (
            and_(Service.smoothed_on == today, Service.smoothed_minutes.is_not(None)),
            Service.smoothed_minutes,
        ),
        else_=Service.planned_minutes,
    )
    session.execute(
        update(Service)
        .where(Service.id == service_id)
        .values(smoothed_minutes=ALPHA * minutes + (1 - ALPHA) * previous, smoothed_on=today)
        .execution_options(synchronize_session=False)
    )


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
    out = {}
    for service in center.services:
        minutes = service_minutes(service, center, now)
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
    minutes = service_minutes(service, service.center, now)
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
