"""Calendar file for an appointment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Alarm, Calendar

from asan_queue.documents import appointment_ics

START = datetime(2026, 12, 3, 6, 30, tzinfo=UTC)
END = START + timedelta(minutes=15)
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def make_ics(**overrides: object) -> bytes:
    arguments: dict[str, object] = {
        "uid": "Zk81bQxW3nP0aLr9@queue.example.az",
        "starts_at": START,
        "ends_at": END,
        "tzid": "Asia/Baku",
        "summary": "Şəxsiyyət vəsiqəsinin verilməsi",
        "location": 'Gəncə "ASAN xidmət" mərkəzi, Atatürk prospekti 1',
        "description": "Kod: K7M-4QX\nVaxtdan 30 dəqiqə əvvəl gəlməyin.",
        "url": "https://queue.example.az/book/manage/Zk81bQxW3nP0aLr9",
        "now": NOW,
    }
    arguments.update(overrides)
    return appointment_ics(**arguments)  # type: ignore[arg-type]


def zone_name(moment: datetime) -> str | None:
    key = getattr(moment.tzinfo, "key", None)
    return key if isinstance(key, str) else None


def test_round_trips_one_event_in_center_local_time() -> None:
    raw = make_ics()
    calendar = Calendar.from_ical(raw)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]) == "-//ASAN Queue//EN"
    (event,) = calendar.events
    start, end = event.start, event.end
    assert isinstance(start, datetime) and isinstance(end, datetime)
    assert zone_name(start) == "Asia/Baku"
    assert start.astimezone(UTC) == START
    assert end.astimezone(UTC) == END
    assert event.uid == "Zk81bQxW3nP0aLr9@queue.example.az"
    assert str(event["SUMMARY"]) == "Şəxsiyyət vəsiqəsinin verilməsi"
    assert str(event["LOCATION"]) == 'Gəncə "ASAN xidmət" mərkəzi, Atatürk prospekti 1'
    assert event.DTSTAMP == NOW
    # Baku is UTC+4: the wall-clock time a visitor expects to see.
    assert b"DTSTART;TZID=Asia/Baku:20261203T103000" in raw


def test_includes_the_vtimezone_it_references() -> None:
    calendar = Calendar.from_ical(make_ics())
    (zone,) = calendar.timezones
    assert zone.tz_name == "Asia/Baku"
    assert calendar.get_missing_tzids() == set()


def test_reminds_one_hour_before() -> None:
    (event,) = Calendar.from_ical(make_ics()).events
    (alarm,) = [part for part in event.subcomponents if isinstance(part, Alarm)]
    assert alarm.ACTION == "DISPLAY"
    assert alarm.TRIGGER == timedelta(hours=-1)


def test_start_in_another_zone_is_converted_to_the_center_zone() -> None:
    berlin_start = START.astimezone(ZoneInfo("Europe/Berlin"))
    calendar = Calendar.from_ical(make_ics(starts_at=berlin_start))
    (event,) = calendar.events
    assert isinstance(event.start, datetime)
    assert zone_name(event.start) == "Asia/Baku"
    assert event.start == START


@pytest.mark.parametrize("name", ["starts_at", "ends_at", "now"])
def test_naive_datetimes_are_rejected(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        make_ics(**{name: datetime(2026, 12, 3, 10, 30)})
