"""Slot generation: hours, breaks, closed days, Asia/Baku without DST, notice, horizon."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from asan_queue.domain.slots import Period, SlotRules, day_slots, find_slot, validate_periods

RULES = SlotRules(slot_minutes=30, seats=1, horizon_days=30, min_notice_minutes=60)
# Ganja-like hours: 09:00-13:00 and 14:00-18:00 on weekdays (a lunch break).
HOURS = [Period(d, time(9), time(13)) for d in range(5)] + [
    Period(d, time(14), time(18)) for d in range(5)
]
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)  # Sunday 12:00 in Baku
MONDAY = date(2026, 11, 30)


def local_times(slots: list) -> list[str]:
    return [s.local_start.strftime("%H:%M") for s in slots]


def test_slots_fill_the_periods_and_skip_the_break() -> None:
    slots = day_slots(MONDAY, HOURS, [], RULES, now=NOW, timezone="Asia/Baku")
    times = local_times(slots)
    assert times[0] == "09:00" and times[-1] == "17:30"
    assert "12:30" in times and "13:00" not in times and "13:30" not in times
    assert "14:00" in times
    assert len(times) == 16


def test_slot_that_would_straddle_closing_time_is_not_offered() -> None:
    hours = [Period(0, time(9), time(10, 45))]
    times = local_times(day_slots(MONDAY, hours, [], RULES, now=NOW, timezone="Asia/Baku"))
    assert times == ["09:00", "09:30", "10:00"]


def test_closed_day_and_weekend_have_no_slots() -> None:
    assert day_slots(MONDAY, HOURS, [MONDAY], RULES, now=NOW, timezone="Asia/Baku") == []
    saturday = date(2026, 12, 5)
    assert day_slots(saturday, HOURS, [], RULES, now=NOW, timezone="Asia/Baku") == []


def test_utc_starts_are_four_hours_behind_baku_all_year() -> None:
    # Azerbaijan abolished daylight saving in 2016: +04:00 in winter and in summer.
    for day, now in (
        (date(2026, 12, 14), datetime(2026, 12, 1, tzinfo=UTC)),
        (date(2026, 7, 13), datetime(2026, 7, 1, tzinfo=UTC)),
        (date(2026, 3, 30), datetime(2026, 3, 23, tzinfo=UTC)),  # after Europe's switch
    ):
        first = day_slots(day, HOURS, [], RULES, now=now, timezone="Asia/Baku")[0]
        assert first.starts_at == datetime.combine(day, time(5), tzinfo=UTC)
        assert first.local_start.utcoffset() == timedelta(hours=4)


def test_minimum_notice_hides_slots_starting_too_soon() -> None:
    now = datetime(2026, 11, 30, 6, 10, tzinfo=UTC)  # Monday 10:10 in Baku
    times = local_times(day_slots(MONDAY, HOURS, [], RULES, now=now, timezone="Asia/Baku"))
    assert times[0] == "11:30"  # 11:10 is the earliest start; 11:00 is inside the notice
    exactly = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # 10:00: 11:00 is exactly the notice
    first = day_slots(MONDAY, HOURS, [], RULES, now=exactly, timezone="Asia/Baku")[0]
    assert first.local_start.strftime("%H:%M") == "11:00"


def test_past_days_and_days_past_the_horizon_have_no_slots() -> None:
    assert day_slots(date(2026, 11, 27), HOURS, [], RULES, now=NOW, timezone="Asia/Baku") == []
    last = date(2026, 11, 29) + timedelta(days=30)  # Tuesday 29 Dec 2026
    assert day_slots(last, HOURS, [], RULES, now=NOW, timezone="Asia/Baku")
    beyond = last + timedelta(days=1)
    assert day_slots(beyond, HOURS, [], RULES, now=NOW, timezone="Asia/Baku") == []


def test_find_slot_accepts_only_aligned_open_starts() -> None:
    ok = datetime(2026, 11, 30, 10, 30, tzinfo=UTC)  # 14:30 Baku
    assert find_slot(ok, HOURS, [], RULES, now=NOW, timezone="Asia/Baku") is not None
    for wrong in (
        datetime(2026, 11, 30, 10, 40, tzinfo=UTC),  # not on the grid
        datetime(2026, 11, 30, 9, 0, tzinfo=UTC),  # 13:00, lunch
        datetime(2026, 11, 30, 14, 0, tzinfo=UTC),  # 18:00, closed
    ):
        assert find_slot(wrong, HOURS, [], RULES, now=NOW, timezone="Asia/Baku") is None


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        day_slots(MONDAY, HOURS, [], RULES, now=datetime(2026, 11, 29), timezone="Asia/Baku")


def test_overlapping_or_empty_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        validate_periods([Period(0, time(9), time(13)), Period(0, time(12), time(15))])
    with pytest.raises(ValueError, match="open before"):
        validate_periods([Period(0, time(13), time(9))])
    with pytest.raises(ValueError, match="weekday"):
        validate_periods([Period(7, time(9), time(13))])
