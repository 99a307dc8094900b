from datetime import UTC, date, datetime

import pytest

from asan_queue.domain.numbering import format_number, local_day


def test_number_format_pads_to_three_digits_and_keeps_growing():
    assert format_number("P", 17) == "P017"
    assert format_number("A", 1) == "A001"
    assert format_number("A", 1000) == "A1000"
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_local_day_changes_at_baku_midnight_not_utc_midnight():
    # 19:59 UTC is 23:59 in Baku (UTC+4, no DST); 20:00 UTC is the next local day.
    assert local_day(datetime(2026, 11, 29, 19, 59, tzinfo=UTC), "Asia/Baku") == date(2026, 11, 29)
    assert local_day(datetime(2026, 11, 29, 20, 0, tzinfo=UTC), "Asia/Baku") == date(2026, 11, 30)


def test_local_day_refuses_naive_time():
    with pytest.raises(ValueError):
        local_day(datetime(2026, 11, 29, 12), "Asia/Baku")
