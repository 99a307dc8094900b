"""The day simulator: a center of the catalogue, a day of citizens drawn from a seed
(domain.dayplan), and the real use cases (issue, call-next, recall, start, finish, no-show,
transfer, book, check-in, close of day) driven on a virtual clock on a temporary SQLite
database, once per call policy. Nothing is short-cut: every ticket, call and ETA quote comes
from the same code the server runs, through a unit of work with no realtime or SMS.

Two ETA estimators are compared on the same tickets: `projection`, the quote the queue
model gives at issue (stored on the ticket, printed on the receipt), and `formula`, the
vendors' "people ahead x service minutes / open counters" (a baseline computed here only).
"""

from __future__ import annotations

import heapq
import math
import tempfile
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ..domain.dayplan import Citizen, CounterSpec, DayPlan, Rates, ServiceSpec, plan_day
from ..domain.daystats import DayFigures, Sample, TicketRecord, day_figures
from ..domain.errors import Conflict, ValidationError
from ..domain.policy import POLICIES
from ..domain.statuses import Role
from ..models import Appointment, Base, Center, Counter, Service, Ticket, TicketEvent, User
from . import booking, checkin, counters, day, demo, tickets, visits
from .queue import opening_periods, service_times
from .uow import MessageBus, UnitOfWork

DEFAULT_DAY = date(2026, 12, 1)  # a Tuesday without a holiday
ESTIMATORS = ("projection", "formula")
SAMPLE_MINUTES = 5
PUBLIC_BASE = "http://simulator.invalid"


@dataclass(frozen=True)
class SimulationRequest:
    center: str = "baku-1"
    seed: int = 1
    hours: float | None = None  # arrivals for this many hours after opening (None: all day)
    policies: tuple[str, ...] = ()  # () = every registered policy
    day: date = DEFAULT_DAY
    rates: Rates = field(default_factory=Rates)


@dataclass(frozen=True)
class PolicyRun:
    policy: str
    figures: DayFigures
    records: list[TicketRecord]
    samples: list[Sample]
    refused: int  # walk-ins refused (closed, no more tickets today)
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class Simulation:
    request: SimulationRequest
    periods: list[tuple[datetime, datetime]]
    walk_ins: int
    bookings: int
    runs: list[PolicyRun]
    plan: DayPlan  # the citizens and counters every policy saw (for error breakdowns)
    counter_services: dict[int, tuple[str, ...]]  # counter number -> service codes


def check_request(request: SimulationRequest) -> tuple[str, ...]:
    """The policies to run. Raises ValidationError (unknown_center, unknown_policy,
    invalid_simulation_hours)."""
    if request.center not in demo.catalog_centers():
        raise ValidationError(
            f"the catalogue has no center {request.center!r}",
            code="unknown_center",
            details={"center": request.center, "known": ", ".join(demo.catalog_centers())},
        )
    unknown = [p for p in request.policies if p not in POLICIES]
    if unknown:
        raise ValidationError(
            f"unknown policy {unknown[0]!r}; known: {', '.join(POLICIES)}",
            code="unknown_policy",
            details={"policy": unknown[0], "known": ", ".join(POLICIES)},
        )
    if request.hours is not None and not 0 < request.hours <= 24:
        raise ValidationError(
            "hours must be more than 0 and at most 24", code="invalid_simulation_hours", details={}
        )
    return tuple(dict.fromkeys(request.policies)) or tuple(POLICIES)


def simulate(request: SimulationRequest) -> Simulation:
    """Run the simulated day once per policy, each on a fresh temporary database with the
    same citizens. Raises ValidationError for a bad request or a day the center is closed."""
    policies = check_request(request)
    runs: list[PolicyRun] = []
    plan: DayPlan | None = None
    periods: list[tuple[datetime, datetime]] = []
    served: dict[int, tuple[str, ...]] = {}
    with tempfile.TemporaryDirectory(prefix="asan-sim-") as folder:
        for n, policy in enumerate(policies):
            with _database(Path(folder) / f"day-{n}.db") as session:
                world = _World.build(session, request)
                if plan is None:
                    periods = world.periods
                    plan = world.plan_day(request)
                    served = {
                        c.number: tuple(s.code for s in c.services) for c in world.center.counters
                    }
                runs.append(_DayRun(world, plan, policy, request).run())
    assert plan is not None
    return Simulation(request, periods, len(plan.walk_ins), len(plan.bookings), runs, plan, served)


class _database:
    """A throw-away SQLite database with the schema, on one connection (nothing to share it
    with) and without fsync: durability is no concern of a simulated day."""

    def __init__(self, path: Path) -> None:
        self.engine = create_engine(
            f"sqlite:///{path}",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )

    def __enter__(self) -> Session:
        raw = self.engine.raw_connection()  # the one connection, outside any transaction
        raw.cursor().execute("PRAGMA synchronous=OFF")
        raw.close()
        Base.metadata.create_all(self.engine)
        self.session = Session(self.engine)
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()
        self.engine.dispose()


@dataclass
class _World:
    session: Session
    center: Center
    operators: dict[int, User]  # counter number -> its operator
    periods: list[tuple[datetime, datetime]]

    @classmethod
    def build(cls, session: Session, request: SimulationRequest) -> _World:
        uow = UnitOfWork(session, MessageBus())
        with uow:
            day_before = datetime.combine(request.day - timedelta(days=1), time(12), tzinfo=UTC)
            center = demo.add_center(uow, request.center, now=day_before)
            session.flush()
            operators = {}
            for counter in center.counters:
                user = User(
                    username=f"sim-operator-{counter.number}",
                    role=Role.OPERATOR,
                    center_id=center.id,
                    password_hash="!",  # noqa: S106 - no password: nobody logs in here
                    full_name=f"Operator {counter.number}",
                )
                session.add(user)
                operators[counter.number] = user
        noon = datetime.combine(request.day, time(12), tzinfo=ZoneInfo(center.timezone))
        periods = opening_periods(center, noon)
        if not periods:
            raise ValidationError(
                f"{request.center} is closed on {request.day.isoformat()}",
                code="simulation_day_closed",
                details={"day": request.day.isoformat()},
            )
        return cls(session, center, operators, periods)

    def plan_day(self, request: SimulationRequest) -> DayPlan:
        services = [
            ServiceSpec(
                s.code,
                s.agency.code,
                float(s.planned_minutes),
                float(s.target_wait_minutes),
                s.walk_in,
                s.bookable,
            )
            for s in self.center.services
        ]
        specs = [
            CounterSpec(c.number, tuple(s.code for s in c.services)) for c in self.center.counters
        ]
        until = None
        if request.hours is not None:
            until = self.periods[0][0] + timedelta(hours=request.hours)
        return plan_day(
            services, specs, self.periods, seed=request.seed, until=until, rates=request.rates
        )


@dataclass
class _Desk:
    number: int
    counter_id: int
    user: User
    services: frozenset[str]
    breaks: list[tuple[datetime, float]]
    state: str = "closed"  # closed | idle | busy | break
    ticket_id: int | None = None
    busy_since: datetime | None = None
    open_since: datetime | None = None
    busy_minutes: float = 0.0
    open_minutes: float = 0.0


def _minutes(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 60


class _DayRun:
    """One policy's day: an event loop on a virtual clock that calls the use cases."""

    def __init__(self, world: _World, plan: DayPlan, policy: str, request: SimulationRequest):
        self.world, self.plan, self.policy = world, plan, policy
        self.session = world.session
        self.uow = UnitOfWork(self.session, MessageBus())
        self.slug = world.center.slug
        self.center_id = world.center.id
        self.heap: list[tuple[datetime, int, str, int]] = []
        self.seq = 0
        self.desks = {
            c.number: _Desk(
                c.number,
                c.id,
                world.operators[c.number],
                frozenset(s.code for s in c.services),
                [],
            )
            for c in world.center.counters
        }
        self.service_ids = {s.code: s.id for s in world.center.services}
        self.owner: dict[int, tuple[Citizen, int]] = {}  # ticket id -> (citizen, visit no.)
        self.formula: dict[int, float | None] = {}
        self.codes: dict[int, str] = {}  # booking index -> booking code
        self.slots: dict[int, datetime] = {}  # booking index -> booked slot start
        self.waiting: dict[str, int] = defaultdict(int)
        self.samples: list[Sample] = []
        self.next_sample = world.periods[0][0]
        self.pending = 0  # arrivals not yet in the hall
        self.closes_at = world.periods[-1][1]
        self.refused = 0

    # ---- the loop ------------------------------------------------------------------------

    def push(self, at: datetime, kind: str, ref: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (at, self.seq, kind, ref))

    def run(self) -> PolicyRun:
        cpu, wall = clock.process_time(), clock.perf_counter()
        with self.uow:
            center = self.session.get(Center, self.center_id)
            assert center is not None
            center.call_policy = self.policy
            # The hall's break rota is known in advance: each operator's breaks of the day.
            zone = ZoneInfo(center.timezone)
            for plan in self.plan.counters:
                counter = self.session.get(Counter, self.desks[plan.number].counter_id)
                assert counter is not None
                counter.break_rota = [
                    {"at": due.astimezone(zone).time().isoformat("seconds"), "minutes": m}
                    for due, m in plan.breaks
                ]
        self._book()
        for citizen in self.plan.walk_ins:
            self.push(citizen.arrives_at, "arrive", citizen.index)
            self.pending += 1
        for plan in self.plan.counters:
            desk = self.desks[plan.number]
            desk.breaks = list(plan.breaks)
            self.push(plan.opens_at, "open", plan.number)
            for due, _ in plan.breaks:
                self.push(due, "break", plan.number)
        handlers = {
            "arrive": self._arrive,
            "checkin": self._check_in,
            "open": self._open,
            "break": self._break_due,
            "resume": self._resume,
            "show": self._show,
            "end": self._end,
            "recall": self._recall,
            "free": self._free,
            "wake": self._wake_slot,
            "closing": self._closing,
        }
        self.push(self.closes_at, "closing")
        now = self.world.periods[0][0]
        while self.heap:
            now, _, kind, ref = heapq.heappop(self.heap)
            self._sample(now)
            handlers[kind](now, ref)
        end = now
        self._close_all(now)
        day.close_day(self.uow, self.center_id, self.world.periods[0][0].date(), now=end)
        self._sample(end, final=True)
        records = self._records()
        figures = day_figures(
            records,
            end=end,
            busy_minutes=sum(d.busy_minutes for d in self.desks.values()),
            open_minutes=sum(d.open_minutes for d in self.desks.values()),
            estimators=ESTIMATORS,
        )
        return PolicyRun(
            self.policy,
            figures,
            records,
            self.samples,
            self.refused,
            clock.process_time() - cpu,
            clock.perf_counter() - wall,
        )

    def _sample(self, now: datetime, *, final: bool = False) -> None:
        while self.next_sample <= now:
            self.samples.append(Sample(self.next_sample, dict(self.waiting)))
            self.next_sample += timedelta(minutes=SAMPLE_MINUTES)
        if final:
            self.samples.append(Sample(now, dict(self.waiting)))

    # ---- bookings, made the day before ---------------------------------------------------

    def _book(self) -> None:
        zone = ZoneInfo(self.world.center.timezone)
        the_day = self.world.periods[0][0].astimezone(zone).date()
        before = datetime.combine(the_day - timedelta(days=1), time(12), tzinfo=zone)
        for citizen in self.plan.bookings:
            assert citizen.slot is not None
            start = self._free_slot(citizen.service, citizen.slot, the_day, before)
            if start is None:
                continue  # fully booked: this citizen comes another day
            appointment = booking.book(
                self.uow,
                booking.BookingRequest(
                    center=self.slug,
                    service=citizen.service,
                    start=start,
                    name=f"Citizen {citizen.index}",
                ),
                now=before,
                public_base=PUBLIC_BASE,
                reminder_before=timedelta(hours=2),
            )
            self.codes[citizen.index] = appointment.code
            self.slots[citizen.index] = start
            self.push(start, "wake", self.service_ids[citizen.service])
            if citizen.shows:
                self.push(start + (citizen.arrives_at - citizen.slot), "checkin", citizen.index)
                self.pending += 1

    def _free_slot(
        self, code: str, wish: datetime, the_day: date, now: datetime
    ) -> datetime | None:
        center = self.world.center
        service = next(s for s in center.services if s.code == code)
        free = [
            f.slot
            for f in booking.free_slots(self.session, center, service, the_day, now=now)
            if f.seats_left > 0
        ]
        if not free:
            return None
        best = min(free, key=lambda s: (abs(_minutes(s.starts_at, wish)), s.starts_at))
        return best.starts_at

    # ---- citizens ------------------------------------------------------------------------

    def _arrive(self, now: datetime, index: int) -> None:
        self.pending -= 1
        citizen = self.plan.walk_ins[index]
        try:
            issued = tickets.issue_ticket(
                self.uow,
                self.slug,
                tickets.IssueRequest(service=citizen.service, priority=citizen.priority),
                now=now,
            )
        except Conflict:
            self.refused += 1  # closed, or no more tickets today: the citizen goes home
            return
        self._queued(issued.ticket, citizen, now)

    def _check_in(self, now: datetime, index: int) -> None:
        self.pending -= 1
        citizen = self.plan.bookings[index - len(self.plan.walk_ins)]
        ticket = checkin.check_in(self.uow, self.slug, self.codes[citizen.index], now=now)
        self._queued(ticket, citizen, now)

    def _queued(self, ticket: Ticket, citizen: Citizen, now: datetime) -> None:
        self.owner[ticket.id] = (citizen, 1)
        self.formula[ticket.id] = self._formula(ticket, now)
        self.waiting[citizen.service] += 1
        self._wake(citizen.service, now)

    def _formula(self, ticket: Ticket, now: datetime) -> float | None:
        """The baseline: people ahead x smoothed service minutes / open counters, rounded up,
        0 with nobody ahead; no figure with no counter open (as the model gives none)."""
        service = self.session.get(Service, ticket.service_id)
        assert service is not None
        code = service.code
        open_desks = sum(
            1 for d in self.desks.values() if d.state in ("idle", "busy") and code in d.services
        )
        if not open_desks:
            return None
        ahead = ticket.issued_ahead or 0
        if ahead <= 0:
            return 0.0
        minutes = service_times(service, self.world.center, now).minutes
        return float(math.ceil(ahead * minutes / open_desks))

    # ---- counters ------------------------------------------------------------------------

    def _wake(self, code: str, now: datetime) -> None:
        """Idle counters serving `code` call, in number order, until one gets a ticket."""
        for desk in self.desks.values():
            if desk.state == "idle" and code in desk.services and self._call(desk, now):
                return

    def _wake_slot(self, now: datetime, service_id: int) -> None:
        code = next(c for c, i in self.service_ids.items() if i == service_id)
        if self.waiting[code]:
            self._wake(code, now)

    def _open(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        counters.open_counter(self.uow, desk.counter_id, desk.user, now=now)
        desk.state, desk.open_since = "idle", now
        self._call(desk, now)

    def _break_due(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        if desk.state == "idle":
            self._take_break(desk, now)

    def _take_break(self, desk: _Desk, now: datetime) -> bool:
        if not desk.breaks or desk.breaks[0][0] > now:
            return False
        _, minutes = desk.breaks.pop(0)
        counters.pause_counter(self.uow, desk.counter_id, desk.user, reason="break", now=now)
        self._stop_open(desk, now)
        desk.state = "break"
        self.push(now + timedelta(minutes=minutes), "resume", desk.number)
        return True

    def _resume(self, now: datetime, number: int) -> None:
        self._open(now, number)

    def _stop_open(self, desk: _Desk, now: datetime) -> None:
        if desk.open_since is not None:
            desk.open_minutes += _minutes(desk.open_since, now)
            desk.open_since = None

    def _call(self, desk: _Desk, now: datetime) -> bool:
        call = counters.call_next(self.uow, desk.counter_id, desk.user, now=now)
        if call is None:
            desk.state = "idle"
            if now >= self.closes_at and not self.pending:
                self._go_home(desk, now)
            return False
        ticket_id = call.ticket.id
        citizen, visit_no = self.owner[ticket_id]
        code = citizen.service if visit_no == 1 else (citizen.transfer_to or citizen.service)
        self.waiting[code] -= 1
        desk.state, desk.ticket_id, desk.busy_since = "busy", ticket_id, now
        if visit_no == 1 and not citizen.shows:
            self.push(now + timedelta(minutes=1), "recall", desk.number)
            return True
        visit = citizen.visit if visit_no == 1 else citizen.second_visit
        assert visit is not None
        self.push(now + timedelta(minutes=visit.walk_minutes), "show", desk.number)
        return True

    def _show(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        assert desk.ticket_id is not None
        counters.start(self.uow, desk.counter_id, desk.user, now=now)
        citizen, visit_no = self.owner[desk.ticket_id]
        visit = citizen.visit if visit_no == 1 else citizen.second_visit
        assert visit is not None
        self.push(now + timedelta(minutes=visit.minutes), "end", number)

    def _end(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        assert desk.ticket_id is not None
        citizen, visit_no = self.owner[desk.ticket_id]
        if visit_no == 1 and citizen.transfer_to is not None:
            visits.transfer(
                self.uow,
                desk.counter_id,
                desk.user,
                service_code=citizen.transfer_to,
                counter_number=None,
                first=citizen.transfer_first,
                back=False,
                now=now,
            )
            self.owner[desk.ticket_id] = (citizen, 2)
            self.waiting[citizen.transfer_to] += 1
        else:
            counters.finish(self.uow, desk.counter_id, desk.user, now=now)
        visit = citizen.visit if visit_no == 1 else citizen.second_visit
        gap = visit.gap_minutes if visit is not None else 0.0
        self._visit_over(desk, now)
        self.push(now + timedelta(minutes=gap), "free", number)
        if visit_no == 1 and citizen.transfer_to is not None:
            self._wake(citizen.transfer_to, now)
            self._reopen_for(citizen.transfer_to, now)

    def _reopen_for(self, code: str, now: datetime) -> None:
        """After closing, a transfer to a service whose counters all went home brings one
        back (the citizen is served before the hall shuts)."""
        serving = [d for d in self.desks.values() if code in d.services]
        if serving and all(d.state == "closed" for d in serving):
            self._open(now, serving[0].number)

    def _recall(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        ticket = counters.recall(self.uow, desk.counter_id, desk.user, now=now)
        if ticket.status == "no_show":
            self._visit_over(desk, now)
            self.push(now, "free", number)
        else:
            self.push(now + timedelta(minutes=1), "recall", number)

    def _visit_over(self, desk: _Desk, now: datetime) -> None:
        assert desk.busy_since is not None
        desk.busy_minutes += _minutes(desk.busy_since, now)
        desk.ticket_id, desk.busy_since, desk.state = None, None, "idle"

    def _free(self, now: datetime, number: int) -> None:
        desk = self.desks[number]
        if desk.state != "idle":
            return
        if not self._take_break(desk, now):
            self._call(desk, now)

    def _closing(self, now: datetime, _: int) -> None:
        """Closing time: a counter with nobody left to call closes (its open time ends, so
        the utilisation counts the day, not the wait for the hall's last visit)."""
        if not self.pending:
            for desk in self.desks.values():
                if desk.state == "idle":
                    self._go_home(desk, now)

    def _go_home(self, desk: _Desk, now: datetime) -> None:
        counters.close_counter(self.uow, desk.counter_id, desk.user, now=now)
        self._stop_open(desk, now)
        desk.state = "closed"

    def _close_all(self, now: datetime) -> None:
        """The day's last visit is over: every counter closes (its open time ends here)."""
        for desk in self.desks.values():
            if desk.state != "closed":
                counters.close_counter(self.uow, desk.counter_id, desk.user, now=now)
            self._stop_open(desk, now)
            desk.state = "closed"

    # ---- what happened -------------------------------------------------------------------

    def _records(self) -> list[TicketRecord]:
        counts: dict[tuple[int, str], int] = {
            (ticket_id, operation): n
            for ticket_id, operation, n in self.session.execute(
                select(TicketEvent.ticket_id, TicketEvent.operation, func.count())
                .where(TicketEvent.operation.in_(("call", "transfer")))
                .group_by(TicketEvent.ticket_id, TicketEvent.operation)
            )
        }
        rows = self.session.execute(
            select(
                Ticket.id,
                Ticket.priority,
                Ticket.issued_at,
                Ticket.first_called_at,
                Ticket.status,
                Ticket.quoted_eta_minutes,
                Appointment.starts_at,
            )
            .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
            .where(Ticket.center_id == self.center_id)
            .order_by(Ticket.id)
        ).all()
        self.session.commit()
        targets = {s.code: s.target_wait_minutes for s in self.world.center.services}
        out = []
        for row in rows:
            citizen, _ = self.owner[row.id]
            due = max(row.issued_at, row.starts_at) if row.starts_at else row.issued_at
            out.append(
                TicketRecord(
                    service=citizen.service,
                    target_wait_minutes=float(targets[citizen.service]),
                    priority=row.priority is not None,
                    booked=row.starts_at is not None,
                    issued_at=row.issued_at,
                    due_at=due,
                    first_called_at=row.first_called_at,
                    status=str(row.status),
                    quotes={
                        "projection": row.quoted_eta_minutes,
                        "formula": self.formula.get(row.id),
                    },
                    calls=counts.get((row.id, "call"), 0),
                    transfers=counts.get((row.id, "transfer"), 0),
                )
            )
        return out
