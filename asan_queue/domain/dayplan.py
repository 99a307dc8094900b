"""A simulated day of a center, drawn in advance from a seed: who comes when and for what,
how long each visit takes, who never turns up, which counters open late and when each
operator takes a break. Pure and deterministic: the same seed gives the same day, so every
call policy is measured on exactly the same citizens (common random numbers).

- Walk-ins arrive as a non-homogeneous Poisson process per service (a morning peak around
  its own hour, a smaller one after lunch), drawn by thinning; their volume is set so that
  the counters of each agency are busy about `load` of their open time.
- Visits last a log-normal time (skewed: a few take far longer) whose mean is the service's
  planned minutes times a per-service factor the center does not know in advance (its
  running figures must learn it).
- About 10% of walk-ins are priority citizens; some walk-ins leave before they are called
  (no-shows); a few visits end in a transfer to another service of the same agency.
- Bookings are spread over the bookable services' slots; 29% never come; the others arrive
  around their slot and check in at the kiosk.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

PRIORITY_REASONS = ("disability", "elderly", "veteran", "pregnancy")
# The share of a counter's time that goes to an agency it only backs up.
BACKUP_SHARE = 0.25


@dataclass(frozen=True)
class Rates:
    """The knobs of a simulated day (defaults: a busy, realistic ASAN weekday)."""

    # The arrival volume: counters' busy share of their open time it aims at. Measured on
    # baku-1 (flask simulate, seeds 1-5) 0.9 gives about 85% utilisation and 1,500 tickets:
    # the peaks leave counters idle in the quiet hours that the late queue cannot use.
    load: float = 0.9
    priority_share: float = 0.10
    walk_in_no_show: float = 0.05  # took a ticket and left before being called
    booking_share: float = 0.12  # of a bookable service's visits, booked online
    booking_no_show: float = 0.29
    transfer_share: float = 0.03
    spread: float = 0.45  # sigma of the log-normal visit time
    late_openings: float = 0.15  # share of counters that open 5-30 minutes late
    short_breaks: float = 0.3  # share of counters that take a 10-minute break in the morning
    lunch_minutes: float = 30.0  # each operator's lunch break, if the center has no lunch hour


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    agency: str
    planned_minutes: float
    target_wait_minutes: float
    walk_in: bool
    bookable: bool


@dataclass(frozen=True)
class CounterSpec:
    number: int
    services: tuple[str, ...]  # codes; the first belongs to the counter's own agency


@dataclass(frozen=True)
class Visit:
    minutes: float  # at the counter, from start to finish
    walk_minutes: float  # from the call to the counter
    gap_minutes: float  # the operator's pause before calling the next ticket


@dataclass(frozen=True)
class Citizen:
    """A walk-in (or, with `slot`, a booked citizen checking in)."""

    index: int
    service: str
    arrives_at: datetime
    visit: Visit
    priority: str | None = None
    shows: bool = True  # False: gone when called (the operator recalls, then marks no-show)
    transfer_to: str | None = None  # the first visit ends in a transfer to this service
    transfer_first: bool = False
    second_visit: Visit | None = None
    slot: datetime | None = None  # a booking: the slot's start (arrives_at is the check-in)


@dataclass(frozen=True)
class CounterPlan:
    number: int
    opens_at: datetime
    breaks: tuple[tuple[datetime, float], ...] = ()  # (due at, minutes), in order


@dataclass(frozen=True)
class DayPlan:
    walk_ins: tuple[Citizen, ...]
    bookings: tuple[Citizen, ...]  # every booking, including those who never come
    counters: tuple[CounterPlan, ...]
    true_minutes: dict[str, float] = field(default_factory=dict)  # mean visit per service


def _peak_shape(hour: float, peak: float) -> float:
    """Relative arrival rate at `hour` hours after opening (morning peak at `peak`)."""
    morning = math.exp(-(((hour - peak) / 1.5) ** 2))
    return 0.7 + 0.6 * morning + 0.25 * math.exp(-((hour - 5.2) ** 2))


def _visit(rng: random.Random, mean: float, spread: float) -> Visit:
    mu = math.log(mean) - spread**2 / 2  # a log-normal with this mean
    minutes = min(rng.lognormvariate(mu, spread), 4 * mean)
    return Visit(minutes, rng.uniform(0.3, 1.7), rng.uniform(0.0, 0.4))


def _open_minutes(periods: Sequence[tuple[datetime, datetime]]) -> float:
    return sum((b - a).total_seconds() / 60 for a, b in periods)


def _is_open(at: datetime, periods: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(a <= at < b for a, b in periods)


def _arrivals(
    rng: random.Random,
    expected: float,
    periods: Sequence[tuple[datetime, datetime]],
    until: datetime,
) -> list[datetime]:
    """Arrival instants with `expected` arrivals over the open periods of the whole day (the
    part after `until` is cut off), by thinning a Poisson process at the peak rate."""
    start = periods[0][0]
    end = min(periods[-1][1], until)
    peak = rng.uniform(1.0, 2.5)
    step = 5.0
    total_shape = 0.0
    t = start
    while t < periods[-1][1]:
        if _is_open(t, periods):
            total_shape += _peak_shape((t - start).total_seconds() / 3600, peak) * step
        t += timedelta(minutes=step)
    if total_shape <= 0 or expected <= 0:
        return []
    top = 1.6 * expected / total_shape  # per minute, above every value of the shape
    out: list[datetime] = []
    t = start
    while True:
        t += timedelta(minutes=rng.expovariate(top))
        if t >= end:
            return out
        rate = _peak_shape((t - start).total_seconds() / 3600, peak) * expected / total_shape
        if _is_open(t, periods) and rng.random() < rate / top:
            out.append(t)


def _counters(
    rng: random.Random,
    counters: Sequence[CounterSpec],
    periods: Sequence[tuple[datetime, datetime]],
    rates: Rates,
) -> tuple[CounterPlan, ...]:
    start, close = periods[0][0], periods[-1][1]
    lunch_hour = len(periods) > 1
    out = []
    for c in counters:
        late = rng.random() < rates.late_openings
        opens = start + timedelta(minutes=rng.uniform(5, 30) if late else 0)
        breaks: list[tuple[datetime, float]] = []
        if rng.random() < rates.short_breaks:
            breaks.append((start + timedelta(minutes=rng.uniform(60, 150)), 10.0))
        if not lunch_hour and (close - start) > timedelta(hours=6):
            lunch = start + timedelta(minutes=rng.uniform(180, 330))
            breaks.append((lunch, rates.lunch_minutes))
        out.append(CounterPlan(c.number, opens, tuple(breaks)))
    return tuple(out)


def _capacity(
    plans: Sequence[CounterPlan], periods: Sequence[tuple[datetime, datetime]]
) -> dict[int, float]:
    """Open minutes of each counter over the day, less late opening and breaks."""
    day = _open_minutes(periods)
    return {
        p.number: day
        - (p.opens_at - periods[0][0]).total_seconds() / 60
        - sum(m for _, m in p.breaks)
        for p in plans
    }


def _second_visit(
    rng: random.Random,
    service: ServiceSpec,
    by_code: dict[str, ServiceSpec],
    true: dict[str, float],
) -> tuple[str | None, Visit | None]:
    siblings = [
        s.code
        for s in by_code.values()
        if s.agency == service.agency and s.code != service.code and s.walk_in
    ]
    if not siblings:
        return None, None
    target = rng.choice(siblings)
    return target, _visit(rng, true[target], 0.35)


def plan_day(
    services: Sequence[ServiceSpec],
    counters: Sequence[CounterSpec],
    periods: Sequence[tuple[datetime, datetime]],
    *,
    seed: int,
    until: datetime | None = None,
    rates: Rates = Rates(),
) -> DayPlan:
    """Draw the day. `periods` are the day's opening periods (aware, sorted); arrivals and
    bookings stop at `until` (default: closing), as for a part of a day. Raises ValueError
    for a day without opening periods or a hall without counters."""
    if not periods:
        raise ValueError("the center is closed on that day")
    if not counters:
        raise ValueError("the center has no counters")
    rng = random.Random(seed)
    until = until or periods[-1][1]
    by_code = {s.code: s for s in services}
    true = {s.code: s.planned_minutes * rng.uniform(0.85, 1.2) for s in services}
    plans = _counters(rng, counters, periods, rates)
    capacity = _capacity(plans, periods)
    # Each counter's busy minutes go to the agencies it serves: most to its own (that of its
    # first service), a share to each agency it backs up.
    agency_minutes: dict[str, float] = {}
    for c in counters:
        home = by_code[c.services[0]].agency
        others = sorted({by_code[code].agency for code in c.services} - {home})
        busy = capacity[c.number] * rates.load
        for agency in others:
            agency_minutes[agency] = agency_minutes.get(agency, 0.0) + BACKUP_SHARE * busy
        rest = busy * (1 - BACKUP_SHARE * len(others))
        agency_minutes[home] = agency_minutes.get(home, 0.0) + rest
    # Bookings fill the part of the day that is simulated, in proportion to its length.
    part = _open_minutes([(a, min(b, until)) for a, b in periods if a < until]) / _open_minutes(
        periods
    )
    walk_ins: list[Citizen] = []
    bookings: list[Citizen] = []
    for agency, minutes in sorted(agency_minutes.items()):
        own = [s for s in services if s.agency == agency and (s.walk_in or s.bookable)]
        if not own:
            continue
        weights = [rng.uniform(0.6, 1.4) for _ in own]
        for service, weight in zip(own, weights, strict=True):
            share = minutes * weight / sum(weights)
            per_visit = true[service.code] + 1.0  # plus the walk to the counter
            visits = share / per_visit
            booked = visits * rates.booking_share if service.bookable else 0.0
            booked_count = round(part * booked / (1 - rates.booking_no_show))
            for at in _arrivals(rng, visits - booked if service.walk_in else 0, periods, until):
                walk_ins.append(_walk_in(rng, service, at, by_code, true, rates))
            for _ in range(booked_count):
                bookings.append(_booking(rng, service, periods, until, true, rates))
    walk_ins.sort(key=lambda c: c.arrives_at)
    bookings.sort(key=lambda c: c.arrives_at)
    numbered = [_renumber(c, i) for i, c in enumerate(walk_ins + bookings)]
    return DayPlan(
        tuple(numbered[: len(walk_ins)]), tuple(numbered[len(walk_ins) :]), plans, dict(true)
    )


def _renumber(c: Citizen, index: int) -> Citizen:
    return Citizen(
        index,
        c.service,
        c.arrives_at,
        c.visit,
        c.priority,
        c.shows,
        c.transfer_to,
        c.transfer_first,
        c.second_visit,
        c.slot,
    )


def _walk_in(
    rng: random.Random,
    service: ServiceSpec,
    at: datetime,
    by_code: dict[str, ServiceSpec],
    true: dict[str, float],
    rates: Rates,
) -> Citizen:
    priority = rng.choice(PRIORITY_REASONS) if rng.random() < rates.priority_share else None
    visit = _visit(rng, true[service.code], rates.spread)
    shows = rng.random() >= rates.walk_in_no_show
    transfer_to, second = None, None
    if shows and rng.random() < rates.transfer_share:
        transfer_to, second = _second_visit(rng, service, by_code, true)
    first = rng.random() < 0.5
    return Citizen(0, service.code, at, visit, priority, shows, transfer_to, first, second)


def _booking(
    rng: random.Random,
    service: ServiceSpec,
    periods: Sequence[tuple[datetime, datetime]],
    until: datetime,
    true: dict[str, float],
    rates: Rates,
) -> Citizen:
    """A wish for a slot somewhere in the open day (before `until`); the runner books the
    slot that contains it, or the nearest free one."""
    opens, closes = periods[0][0], min(periods[-1][1], until)
    span = max((closes - opens).total_seconds() / 60 - 30, 1.0)
    wish = opens + timedelta(minutes=rng.uniform(0, span))
    visit = _visit(rng, true[service.code], rates.spread)
    shows = rng.random() >= rates.booking_no_show
    early = rng.uniform(-20, 5)  # minutes relative to the slot's start
    return Citizen(0, service.code, wish + timedelta(minutes=early), visit, None, shows, slot=wish)
