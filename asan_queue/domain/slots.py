"""Bookable slots: weekly opening periods minus breaks and closed days, cut into slots.

Pure: the caller passes the center's hours, closed days, the service's rules, `now` and the
timezone; every slot comes back with its start and end in UTC (and local, for display)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """One open stretch of a weekday (0 = Monday); a break is the gap between two."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class SlotRules:
    slot_minutes: int
    seats: int
    horizon_days: int
    min_notice_minutes: int


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    local_start: datetime  # the center's wall-clock time


def last_bookable_day(now: datetime, rules: SlotRules, timezone: str) -> date:
    """The last local day inside the booking horizon (today + horizon_days)."""
    return now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=rules.horizon_days)


def earliest_start(now: datetime, rules: SlotRules) -> datetime:
    """No slot may start before now + the minimum notice."""
    return now + timedelta(minutes=rules.min_notice_minutes)


def day_slots(
    day: date,
    periods: Iterable[Period],
    closed: Iterable[date],
    rules: SlotRules,
    *,
    now: datetime,
    timezone: str,
) -> list[Slot]:
    """The bookable slots of local `day`, earliest first.

    None on a closed day, past the horizon or before today; a slot must fit whole inside
    one opening period (so none straddles a break or closing time) and start no earlier than
    now + notice. Times are built in the center's zone and converted to UTC, so a zone with
    daylight saving would shift correctly (Asia/Baku has none since 2016)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if rules.slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    if day < today or day > last_bookable_day(now, rules, timezone) or day in set(closed):
        return []
    step = timedelta(minutes=rules.slot_minutes)
    earliest = earliest_start(now, rules)
    out: list[Slot] = []
    todays = sorted((p for p in periods if p.weekday == day.weekday()), key=lambda p: p.opens)
    for period in todays:
        start = datetime.combine(day, period.opens, tzinfo=zone)
        closes = datetime.combine(day, period.closes, tzinfo=zone)
        while start + step <= closes:
            utc_start = start.astimezone(UTC)
            if utc_start >= earliest:
                out.append(Slot(utc_start, (start + step).astimezone(UTC), start))
            start += step
    return out


def find_slot(
    start: datetime,
    periods: Iterable[Period],
    closed: Iterable[date],
    rules: SlotRules,
    *,
    now: datetime,
    timezone: str,
) -> Slot | None:
    """The slot starting exactly at `start` (aware), if it is bookable now; else None."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    day = start.astimezone(ZoneInfo(timezone)).date()
    wanted = start.astimezone(UTC)
    for slot in day_slots(day, periods, closed, rules, now=now, timezone=timezone):
        if slot.starts_at == wanted:
            return slot
    return None


def validate_periods(periods: Iterable[Period]) -> list[Period]:
    """Sorted periods; raises ValueError for a bad weekday, an empty or overlapping period."""
    ordered = sorted(periods, key=lambda p: (p.weekday, p.opens))
    for i, p in enumerate(ordered):
        if not 0 <= p.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {p.weekday}")
        if p.opens >= p.closes:
            raise ValueError(f"a period must open before it closes ({p.opens}-{p.closes})")
        if i and ordered[i - 1].weekday == p.weekday and ordered[i - 1].closes > p.opens:
            raise ValueError(f"periods overlap on weekday {p.weekday} at {p.opens}")
    return ordered
