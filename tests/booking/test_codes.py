"""Booking codes and the check-in window (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asan_queue.domain.booking import (
    ALPHABET,
    Arrival,
    backoff_seconds,
    checkin_window,
    new_code,
    normalise_code,
)


def test_codes_use_only_unambiguous_characters_and_read_as_xxx_xxx() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 7 and code[3] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)


def test_code_is_normalised_from_what_people_type() -> None:
    assert normalise_code("k7m-4qx") == "K7M-4QX"
    assert normalise_code(" K7M 4QX ") == "K7M-4QX"
    assert normalise_code("K7M4QX") == "K7M-4QX"
    assert normalise_code("K7M-4Q") is None
    assert normalise_code("K0M-4QX") is None  # 0 is never in a code
    assert normalise_code("") is None


def test_window_edges_are_inside() -> None:
    start = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    window = checkin_window(start, 30, 10)
    assert window.judge(start - timedelta(minutes=30, seconds=1)) == Arrival.EARLY
    assert window.judge(start - timedelta(minutes=30)) == Arrival.ON_TIME
    assert window.judge(start + timedelta(minutes=10)) == Arrival.ON_TIME
    assert window.judge(start + timedelta(minutes=10, seconds=1)) == Arrival.LAPSED


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(50) == 3600
