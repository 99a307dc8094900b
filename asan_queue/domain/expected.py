"""Arrivals the ETA projection expects in the coming hour: people not in the hall yet whom
the policy may call before a ticket that is (domain.queue.Expected). Pure.

- Bookings due: each booking not checked in whose slot starts within the hour (or started
  and may still check in) is expected at its slot's start, counting for the share of the
  day's bookings that have come so far (the plan's show rate before any is known).
- Priority citizens: the rate at which a service saw them over the last hour, spread over
  the coming hour in steps of a few minutes (a fluid estimate: a step counts for the
  expected number of arrivals in it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .policy import Waiting
from .queue import EXPECTED_BASE, Expected

HORIZON_MINUTES = 60
# ASAN reports about 29% of bookings missed; a day's own figure replaces it as it comes in.
SHOW_RATE = 0.71
PRIOR_BOOKINGS = 5  # the prior show rate counts as this many bookings
PRIORITY_WINDOW_MINUTES = 60  # the rate of priority arrivals is measured over the last hour
PRIORITY_MIN_WINDOW = 15  # and not at all in the first quarter hour of a day
PRIORITY_STEP_MINUTES = 15


@dataclass(frozen=True, slots=True)
class BookingRow:
    service_id: int
    target_wait_minutes: int
    starts_at: datetime
    status: str  # booked | checked_in | no_show | cancelled


def show_rate(rows: Iterable[BookingRow], now: datetime, after_minutes: int) -> float:
    """The share of today's bookings whose check-in has closed that came, with the prior."""
    came = total = 0
    for r in rows:
        if r.status == "cancelled" or r.starts_at + timedelta(minutes=after_minutes) >= now:
            continue
        total += 1
        came += r.status == "checked_in"
    return (came + SHOW_RATE * PRIOR_BOOKINGS) / (total + PRIOR_BOOKINGS)


def expected_arrivals(
    bookings: Iterable[BookingRow],
    priority_counts: Mapping[int, int],
    targets: Mapping[int, int],
    *,
    now: datetime,
    opened_at: datetime | None,
    checkin_after_minutes: int,
) -> list[Expected]:
    """The expected arrivals of the coming hour. `priority_counts` are the priority tickets
    issued per service since max(opened_at, now - PRIORITY_WINDOW_MINUTES)."""
    rows = list(bookings)
    rate = show_rate(rows, now, checkin_after_minutes)
    horizon = now + timedelta(minutes=HORIZON_MINUTES)
    out: list[Expected] = []

    def add(service_id: int, at: datetime, weight: float, slot: datetime | None) -> None:
        ticket = Waiting(
            EXPECTED_BASE + len(out),
            "",
            service_id,
            at,
            targets.get(service_id, 15),
            priority=None if slot is not None else "expected",
            slot_start=slot,
        )
        out.append(Expected(ticket, weight))

    for r in rows:
        lapses = r.starts_at + timedelta(minutes=checkin_after_minutes)
        if r.status == "booked" and lapses >= now and r.starts_at <= horizon:
            add(r.service_id, max(r.starts_at, now), rate, r.starts_at)
    window = _window(now, opened_at)
    if window is None:
        return out
    steps = HORIZON_MINUTES // PRIORITY_STEP_MINUTES
    for service_id, count in sorted(priority_counts.items()):
        if count <= 0:
            continue
        per_step = count / window * PRIORITY_STEP_MINUTES
        for k in range(steps):
            at = now + timedelta(minutes=(k + 0.5) * PRIORITY_STEP_MINUTES)
            add(service_id, at, per_step, None)
    return out


def _window(now: datetime, opened_at: datetime | None) -> float | None:
    """Minutes over which the priority rate is measured (None: too early to tell)."""
    if opened_at is None or opened_at > now:
        return None
    minutes = min((now - opened_at).total_seconds() / 60, PRIORITY_WINDOW_MINUTES)
    return minutes if minutes >= PRIORITY_MIN_WINDOW else None


def priority_since(now: datetime, opened_at: datetime | None) -> datetime:
    """Since when priority tickets are counted for the rate."""
    start = now - timedelta(minutes=PRIORITY_WINDOW_MINUTES)
    return max(start, opened_at) if opened_at is not None else start
