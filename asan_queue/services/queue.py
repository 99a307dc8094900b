"""The read side of the queue: a center's state of today, loaded into the domain's queue
model (domain.queue), which alone orders tickets and computes positions and ETAs; and the
service-time figures that model needs, folded in at every finished visit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, Row, and_, bindparam, func, null, select, union_all
from sqlalchemy.orm import Session

from ..domain.eta import default_spread, learning_rate, smoothing_step, spread_step
from ..domain.expected import HORIZON_MINUTES, BookingRow, expected_arrivals, priority_since
from ..domain.numbering import local_day
from ..domain.policy import Waiting, get_policy
from ..domain.queue import CounterView, Expected, Hall, QueueModel, ServiceTimes
from ..domain.statuses import AT_COUNTER, TicketStatus
from ..models import Appointment, Center, Counter, Service, Ticket, counter_services
from .hours import hours_today


def day_start_utc(center: Center, now: datetime) -> datetime:
    """The instant the center's current local day began (numbers and stats reset there)."""
    local = now.astimezone(ZoneInfo(center.timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def today(center: Center, now: datetime) -> date:
    return local_day(now, center.timezone)


class ServiceFigures(Protocol):
    """What the ETA needs of a service: a Service, or a plain row of these columns."""

    id: int
    target_wait_minutes: int
    planned_minutes: int
    smoothed_minutes: float | None
    smoothed_spread: float | None
    smoothed_on: date | None


def service_times(service: ServiceFigures, center: Center, now: datetime) -> ServiceTimes:
    """Today's smoothed minutes and spread of `service`, or its plan before its first
    finished visit of the day."""
    minutes, spread = float(service.planned_minutes), default_spread(service.planned_minutes)
    if service.smoothed_on == today(center, now) and service.smoothed_minutes is not None:
        minutes = float(service.smoothed_minutes)
        if service.smoothed_spread is not None:
            spread = float(service.smoothed_spread)
    return ServiceTimes(service.id, service.target_wait_minutes, minutes, spread)


def record_service_time(
    session: Session, service_id: int, minutes: float, center: Center, now: datetime
) -> None:
    """Fold one finished visit into the service's smoothed minutes and spread (domain.eta),
    weighted by how many visits of the day came before it.
    The row is locked first, so two counters finishing at once both count; a new local day
    starts again from the plan."""
    service = session.get(Service, service_id, with_for_update=True, populate_existing=True)
    if service is None:
        return
    current = service_times(service, center, now)
    same_day = service.smoothed_on == today(center, now)
    visits = (service.smoothed_visits or 0) if same_day else 0
    rate = learning_rate(visits)
    service.smoothed_spread = spread_step(current.spread, current.minutes, minutes, rate)
    service.smoothed_minutes = smoothing_step(current.minutes, minutes, rate)
    service.smoothed_visits = visits + 1
    service.smoothed_on = today(center, now)


def opening_periods(center: Center, now: datetime) -> list[tuple[datetime, datetime]]:
    """Today's opening periods of the center as aware instants."""
    zone = ZoneInfo(center.timezone)
    day = today(center, now)
    return [
        (datetime.combine(day, opens, tzinfo=zone), datetime.combine(day, closes, tzinfo=zone))
        for opens, closes in hours_today(center, now).periods
    ]


# The statements of every queue read, built once: constructing a select costs more than
# running it on a small table, and every change of a center's queue runs these three.
_WAITING = (
    select(
        Ticket.id,
        Ticket.number,
        Ticket.service_id,
        Ticket.queued_at,
        Service.target_wait_minutes,
        Ticket.priority,
        Appointment.starts_at,
        Ticket.target_counter_id,
        Ticket.call_first,
    )
    .join(Service, Service.id == Ticket.service_id)
    .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
    .where(
        Ticket.center_id == bindparam("center_id"),
        Ticket.day == bindparam("day"),
        Ticket.status == TicketStatus.WAITING,
    )
)
# Each counter once per service it serves, with the visit at it (if any) on every row.
_COUNTERS = (
    select(
        Counter.id,
        Counter.number,
        Counter.state,
        Counter.state_since,
        Counter.today_service_ids,
        Counter.today_on,
        Counter.break_rota,
        counter_services.c.service_id,
        Ticket.service_id.label("busy_service_id"),
        Ticket.status,
        Ticket.called_at,
        Ticket.started_at,
    )
    .outerjoin(counter_services, counter_services.c.counter_id == Counter.id)
    .outerjoin(
        Ticket,
        and_(
            Ticket.center_id == Counter.center_id,
            Ticket.day == bindparam("day"),
            Ticket.status.in_(sorted(AT_COUNTER)),
            Ticket.counter_id == Counter.id,
        ),
    )
    .where(Counter.center_id == bindparam("center_id"))
    .order_by(Counter.number)
)
_SERVICES = select(
    Service.id,
    Service.target_wait_minutes,
    Service.planned_minutes,
    Service.smoothed_minutes,
    Service.smoothed_spread,
    Service.smoothed_on,
).where(Service.center_id == bindparam("center_id"))


# What the projection expects in the coming hour, in one statement: today's bookings of the
# center up to the ETA horizon (the due ones are expected arrivals, the past ones give the
# day's show rate; `count` NULL), and per service the count of today's priority tickets since
# an instant (`starts_at` NULL; ix_tickets_priority_day).
_EXPECTED: CompoundSelect[Any] = union_all(
    select(
        Appointment.service_id,
        Service.target_wait_minutes,
        Appointment.starts_at,
        Appointment.status,
        null().label("count"),
    )
    .join(Service, Service.id == Appointment.service_id)
    .where(
        Service.center_id == bindparam("center_id"),
        Appointment.starts_at >= bindparam("start"),
        Appointment.starts_at < bindparam("end"),
    ),
    select(Ticket.service_id, null(), null(), null(), func.count())
    .where(
        Ticket.center_id == bindparam("center_id"),
        Ticket.day == bindparam("day"),
        Ticket.priority.is_not(None),
        Ticket.issued_at >= bindparam("since"),
    )
    .group_by(Ticket.service_id),
)


def expected_of(
    session: Session,
    center: Center,
    now: datetime,
    periods: list[tuple[datetime, datetime]],
    targets: dict[int, int],
) -> list[Expected]:
    """The arrivals the projection expects in the coming hour (domain.expected)."""
    opened = periods[0][0] if periods else None
    params = {
        "center_id": center.id,
        "start": day_start_utc(center, now),
        "end": now + timedelta(minutes=HORIZON_MINUTES),
        "day": today(center, now),
        "since": priority_since(now, opened),
    }
    bookings: list[BookingRow] = []
    counts: dict[int, int] = {}
    for service_id, target, starts_at, status, count in session.connection().execute(
        _EXPECTED, params
    ):
        if starts_at is None:
            counts[service_id] = int(count)
        else:
            bookings.append(BookingRow(service_id, target, starts_at, str(status)))
    return expected_arrivals(
        bookings,
        counts,
        targets,
        now=now,
        opened_at=opened,
        checkin_after_minutes=center.checkin_after_minutes,
    )


def waiting_of(session: Session, center: Center, now: datetime) -> list[Waiting]:
    """The center's waiting tickets of today, as the policy sees them (plain rows through
    Core: the ORM would cost about three times as much per row, on every change)."""
    rows = session.connection().execute(
        _WAITING, {"center_id": center.id, "day": today(center, now)}
    )
    return [Waiting(*row[:7], counter_id=row[7], first=bool(row[8])) for row in rows]


def counter_views(session: Session, center: Center, now: datetime) -> list[CounterView]:
    """The center's counters with the services each serves and its visit in progress (one
    statement)."""
    rows = session.connection().execute(
        _COUNTERS, {"center_id": center.id, "day": today(center, now)}
    )
    served: dict[int, set[int]] = {}
    first: dict[int, Row[Any]] = {}
    for row in rows:
        served.setdefault(row.id, set())
        if row.service_id is not None:
            served[row.id].add(row.service_id)
        first.setdefault(row.id, row)
    return [
        counter_view(
            c,
            served[c.id],
            Visit(c.busy_service_id, str(c.status), c.called_at, c.started_at)
            if c.busy_service_id is not None
            else None,
            center,
            now,
        )
        for c in first.values()
    ]


class CounterFields(Protocol):
    """What a counter's view needs of it: a Counter, or a row of these columns."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def state_since(self) -> datetime | None: ...
    @property
    def today_service_ids(self) -> list[int] | None: ...
    @property
    def today_on(self) -> date | None: ...
    @property
    def break_rota(self) -> Any: ...


class Visit(NamedTuple):
    """The visit at a counter, as its view needs it."""

    service_id: int
    status: str
    called_at: datetime | None
    started_at: datetime | None


def counter_view(
    counter: CounterFields, served: set[int], visit: Visit | None, center: Center, now: datetime
) -> CounterView:
    """One counter as the queue model sees it: the services it serves today (a
    supervisor's choice for today over its own), its state and the visit at it."""
    if counter.today_on == today(center, now) and counter.today_service_ids is not None:
        served = set(counter.today_service_ids)
    started = visit is not None and visit.status == TicketStatus.SERVING
    return CounterView(
        counter_id=counter.id,
        number=counter.number,
        state=str(counter.state),
        service_ids=frozenset(served),
        busy_service_id=visit.service_id if visit is not None else None,
        busy_since=(
            (visit.started_at if started else visit.called_at) if visit is not None else None
        ),
        busy_started=started,
        state_since=counter.state_since,
        breaks=planned_breaks(counter.break_rota, center, now),
    )


def planned_breaks(
    rota: list[dict[str, Any]] | None, center: Center, now: datetime
) -> tuple[tuple[datetime, float], ...]:
    """A counter's rota as today's (due at, minutes), in order; entries that do not parse
    are skipped (the rota is advisory: a wrong one only costs ETA accuracy)."""
    if not rota:
        return ()
    zone = ZoneInfo(center.timezone)
    the_day = today(center, now)
    out = []
    for item in rota:
        try:
            at = time.fromisoformat(str(item["at"]))
            minutes = float(item["minutes"])
        except (KeyError, TypeError, ValueError):
            continue
        if minutes > 0:
            out.append((datetime.combine(the_day, at, tzinfo=zone).astimezone(UTC), minutes))
    return tuple(sorted(out))


def call_order(session: Session, center: Center, now: datetime) -> QueueModel:
    """The center's queue of today at `now` for ordering only (call-next): the waiting
    tickets and the counters, without what only the ETA needs (service times, hours,
    expected arrivals): five statements fewer on every call. Its ETAs are refused."""
    hall = Hall(
        policy=center.call_policy,
        waiting=waiting_of(session, center, now),
        counters=counter_views(session, center, now),
        times={},
        etas=False,
    )
    return QueueModel(hall, now)


# The id a ticket about to be inserted has in the model built for it (see `joining`): above
# every real id, as its own will be, so it ranks as the newest whatever the policy.
JOINING_ID = 2**62


def queue_model(
    session: Session,
    center: Center,
    now: datetime,
    *,
    joining: Waiting | None = None,
    counters: list[CounterView] | None = None,
) -> QueueModel:
    """The center's queue of today at `now` (see domain.queue). `joining`: a ticket not yet
    inserted, counted in as if it were (ticket_id JOINING_ID), so what it is quoted is
    stored with its insert rather than by an UPDATE after it. `counters`: the counters'
    views when the caller has read them already (a hall, services/hall.py)."""
    services = session.connection().execute(_SERVICES, {"center_id": center.id})
    times = {s.id: service_times(s, center, now) for s in services}
    periods = opening_periods(center, now)
    targets = {s: t.target_wait_minutes for s, t in times.items()}
    waiting = waiting_of(session, center, now)
    if joining is not None:
        waiting.append(joining)
    hall = Hall(
        policy=center.call_policy,
        waiting=waiting,
        counters=counter_views(session, center, now) if counters is None else counters,
        times=times,
        periods=periods,
        expected=(
            expected_of(session, center, now, periods, targets)
            if get_policy(center.call_policy).later_may_go_first
            else ()
        ),
    )
    return QueueModel(hall, now)
