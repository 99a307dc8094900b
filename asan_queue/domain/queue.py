"""The queue model: the one place that knows, for a center at an instant, in which order its
policy will call the waiting tickets, each ticket's position and people ahead, and its ETA.

It is pure: the caller passes the center's waiting tickets of the day, its counters (state,
services served, the visit in progress and how long it has run), expected service times,
today's opening periods and `now`. Call-next, the API, the kiosk, the receipt, the phone
page, the desk list, the hall and every SMS trigger read this model; nothing else orders
tickets or computes a position.

- Order: `calls(services)` is what a counter serving those services would call, one after
  another, at `now` (call-next takes its first; the desk lists it).
- Position: a ticket's place among the waiting tickets of its own service in that order.
  Any counter that calls a ticket of service S calls the first of S's order, so tickets of
  one service are called in the order of their positions.
- ETA: a projection of the policy forward in time. Each counter able to call (open, or
  paused and expected back) becomes free when its visit in progress is expected to end,
  then calls what the policy picks at that instant, and is busy for that service's expected
  minutes; breaks between opening periods are skipped, and a counter pauses for each break
  of its rota once it is free after the break falls due (a pause in progress lasts as long
  as the break it is). The visit in progress is expected to take what a skewed (log-normal)
  visit that has already run that long has left. A ticket's ETA is when it is called
  in that projection, quoted as a range from the spread of service times ahead of it. A
  would-be new arrival of every service rides along at the back of its lane with no
  duration, which gives "if you take a ticket now" without disturbing anyone's figure.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from itertools import islice

from .policy import Choice, LaneKey, Policy, Waiting, get_policy

# Minutes from a call until the citizen is at the counter (part of every projected visit).
WALK_MINUTES = 1.0
# A paused counter is expected back this long after its pause began.
BREAK_MINUTES = 15.0
# A planned break not taken this long after it fell due is taken as skipped.
STALE_BREAK_MINUTES = 120.0
# A visit already past its expected length is still expected to take this share of it.
OVERRUN_SHARE = 0.25
# Phantom arrivals ("if you take a ticket now") get ids no real ticket has.
PHANTOM_BASE = 1 << 60
# So do expected arrivals (bookings due, priority citizens to come): EXPECTED_BASE + n.
EXPECTED_BASE = 1 << 59

ESTIMATE = "estimate"  # a projected call time
PAST_CLOSING = "past_closing"  # projected after today's last closing time
NO_COUNTER = "no_counter"  # no counter that serves the service is open or on a break


@dataclass(frozen=True, slots=True)
class ServiceTimes:
    service_id: int
    target_wait_minutes: int
    minutes: float  # expected minutes of one visit, at the counter
    spread: float  # typical deviation of one visit from `minutes`


@dataclass(frozen=True, slots=True)
class CounterView:
    counter_id: int
    number: int
    state: str  # open | paused | closed
    service_ids: frozenset[int]
    busy_service_id: int | None = None  # the service of the visit at the counter, if any
    busy_since: datetime | None = None  # when that ticket was called, or started if started
    busy_started: bool = False
    state_since: datetime | None = None  # when the counter was last opened/paused/closed
    # The counter's planned breaks of today (due at, minutes), in order: the operator pauses
    # at the first free moment from `due at` on (the hall's rota).
    breaks: tuple[tuple[datetime, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Expected:
    """A ticket the hall does not hold yet but expects: a booking due soon that has not
    checked in (at its slot's start), or a share of the priority citizens a service sees per
    hour. The projection files it in at `ticket.queued_at` and lets the policy call it like
    any other; its visit counts for `weight` of one (the chance that it happens)."""

    ticket: Waiting
    weight: float


@dataclass(frozen=True)
class Hall:
    policy: str
    waiting: Sequence[Waiting]
    counters: Sequence[CounterView]
    times: Mapping[int, ServiceTimes]
    periods: Sequence[tuple[datetime, datetime]] = ()  # today's opening periods, sorted
    expected: Sequence[Expected] = ()  # arrivals to come that may be called before others
    etas: bool = True  # False: loaded for the call order only (no ETA inputs)


@dataclass(frozen=True, slots=True)
class Eta:
    status: str  # ESTIMATE | PAST_CLOSING | NO_COUNTER
    minutes: int | None = None
    low: int | None = None
    high: int | None = None
    opens_at: datetime | None = None  # with NO_COUNTER outside opening hours: next opening


@dataclass(frozen=True, slots=True)
class Place:
    position: int  # 1 = next of its service
    people_ahead: int
    eta: Eta


def eta_range(minutes: float, spread: float) -> tuple[int, int]:
    """A quoted range around a projected wait: one spread either side, at least 2 minutes
    wide (1 when the wait is about nothing), never below zero."""
    low = max(0, math.floor(minutes - spread))
    high = max(math.ceil(minutes + spread), low + (1 if minutes < 1 else 2))
    return low, high


def remaining_minutes(times: ServiceTimes, elapsed: float) -> float:
    """Expected minutes left of a visit that has run `elapsed` minutes: the mean of a
    log-normal visit time (mean `times.minutes`, its spread read as a mean absolute
    deviation) given that it has lasted that long. Visit times are skewed: the longer a visit
    has run, the more of it is likely left than "mean - elapsed" says."""
    mean = max(times.minutes, 0.1)
    if elapsed <= 0:
        return mean
    # A log-normal's mean absolute deviation is about 0.8 of its standard deviation, and
    # its coefficient of variation sqrt(exp(sigma²) - 1).
    cv = max(times.spread / 0.8 / mean, 0.05)
    sigma = math.sqrt(math.log(1 + cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    z = (mu - math.log(elapsed)) / sigma
    survive = _normal_cdf(z)
    if survive < 1e-9:  # far past anything the figures have seen: a small share is left
        return 0.0
    return mean * _normal_cdf(z + sigma) / survive - elapsed


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class Lanes:
    """The lanes of a set of tickets, each sorted once by its policy key. A ticket that waits
    for one counter only (`Waiting.counter_id`) is in that counter's lanes, not its
    service's: no other counter calls it."""

    def __init__(self, policy: Policy, tickets: Iterable[Waiting]) -> None:
        self.policy = policy
        grouped: dict[tuple[int, str, int], list[tuple[LaneKey, Waiting]]] = defaultdict(list)
        for w in tickets:
            for lane, key in policy.lanes_of(w):
                grouped[(w.service_id, lane, w.counter_id or 0)].append((key, w))
        self.names: list[str] = []
        self.keys: list[list[LaneKey]] = []
        self.items: list[list[Waiting]] = []
        self.by_service: dict[int, list[int]] = defaultdict(list)
        self.by_counter: dict[int, list[int]] = defaultdict(list)
        self.targets: list[int] = []
        for service_id, lane, target in sorted(grouped):
            entries = sorted(grouped[(service_id, lane, target)], key=lambda kw: kw[0])
            self._add(service_id, lane, [k for k, _ in entries], [w for _, w in entries], target)

    def _add(
        self,
        service_id: int,
        lane: str,
        keys: list[LaneKey],
        items: list[Waiting],
        target: int = 0,
    ) -> None:
        (self.by_counter[target] if target else self.by_service[service_id]).append(len(self.names))
        self.names.append(lane)
        self.keys.append(keys)
        self.items.append(items)
        self.targets.append(target)

    def of(self, service_ids: Iterable[int]) -> list[int]:
        return [i for s in sorted(set(service_ids)) for i in self.by_service.get(s, ())]

    def of_counter(self, counter_id: int, service_ids: Iterable[int]) -> list[int]:
        """The lanes a counter calls from: its services' and those waiting for it alone."""
        return self.of(service_ids) + list(self.by_counter.get(counter_id, ()))

    def plus(self, extra: Iterable[Waiting]) -> Lanes:
        """A copy with `extra` tickets filed in (the lanes of this one are not touched). A
        ticket that arrives now sorts last in an arrival lane: that is an append."""
        out = Lanes(self.policy, ())
        for i, lane in enumerate(self.names):
            service_id = self.items[i][0].service_id if self.items[i] else 0
            out._add(service_id, lane, list(self.keys[i]), list(self.items[i]), self.targets[i])
        for w in extra:
            target = w.counter_id or 0
            for lane, key in self.policy.lanes_of(w):
                mine = (
                    out.by_counter.get(target, [])
                    if target
                    else out.by_service.get(w.service_id, [])
                )
                found = next(
                    (
                        i
                        for i in mine
                        if out.names[i] == lane
                        and out.items[i]
                        and out.items[i][0].service_id == w.service_id
                    ),
                    None,
                )
                if found is None:
                    out._add(w.service_id, lane, [key], [w], target)
                    continue
                keys = out.keys[found]
                at = len(keys) if not keys or key >= keys[-1] else bisect_right(keys, key)
                keys.insert(at, key)
                out.items[found].insert(at, w)
        return out


class _Picker:
    """What a counter serving some lanes calls at an instant in the projection: the best
    ranked head that is in the hall (an expected ticket is not until its arrival), each
    ticket taken once. Returns (ticket, None), or (None, when the first expected one
    arrives, if any)."""

    def __init__(self, policy: Policy, lanes: Lanes) -> None:
        self.rank = policy.rank_of
        self.names, self.items = lanes.names, lanes.items
        self.pos = [0] * len(lanes.items)
        self.taken: set[int] = set()

    def __call__(self, lane_ids: list[int], at: float) -> tuple[Waiting | None, float | None]:
        best: tuple[LaneKey, int] | None = None
        later: float | None = None
        items_of, pos, taken = self.items, self.pos, self.taken
        for i in lane_ids:
            items, j = items_of[i], pos[i]
            while j < len(items) and items[j].ticket_id in taken:
                j += 1
            pos[i] = j
            if j == len(items):
                continue
            w = items[j]
            if w.queued_ts > at:
                later = w.queued_ts if later is None else min(later, w.queued_ts)
                continue
            key = self.rank(self.names[i], w, at)
            if key is None:
                if w.slot_ts is not None and w.slot_ts > at:  # callable once its slot starts
                    later = w.slot_ts if later is None else min(later, w.slot_ts)
            elif best is None or key < best[0]:
                best = (key, i)
        if best is None:
            return None, later
        i = best[1]
        w = items_of[i][pos[i]]
        taken.add(w.ticket_id)
        pos[i] += 1
        return w, None


class QueueModel:
    """The queue of one center at `now` (see the module docstring)."""

    def __init__(self, hall: Hall, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.hall = hall
        self.now = now
        self.policy = get_policy(hall.policy)
        self.tickets = {w.ticket_id: w for w in hall.waiting}
        self.counters = {c.counter_id: c for c in hall.counters}
        self._lanes = Lanes(self.policy, hall.waiting)
        self._orders: dict[int, list[int]] = {}
        self._ahead: dict[int, int] = {}

    # ---- order ---------------------------------------------------------------------------

    def _merge(self, lane_ids: list[int], when: datetime) -> Iterator[tuple[str, Waiting]]:
        """Lane heads in the policy's order at the fixed instant `when`: a k-way merge, since
        a head's rank does not change while time stands still."""
        lanes, rank, at = self._lanes, self.policy.rank_of, when.timestamp()
        pos = dict.fromkeys(lane_ids, 0)
        taken: set[int] = set()
        heap: list[tuple[LaneKey, int]] = []

        def push(i: int) -> None:
            items, j = lanes.items[i], pos[i]
            while j < len(items) and items[j].ticket_id in taken:
                j += 1
            pos[i] = j
            if j < len(items):
                key = rank(lanes.names[i], items[j], at)
                if key is not None:
                    heapq.heappush(heap, (key, i))

        for i in lane_ids:
            push(i)
        while heap:
            _, i = heapq.heappop(heap)
            w = lanes.items[i][pos[i]]
            if w.ticket_id in taken:  # taken through its other lane after it was pushed
                push(i)
                continue
            taken.add(w.ticket_id)
            pos[i] += 1
            push(i)
            yield lanes.names[i], w

    def calls(self, service_ids: Iterable[int], at: datetime | None = None) -> Iterator[Choice]:
        """The tickets a counter serving `service_ids` would call, in order, if it called
        them one after another at `at` (default: now), each with the policy's reason."""
        at = at or self.now
        for lane, w in self._merge(self._lanes.of(service_ids), at):
            yield Choice(w.ticket_id, self.policy.reason_of(lane, w, at))

    def calls_for(self, counter_id: int, at: datetime | None = None) -> Iterator[Choice]:
        """What this counter would call, in order: the tickets of the services it serves and
        those waiting for it alone (a transfer to it, a return to it)."""
        counter = self.counters.get(counter_id)
        at = at or self.now
        lane_ids = self._lanes.of_counter(counter_id, counter.service_ids if counter else ())
        for lane, w in self._merge(lane_ids, at):
            yield Choice(w.ticket_id, self.policy.reason_of(lane, w, at))

    def next_for(self, counter_id: int) -> Choice | None:
        """What call-next at this counter takes now (None when no one waits for it)."""
        return next(self.calls_for(counter_id), None)

    def _order(self, service_id: int) -> list[int]:
        """Computed for a service when first asked (a ticket's page needs only its own)."""
        order = self._orders.get(service_id)
        if order is None:
            order = [w.ticket_id for _, w in self._merge(self._lanes.of([service_id]), self.now)]
            if len(order) < self.waiting_count(service_id):
                # A policy that would not call some ticket now still shows it: last, by arrival.
                seen = set(order)
                rest = [w for w in self.hall.waiting if w.service_id == service_id]
                rest.sort(key=lambda w: (w.queued_at, w.ticket_id))
                order += [w.ticket_id for w in rest if w.ticket_id not in seen]
            self._orders[service_id] = order
            self._ahead.update((tid, i) for i, tid in enumerate(order))
        return order

    def head(self, service_id: int, count: int) -> list[int]:
        """The first `count` of a service's order, without ordering the rest."""
        if service_id in self._orders:
            return self._orders[service_id][:count]
        merged = self._merge(self._lanes.of([service_id]), self.now)
        return [w.ticket_id for _, w in islice(merged, count)]

    @cached_property
    def _counts(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for w in self.hall.waiting:
            counts[w.service_id] += 1
        return counts

    def order(self, service_id: int) -> list[int]:
        """Ticket ids of the service's waiting tickets, position 1 first."""
        return list(self._order(service_id))

    def waiting_count(self, service_id: int) -> int:
        return self._counts.get(service_id, 0)

    def people_ahead(self, ticket_id: int) -> int | None:
        w = self.tickets.get(ticket_id)
        if w is None:
            return None
        if w.counter_id is not None:  # waits for one counter: its place in that counter's calls
            for i, choice in enumerate(self.calls_for(w.counter_id)):
                if choice.ticket_id == ticket_id:
                    return i
            return None
        self._order(w.service_id)
        return self._ahead.get(ticket_id)

    def open_counters(self, service_id: int) -> int:
        return sum(
            1 for c in self.hall.counters if c.state == "open" and service_id in c.service_ids
        )

    # ---- ETA -----------------------------------------------------------------------------

    @cached_property
    def _projection(self) -> dict[int, tuple[datetime, float]]:
        """ticket id (or phantom id) -> (projected call time, variance in minutes²)."""
        if not self.hall.etas:
            raise RuntimeError("this hall was loaded for the call order only")
        phantoms = [
            Waiting(PHANTOM_BASE + s.service_id, "", s.service_id, self.now, s.target_wait_minutes)
            for s in self.hall.times.values()
        ]
        weights = {e.ticket.ticket_id: e.weight for e in self.hall.expected}
        lanes = self._lanes.plus(phantoms + [e.ticket for e in self.hall.expected])
        heap: list[tuple[datetime, int, int, float]] = []
        served: dict[int, list[int]] = {}
        rota: dict[int, list[tuple[datetime, float]]] = {}
        for counter in self.hall.counters:
            mine = lanes.of_counter(counter.counter_id, counter.service_ids)
            if counter.state in ("open", "paused") and mine:
                served[counter.counter_id] = mine
                rota[counter.counter_id] = self._breaks_left(counter)
                free_at, variance = self._free_at(counter)
                heapq.heappush(heap, (free_at, counter.number, counter.counter_id, variance))
        busy = {s: (WALK_MINUTES + t.minutes, t.spread**2) for s, t in self.hall.times.items()}
        fallback = self._times(-1)
        default = (WALK_MINUTES + fallback.minutes, fallback.spread**2)
        pick = _Picker(self.policy, lanes)
        calls: dict[int, tuple[datetime, float]] = {}
        while heap:
            free_at, number, counter_id, variance = heapq.heappop(heap)
            at = self._next_open(free_at) if self.hall.periods else free_at
            breaks = rota[counter_id]
            if breaks and breaks[0][0] <= at:  # free after its break fell due: it pauses
                _, pause = breaks.pop(0)
                heapq.heappush(heap, (at + timedelta(minutes=pause), number, counter_id, variance))
                continue
            w, later = pick(served[counter_id], at.timestamp())
            if w is None:
                if later is not None:  # someone expected: free again when they arrive
                    when = datetime.fromtimestamp(later, tz=at.tzinfo)
                    heapq.heappush(heap, (when, number, counter_id, variance))
                continue  # else this counter has nobody left to call
            calls[w.ticket_id] = (at, variance)
            if w.ticket_id >= PHANTOM_BASE:
                heapq.heappush(heap, (at, number, counter_id, variance))
                continue
            minutes, spread2 = busy.get(w.service_id, default)
            share = weights.get(w.ticket_id, 1.0)
            length = timedelta(minutes=share * minutes)
            heapq.heappush(heap, (at + length, number, counter_id, variance + share * spread2))
        return calls

    def _times(self, service_id: int) -> ServiceTimes:
        found = self.hall.times.get(service_id)
        return found if found is not None else ServiceTimes(service_id, 15, 10.0, 5.0)

    def _breaks_left(self, counter: CounterView) -> list[tuple[datetime, float]]:
        """The planned breaks the counter has not taken yet: those due after it last opened
        or paused (a break is taken at the first free moment after it falls due), unless
        skipped long ago."""
        since = counter.state_since
        stale = self.now - timedelta(minutes=STALE_BREAK_MINUTES)
        return [
            (due, minutes)
            for due, minutes in counter.breaks
            if (since is None or due > since) and due > stale
        ]

    def _pause_minutes(self, counter: CounterView) -> float:
        """How long the pause in progress is expected to last: the planned break it is (the
        last one due before it began), else BREAK_MINUTES."""
        since = counter.state_since
        if since is not None:
            stale = since - timedelta(minutes=STALE_BREAK_MINUTES)
            taken = [m for due, m in counter.breaks if stale < due <= since]
            if taken:
                return taken[-1]
        return BREAK_MINUTES

    def _free_at(self, counter: CounterView) -> tuple[datetime, float]:
        now = self.now
        if counter.state == "paused":
            minutes = self._pause_minutes(counter)
            back = (counter.state_since or now) + timedelta(minutes=minutes)
            return max(now, back), (BREAK_MINUTES / 2) ** 2
        if counter.busy_service_id is None or counter.busy_since is None:
            return now, 0.0
        times = self._times(counter.busy_service_id)
        elapsed = (now - counter.busy_since).total_seconds() / 60
        if not counter.busy_started:
            elapsed -= WALK_MINUTES  # the citizen is still on the way
        remaining = max(remaining_minutes(times, elapsed), OVERRUN_SHARE * times.minutes)
        if not counter.busy_started:
            remaining += max(-elapsed, 0.0)
        return now + timedelta(minutes=remaining), times.spread**2

    def _next_open(self, at: datetime) -> datetime:
        """`at`, or the start of the next opening period when `at` falls before opening or in
        a break. After the last closing the counters go on with who is already waiting."""
        for opens, closes in self.hall.periods:
            if at < opens:
                return opens
            if at < closes:
                return at
        return at

    def _next_opening(self) -> datetime | None:
        for opens, closes in self.hall.periods:
            if self.now < opens:
                return opens
            if self.now < closes:
                return None  # open now
        return None

    def _eta(self, key: int) -> Eta:
        found = self._projection.get(key)
        if found is None:
            return Eta(NO_COUNTER, opens_at=self._next_opening())
        at, variance = found
        minutes = max((at - self.now).total_seconds() / 60, 0.0)
        low, high = eta_range(minutes, math.sqrt(variance))
        closing = self.hall.periods[-1][1] if self.hall.periods else None
        status = PAST_CLOSING if closing is not None and at > closing else ESTIMATE
        return Eta(status, round(minutes), low, high)

    def projected_call(self, ticket_id: int) -> datetime | None:
        """When the projection calls this waiting ticket (None: no counter can)."""
        found = self._projection.get(ticket_id)
        return found[0] if found is not None else None

    def eta(self, ticket_id: int) -> Eta:
        """The ETA of a waiting ticket of this model."""
        return self._eta(ticket_id)

    def arrival_eta(self, service_id: int) -> Eta:
        """The ETA of a walk-in who takes a ticket of `service_id` now."""
        return self._eta(PHANTOM_BASE + service_id)

    def place(self, ticket_id: int) -> Place | None:
        """Position, people ahead and ETA of a waiting ticket (None if it is not waiting)."""
        ahead = self.people_ahead(ticket_id)
        if ahead is None:
            return None
        return Place(ahead + 1, ahead, self.eta(ticket_id))
