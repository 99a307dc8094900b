"""Call policies: which waiting ticket a counter gets next, and why (the fair-queue audit).

A policy files each waiting ticket into one or more *lanes* of its service, each kept in an
order that never changes while time passes (arrival, slot start), and picks, at a given
instant, among the heads of the lanes a counter serves. Everything that orders tickets goes
through `pick` (call-next, the desk's list, positions, the ETA projection in domain.queue),
so no two of them can disagree. Policies are a registry: `POLICIES[name]`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Waiting:
    """A waiting ticket as the policy sees it."""

    ticket_id: int
    number: str
    service_id: int
    queued_at: datetime
    target_wait_minutes: int
    priority: str | None = None
    slot_start: datetime | None = None  # booked tickets: their appointment's start
    counter_id: int | None = None  # it waits for this counter only (a targeted ticket)
    first: bool = False  # a supervisor put it ahead of everyone
    # Derived once, as plain seconds: ranking runs thousands of times per projection.
    queued_ts: float = field(init=False, repr=False, compare=False)
    slot_ts: float | None = field(init=False, repr=False, compare=False)
    target_seconds: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "queued_ts", self.queued_at.timestamp())
        slot = self.slot_start.timestamp() if self.slot_start is not None else None
        object.__setattr__(self, "slot_ts", slot)
        object.__setattr__(self, "target_seconds", 60.0 * max(self.target_wait_minutes, 1))


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a ticket was chosen: a tier, the figures behind it, and the sentence for the log."""

    tier: str  # booking | priority | aged | due | overdue | arrival | staff
    text: str
    waited_minutes: int
    ratio: float | None = None  # wait / target, for the overdue tier
    slot_start: datetime | None = None

    def data(self) -> dict[str, Any]:
        """Primitives for the event log (the fair-queue audit reads these, not the text)."""
        return {
            "tier": self.tier,
            "waited_minutes": self.waited_minutes,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "slot": self.slot_start.isoformat() if self.slot_start else None,
        }


@dataclass(frozen=True, slots=True)
class Choice:
    ticket_id: int
    reason: Reason


LaneKey = tuple[Any, ...]
FIRST = "first"  # the lane of tickets a supervisor put first, ahead of every policy tier
Head = tuple[str, Waiting]  # (lane name, the first ticket left in that lane)


def waited_minutes(w: Waiting, at: datetime) -> float:
    return max((at - w.queued_at).total_seconds() / 60, 0.0)


def overdue(w: Waiting, at: datetime) -> float:
    """How far into (or past) its service's target wait a ticket is: 1.0 = exactly at target."""
    return waited_minutes(w, at) / max(w.target_wait_minutes, 1)


def _arrival(w: Waiting) -> LaneKey:
    return (w.queued_at, w.ticket_id)


class Policy(ABC):
    """A call policy. `lanes` gives keys whose order does not change with time; `rank`
    scores a lane's head at an instant (lower is called first, None: not callable yet, and
    then neither is anything behind it in that lane); `reason` explains a choice."""

    name: ClassVar[str]
    summary: ClassVar[str]
    # Whether someone who comes later may be called before someone already waiting (False
    # for arrival order: then the ETA projection has no use for expected arrivals).
    later_may_go_first: ClassVar[bool] = True
    # The names `lanes` files tickets under (a store reads each lane's first tickets by them:
    # services/queue.py LANE_ORDER gives each name's membership and order in SQL).
    lane_names: ClassVar[tuple[str, ...]]

    def lanes_of(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        """The lanes `w` waits in: the policy's own, or the "first" lane alone for a ticket a
        supervisor put first (whatever the policy, it is called before anyone else)."""
        if w.first:
            return ((FIRST, _arrival(w)),)
        return self.lanes(w)

    def rank_of(self, lane: str, w: Waiting, at: float) -> LaneKey | None:
        """`rank`, with the "first" lane ahead of every tier of every policy."""
        if lane == FIRST:
            return (-1, w.queued_ts, w.ticket_id)
        return self.rank(lane, w, at)

    def reason_of(self, lane: str, w: Waiting, at: datetime) -> Reason:
        if lane == FIRST:
            return Reason("staff", "put first by a supervisor", int(waited_minutes(w, at)))
        return self.reason(lane, w, at)

    @abstractmethod
    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        """The lanes `w` waits in, each with its sort key inside that lane."""

    @abstractmethod
    def rank(self, lane: str, w: Waiting, at: float) -> LaneKey | None:
        """How urgent it is to call `w`, the head of `lane`, at the instant `at` (seconds
        since the epoch: it runs thousands of times per projection); unique per ticket."""

    @abstractmethod
    def reason(self, lane: str, w: Waiting, at: datetime) -> Reason:
        """Why `w`, taken from `lane` at `at`, was chosen (the fair-queue audit)."""

    def pick(self, heads: Sequence[Head], at: datetime) -> Choice | None:
        """The ticket to call at `at` among these lane heads (all of one counter's services),
        or None when no head may be called now."""
        best: tuple[LaneKey, str, Waiting] | None = None
        at_ts = at.timestamp()
        for lane, w in heads:
            key = self.rank_of(lane, w, at_ts)
            if key is not None and (best is None or key < best[0]):
                best = (key, lane, w)
        if best is None:
            return None
        _, lane, w = best
        return Choice(w.ticket_id, self.reason_of(lane, w, at))


class Fair(Policy):
    """(1) booked tickets whose slot has started, earliest slot first; (2) priority citizens
    by arrival; (3) the ticket most overdue against its service's target wait (wait /
    target), ties by arrival."""

    name = "fair"
    summary = "booked slots that started, then priority citizens, then the most overdue"
    lane_names = ("booked", "priority", "regular")

    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        out: list[tuple[str, LaneKey]] = []
        if w.slot_start is not None:
            out.append(("booked", (w.slot_start, w.queued_at, w.ticket_id)))
        # Before its slot starts a booked ticket waits like everyone else.
        out.append(("priority" if w.priority else "regular", _arrival(w)))
        return tuple(out)

    def rank(self, lane: str, w: Waiting, at: float) -> LaneKey | None:
        if lane == "regular":  # -(wait / target): the most overdue first
            return (2, (w.queued_ts - at) / w.target_seconds, w.queued_ts, w.ticket_id)
        if lane == "priority":
            return (1, w.queued_ts, w.ticket_id)
        assert w.slot_ts is not None
        if w.slot_ts > at:
            return None
        return (0, w.slot_ts, w.queued_ts, w.ticket_id)

    def reason(self, lane: str, w: Waiting, at: datetime) -> Reason:
        waited = int(waited_minutes(w, at))
        if lane == "booked":
            assert w.slot_start is not None
            text = f"booking: slot started at {w.slot_start.isoformat()}"
            return Reason("booking", text, waited, slot_start=w.slot_start)
        if lane == "priority":
            return Reason("priority", f"priority: {w.priority}", waited)
        ratio = overdue(w, at)
        text = f"most overdue: waited {waited} min of target {w.target_wait_minutes} ({ratio:.2f}x)"
        return Reason("overdue", text, waited, ratio=ratio)


class Fifo(Policy):
    """Arrival order only (for comparison)."""

    name = "fifo"
    summary = "arrival order only"
    later_may_go_first = False
    lane_names = ("arrival",)

    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        return (("arrival", _arrival(w)),)

    def rank(self, lane: str, w: Waiting, at: float) -> LaneKey | None:
        return (w.queued_ts, w.ticket_id)

    def reason(self, lane: str, w: Waiting, at: datetime) -> Reason:
        return Reason("arrival", "fifo: earliest arrival", int(waited_minutes(w, at)))


class ServiceLevel(Fair):
    """As many citizens as possible called within their service's target wait, and nobody
    left behind: (1) booked tickets whose slot has started, earliest slot first; (2) anyone
    who has waited `aged_share` times their target, in the order they got there (from then
    on no priority citizen passes them: past its target a regular ticket is passed by at
    most the priority calls of (aged_share - 1) x target minutes); (3) priority citizens by
    arrival; (4) regular tickets that can still be called within their target, the soonest
    due first; (5) regular tickets past their target, the longest overdue first. Among
    regular tickets of one service, arrival order (a counter only ever chooses between the
    first of each service's line)."""

    name = "sla"
    summary = (
        "booked slots that started, the long-waiting, priority citizens, then those who can "
        "still make their target"
    )
    # Measured on simulated days (flask simulate, seeds 1-3): of 1, 1.25, 1.5, 2, 2.5 and 3,
    # 2.5 served the largest share within target; none kept the longest wait at FIFO's.
    aged_share: ClassVar[float] = 2.5

    def rank(self, lane: str, w: Waiting, at: float) -> LaneKey | None:
        if lane == "booked":
            return super().rank(lane, w, at)
        aged = w.queued_ts + self.aged_share * w.target_seconds
        if at >= aged:  # the long-waiting, in the order they got there
            return (1, aged, w.ticket_id)
        if lane == "priority":
            return (2, w.queued_ts, w.ticket_id)
        due = w.queued_ts + w.target_seconds
        return (3 if at <= due else 4, due, w.ticket_id)

    def reason(self, lane: str, w: Waiting, at: datetime) -> Reason:
        if lane == "booked":
            return super().reason(lane, w, at)
        waited = int(waited_minutes(w, at))
        ratio = overdue(w, at)
        figures = f"waited {waited} min of target {w.target_wait_minutes} ({ratio:.2f}x)"
        if ratio >= self.aged_share:
            who = f"priority ({w.priority}), " if w.priority else ""
            text = f"{who}waited {self.aged_share:g}x its target: {figures}"
            return Reason("aged", text, waited, ratio)
        if lane == "priority":
            return super().reason(lane, w, at)
        if ratio <= 1:
            text = f"can still make its target, due soonest: {figures}"
            return Reason("due", text, waited, ratio)
        return Reason("overdue", f"past its target, longest overdue: {figures}", waited, ratio)


POLICIES: dict[str, Policy] = {p.name: p for p in (Fair(), Fifo(), ServiceLevel())}
DEFAULT_POLICY = "fair"


def get_policy(name: str) -> Policy:
    """The registered policy `name`. Raises ValueError for an unknown one."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown policy {name!r}") from None
