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
  minutes; breaks between opening periods are skipped. A ticket's ETA is when it is called
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

from .policy import Choice, Head, LaneKey, Policy, Waiting, get_policy

# Minutes from a call until the citizen is at the counter (part of every projected visit).
WALK_MINUTES = 1.0
# A paused counter is expected back this long after its pause began.
BREAK_MINUTES = 15.0
# A visit already past its expected length is still expected to take this share of it.
OVERRUN_SHARE = 0.25
# Phantom arrivals ("if you take a ticket now") get ids no real ticket has.
PHANTOM_BASE = 1 << 60

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


@dataclass(frozen=True)
class Hall:
    policy: str
    waiting: Sequence[Waiting]
    counters: Sequence[CounterView]
    times: Mapping[int, ServiceTimes]
    periods: Sequence[tuple[datetime, datetime]] = ()  # today's opening periods, sorted


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


class Cursor:
    """Reading positions over a model's lanes: the heads left, and taking a ticket out."""

    def __init__(self, lanes: Mapping[int, Sequence[tuple[str, Sequence[Waiting]]]]) -> None:
        self._lanes = lanes
        self._pos: dict[tuple[int, str], int] = {}
        self.taken: set[int] = set()

    def heads(self, service_ids: Iterable[int]) -> list[Head]:
        out: list[Head] = []
        for service_id in service_ids:
            for lane, items in self._lanes.get(service_id, ()):
                i = self._pos.get((service_id, lane), 0)
                while i < len(items) and items[i].ticket_id in self.taken:
                    i += 1
                self._pos[(service_id, lane)] = i
                if i < len(items):
                    out.append((lane, items[i]))
        return out

    def take(self, ticket_id: int) -> None:
        self.taken.add(ticket_id)


def _build_lanes(
    policy: Policy, tickets: Iterable[Waiting]
) -> dict[int, list[tuple[str, list[LaneKey], list[Waiting]]]]:
    grouped: dict[int, dict[str, list[tuple[LaneKey, Waiting]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for w in tickets:
        for lane, key in policy.lanes(w):
            grouped[w.service_id][lane].append((key, w))
    out: dict[int, list[tuple[str, list[LaneKey], list[Waiting]]]] = {}
    for service_id, lanes in grouped.items():
        built = []
        for lane in sorted(lanes):
            items = sorted(lanes[lane], key=lambda kw: kw[0])
            built.append((lane, [k for k, _ in items], [w for _, w in items]))
        out[service_id] = built
    return out


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
        self._keyed = _build_lanes(self.policy, hall.waiting)
        self._lanes = {s: [(lane, items) for lane, _, items in ls] for s, ls in self._keyed.items()}

    # ---- order ---------------------------------------------------------------------------

    def calls(self, service_ids: Iterable[int], at: datetime | None = None) -> Iterator[Choice]:
        """The tickets a counter serving `service_ids` would call, in order, if it called
        them one after another at `at` (default: now), each with the policy's reason."""
        at = at or self.now
        cursor = Cursor(self._lanes)
        ids = sorted(set(service_ids))
        while True:
            heads = cursor.heads(ids)
            choice = self.policy.pick(heads, at) if heads else None
            if choice is None:
                return
            cursor.take(choice.ticket_id)
            yield choice

    def calls_for(self, counter_id: int) -> Iterator[Choice]:
        counter = self.counters.get(counter_id)
        return self.calls(counter.service_ids if counter else ())

    def next_for(self, counter_id: int) -> Choice | None:
        """What call-next at this counter takes now (None when no one waits for it)."""
        return next(self.calls_for(counter_id), None)

    @cached_property
    def _orders(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for service_id in self._lanes:
            order = [c.ticket_id for c in self.calls([service_id])]
            if len(order) < self.waiting_count(service_id):
                # A policy that would not call some ticket now still shows it: last, by arrival.
                seen = set(order)
                rest = [w for w in self.hall.waiting if w.service_id == service_id]
                rest.sort(key=lambda w: (w.queued_at, w.ticket_id))
                order += [w.ticket_id for w in rest if w.ticket_id not in seen]
            out[service_id] = order
        return out

    @cached_property
    def _ahead(self) -> dict[int, int]:
        return {tid: i for order in self._orders.values() for i, tid in enumerate(order)}

    @cached_property
    def _counts(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for w in self.hall.waiting:
            counts[w.service_id] += 1
        return counts

    def order(self, service_id: int) -> list[int]:
        """Ticket ids of the service's waiting tickets, position 1 first."""
        return list(self._orders.get(service_id, ()))

    def waiting_count(self, service_id: int) -> int:
        return self._counts.get(service_id, 0)

    def people_ahead(self, ticket_id: int) -> int | None:
        return self._ahead.get(ticket_id)

    def open_counters(self, service_id: int) -> int:
        return sum(
            1 for c in self.hall.counters if c.state == "open" and service_id in c.service_ids
        )

    # ---- ETA -----------------------------------------------------------------------------

    @cached_property
    def _projection(self) -> dict[int, tuple[datetime, float]]:
        """ticket id (or phantom id) -> (projected call time, variance in minutes²)."""
        phantoms = [
            Waiting(PHANTOM_BASE + s.service_id, "", s.service_id, self.now, s.target_wait_minutes)
            for s in self.hall.times.values()
        ]
        lanes = self._with(phantoms)
        cursor = Cursor(lanes)
        heap: list[tuple[datetime, int, int, float]] = []
        for counter in self.hall.counters:
            if counter.state in ("open", "paused") and counter.service_ids:
                free_at, variance = self._free_at(counter)
                heapq.heappush(heap, (free_at, counter.number, counter.counter_id, variance))
        calls: dict[int, tuple[datetime, float]] = {}
        while heap:
            free_at, number, counter_id, variance = heapq.heappop(heap)
            at = self._next_open(free_at)
            counter = self.counters[counter_id]
            heads = cursor.heads(sorted(counter.service_ids))
            choice = self.policy.pick(heads, at) if heads else None
            if choice is None:
                continue  # this counter has nobody left to call
            cursor.take(choice.ticket_id)
            calls[choice.ticket_id] = (at, variance)
            if choice.ticket_id >= PHANTOM_BASE:
                heapq.heappush(heap, (at, number, counter_id, variance))
                continue
            times = self._times(self.tickets[choice.ticket_id].service_id)
            busy = timedelta(minutes=WALK_MINUTES + times.minutes)
            heapq.heappush(heap, (at + busy, number, counter_id, variance + times.spread**2))
        return calls

    def _with(self, extra: Sequence[Waiting]) -> dict[int, list[tuple[str, list[Waiting]]]]:
        """The lanes with `extra` tickets filed in by their keys (copies; the model's lanes
        stay as they are)."""
        lanes = {s: [(lane, list(items)) for lane, _, items in ls] for s, ls in self._keyed.items()}
        keys = {s: [(lane, list(k)) for lane, k, _ in ls] for s, ls in self._keyed.items()}
        for w in extra:
            mine = lanes.setdefault(w.service_id, [])
            my_keys = keys.setdefault(w.service_id, [])
            for lane, key in self.policy.lanes(w):
                index = next((i for i, (name, _) in enumerate(mine) if name == lane), None)
                if index is None:
                    mine.append((lane, [w]))
                    my_keys.append((lane, [key]))
                    continue
                at = bisect_right(my_keys[index][1], key)
                my_keys[index][1].insert(at, key)
                mine[index][1].insert(at, w)
        return lanes

    def _times(self, service_id: int) -> ServiceTimes:
        found = self.hall.times.get(service_id)
        return found if found is not None else ServiceTimes(service_id, 15, 10.0, 5.0)

    def _free_at(self, counter: CounterView) -> tuple[datetime, float]:
        now = self.now
        if counter.state == "paused":
            back = (counter.state_since or now) + timedelta(minutes=BREAK_MINUTES)
            return max(now, back), (BREAK_MINUTES / 2) ** 2
        if counter.busy_service_id is None or counter.busy_since is None:
            return now, 0.0
        times = self._times(counter.busy_service_id)
        elapsed = (now - counter.busy_since).total_seconds() / 60
        if not counter.busy_started:
            elapsed -= WALK_MINUTES  # the citizen is still on the way
        remaining = max(times.minutes - max(elapsed, 0.0), OVERRUN_SHARE * times.minutes)
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
