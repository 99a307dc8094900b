"""Read side of a center's opening hours: is it open now, if not why, and when it opens next
(the kiosk shows it; walk-in issuing refuses with it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..models import Center

# Why a center does not take walk-in tickets right now.
HOLIDAY = "holiday"  # a closed day (public holiday): `note` holds its name
DAY_OFF = "day_off"  # no opening period on this weekday
BEFORE_OPENING = "before_opening"
BREAK = "break"  # between two periods of the day (lunch)
AFTER_CLOSING = "after_closing"


@dataclass(frozen=True)
class HoursToday:
    """The center's local day as the kiosk needs it."""

    open_now: bool
    closed_reason: str | None
    periods: list[tuple[time, time]]
    opens_at: time | None = None  # the next opening later today, if any
    note: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Primitives for GET /api/v1/centers/<slug> (times as local "HH:MM")."""
        return {
            "open_now": self.open_now,
            "closed_reason": self.closed_reason,
            "closed_note": self.note or None,
            "opens_at": _hhmm(self.opens_at) if self.opens_at else None,
            "hours_today": [{"opens": _hhmm(a), "closes": _hhmm(b)} for a, b in self.periods],
        }


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def hours_today(center: Center, now: datetime) -> HoursToday:
    """Whether `center` is open at `now` (aware), in the center's own timezone.

    A closed day wins over the weekly hours; otherwise the weekday's periods decide, and a
    gap between two periods is a break. Raises ValueError for a naive `now`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(ZoneInfo(center.timezone))
    today, clock = local.date(), local.time().replace(tzinfo=None)
    periods = sorted((p.opens, p.closes) for p in center.hours if p.weekday == local.weekday())
    closed = next((d for d in center.closed_days if d.day == today), None)
    if closed is not None:
        return HoursToday(False, HOLIDAY, [], note=dict(closed.reason or {}))
    if not periods:
        return HoursToday(False, DAY_OFF, [])
    if any(opens <= clock < closes for opens, closes in periods):
        return HoursToday(True, None, periods)
    later = [opens for opens, _ in periods if opens > clock]
    if not later:
        return HoursToday(False, AFTER_CLOSING, periods)
    reason = BEFORE_OPENING if clock < periods[0][0] else BREAK
    return HoursToday(False, reason, periods, opens_at=later[0])


def next_opening(center: Center, now: datetime, horizon_days: int = 14) -> datetime | None:
    """The next instant after `now` at which one of the center's opening periods begins,
    skipping closed days (None when none within `horizon_days`)."""
    zone = ZoneInfo(center.timezone)
    start = now.astimezone(zone).date()
    closed = {d.day for d in center.closed_days}
    for offset in range(horizon_days + 1):
        day = start + timedelta(days=offset)
        if day in closed:
            continue
        for opens in sorted(p.opens for p in center.hours if p.weekday == day.weekday()):
            at = datetime.combine(day, opens, tzinfo=zone)
            if at > now:
                return at
    return None
