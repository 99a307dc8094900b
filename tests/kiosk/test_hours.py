"""Opening hours as the kiosk sees them: GET /api/v1/centers/<slug> open_now and why not."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from asan_queue.models import ClosedDay, OpeningPeriod
from asan_queue.services.hours import hours_today


def at_baku(hour: int, minute: int = 0, day: int = 30) -> datetime:
    # 2026-11-30 is a Monday; Baku is UTC+4 all year.
    return datetime(2026, 11, day, hour - 4, minute, tzinfo=UTC)


@pytest.fixture
def center(world, session):
    # Monday with a lunch break: 09:00-13:00 and 14:00-18:00.
    c = world.center
    c.hours[:] = [
        OpeningPeriod(weekday=0, opens=time(9), closes=time(13)),
        OpeningPeriod(weekday=0, opens=time(14), closes=time(18)),
    ]
    session.commit()
    return c


@pytest.mark.parametrize(
    ("hour", "minute", "open_now", "reason", "opens_at"),
    [
        (8, 59, False, "before_opening", time(9)),
        (9, 0, True, None, None),
        (12, 59, True, None, None),
        (13, 30, False, "break", time(14)),
        (17, 59, True, None, None),
        (18, 0, False, "after_closing", None),
    ],
)
def test_hours_of_a_working_day(center, hour, minute, open_now, reason, opens_at):
    state = hours_today(center, at_baku(hour, minute))
    assert (state.open_now, state.closed_reason, state.opens_at) == (open_now, reason, opens_at)
    assert state.periods == [(time(9), time(13)), (time(14), time(18))]


def test_a_weekday_without_hours_is_a_day_off(center):
    sunday = datetime(2026, 11, 29, 8, tzinfo=UTC)
    state = hours_today(center, sunday)
    assert (state.open_now, state.closed_reason, state.periods) == (False, "day_off", [])


def test_a_closed_day_wins_and_carries_its_name(center, session):
    reason = {"az": "Zəfər günü", "ru": "День Победы", "en": "Victory Day"}
    center.closed_days.append(ClosedDay(day=date(2026, 11, 30), reason=reason))
    session.commit()
    state = hours_today(center, at_baku(11))
    assert (state.open_now, state.closed_reason, state.note) == (False, "holiday", reason)


def test_local_day_is_the_centers_not_utcs(center):
    # 23:30 UTC on Sunday is already Monday 03:30 in Baku: Monday's hours apply.
    state = hours_today(center, datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    assert state.closed_reason == "before_opening"


def test_naive_now_is_refused(center):
    with pytest.raises(ValueError):
        hours_today(center, datetime(2026, 11, 30, 10))


def test_center_detail_exposes_hours(client, center, clock):
    clock.now = at_baku(13, 15)
    body = client.get("/api/v1/centers/test-1").get_json()
    assert body["open_now"] is False
    assert body["closed_reason"] == "break"
    assert body["opens_at"] == "14:00"
    assert body["hours_today"] == [
        {"opens": "09:00", "closes": "13:00"},
        {"opens": "14:00", "closes": "18:00"},
    ]
    clock.now = at_baku(10)
    body = client.get("/api/v1/centers/test-1").get_json()
    assert (body["open_now"], body["closed_reason"], body["closed_note"]) == (True, None, None)
