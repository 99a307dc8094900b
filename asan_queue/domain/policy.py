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
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a ticket was chosen: a tier, the figures behind it, and the sentence for the log."""

    tier: str  # booking | priority | overdue | arrival | staff
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
Head = tuple[str, Waiting]  # (lane name, the first ticket left in that lane)


def waited_minutes(w: Waiting, at: datetime) -> float:
    return max((at - w.queued_at).total_seconds() / 60, 0.0)


def overdue(w: Waiting, at: datetime) -> float:
    """How far into (or past) its service's target wait a ticket is: 1.0 = exactly at target."""
    return waited_minutes(w, at) / max(w.target_wait_minutes, 1)


def _arrival(w: Waiting) -> LaneKey:
    return (w.queued_at, w.ticket_id)


class Policy(ABC):
    """A call policy. `lanes` must give keys whose order does not change with time; `pick`
    compares lane heads at an instant and explains its choice."""

    name: ClassVar[str]
    summary: ClassVar[str]

    @abstractmethod
    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        """The lanes `w` waits in, each with its sort key inside that lane."""

    @abstractmethod
    def pick(self, heads: Sequence[Head], at: datetime) -> Choice | None:
        """The ticket to call at `at` among these lane heads (all of one counter's services),
        or None when no head may be called now."""


class Fair(Policy):
    """(1) booked tickets whose slot has started, earliest slot first; (2) priority citizens
    by arrival; (3) the ticket most overdue against its service's target wait (wait /
    target), ties by arrival."""

    name = "fair"
    summary = "booked slots that started, then priority citizens, then the most overdue"

    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        out: list[tuple[str, LaneKey]] = []
        if w.slot_start is not None:
            out.append(("booked", (w.slot_start, w.queued_at, w.ticket_id)))
        # Before its slot starts a booked ticket waits like everyone else.
        out.append(("priority" if w.priority else "regular", _arrival(w)))
        return tuple(out)

    def pick(self, heads: Sequence[Head], at: datetime) -> Choice | None:
        best: tuple[LaneKey, Waiting, str] | None = None
        for lane, w in heads:
            if lane == "booked":
                assert w.slot_start is not None
                if w.slot_start > at:
                    continue
                key: LaneKey = (0, w.slot_start, w.queued_at, w.ticket_id)
            elif lane == "priority":
                key = (1, w.queued_at, w.ticket_id)
            else:
                key = (2, -overdue(w, at), w.queued_at, w.ticket_id)
            if best is None or key < best[0]:
                best = (key, w, lane)
        if best is None:
            return None
        _, w, lane = best
        waited = int(waited_minutes(w, at))
        if lane == "booked":
            assert w.slot_start is not None
            text = f"booking: slot started at {w.slot_start.isoformat()}"
            return Choice(w.ticket_id, Reason("booking", text, waited, slot_start=w.slot_start))
        if lane == "priority":
            text = f"priority: {w.priority}"
            return Choice(w.ticket_id, Reason("priority", text, waited))
        ratio = overdue(w, at)
        text = f"most overdue: waited {waited} min of target {w.target_wait_minutes} ({ratio:.2f}x)"
        return Choice(w.ticket_id, Reason("overdue", text, waited, ratio=ratio))


class Fifo(Policy):
    """Arrival order only (for comparison)."""

    name = "fifo"
    summary = "arrival order only"

    def lanes(self, w: Waiting) -> tuple[tuple[str, LaneKey], ...]:
        return (("arrival", _arrival(w)),)

    def pick(self, heads: Sequence[Head], at: datetime) -> Choice | None:
        if not heads:
            return None
        _, w = min(heads, key=lambda h: _arrival(h[1]))
        waited = int(waited_minutes(w, at))
        return Choice(w.ticket_id, Reason("arrival", "fifo: earliest arrival", waited))


POLICIES: dict[str, Policy] = {p.name: p for p in (Fair(), Fifo())}
DEFAULT_POLICY = "fair"


def get_policy(name: str) -> Policy:
    """The registered policy `name`. Raises ValueError for an unknown one."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown policy {name!r}") from None
