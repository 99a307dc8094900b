"""Call-next policy: which waiting ticket a counter gets, and why (the fair-queue audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    number: str
    queued_at: datetime
    target_wait_minutes: int
    priority: str | None = None
    slot_start: datetime | None = None  # booked tickets: their appointment's start


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    reason: str


POLICIES = ("fair", "fifo")


def _overdue(c: Candidate, now: datetime) -> float:
    waited = (now - c.queued_at).total_seconds() / 60
    return waited / max(c.target_wait_minutes, 1)


def rank(candidates: list[Candidate], now: datetime, policy: str = "fair") -> list[Choice]:
    """Order candidates best-first, each with the reason it would be chosen.

    fair: (1) booked tickets whose slot has started, earliest slot first; (2) priority
    citizens by arrival; (3) the most overdue against its service's target wait, ties by
    arrival. fifo: arrival only.
    """
    if policy == "fifo":
        ordered = sorted(candidates, key=lambda c: (c.queued_at, c.ticket_id))
        return [Choice(c.ticket_id, "fifo: earliest arrival") for c in ordered]
    if policy != "fair":
        raise ValueError(f"unknown policy {policy!r}")

    def key(c: Candidate) -> tuple[int, float, float, int]:
        if c.slot_start is not None and c.slot_start <= now:
            return (0, c.slot_start.timestamp(), c.queued_at.timestamp(), c.ticket_id)
        if c.priority:
            return (1, c.queued_at.timestamp(), 0.0, c.ticket_id)
        return (2, -_overdue(c, now), c.queued_at.timestamp(), c.ticket_id)

    out = []
    for c in sorted(candidates, key=key):
        tier = key(c)[0]
        if tier == 0:
            assert c.slot_start is not None
            reason = f"booking: slot started at {c.slot_start.isoformat()}"
        elif tier == 1:
            reason = f"priority: {c.priority}"
        else:
            ratio = _overdue(c, now)
            waited = int((now - c.queued_at).total_seconds() // 60)
            reason = (
                f"most overdue: waited {waited} min of target {c.target_wait_minutes} "
                f"({ratio:.2f}x)"
            )
        out.append(Choice(c.ticket_id, reason))
    return out
