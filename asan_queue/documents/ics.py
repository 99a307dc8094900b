"""iCalendar (.ics) file for a booked appointment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

PRODID = "-//ASAN Queue//EN"
REMINDER_BEFORE = timedelta(hours=1)
VTIMEZONE_SPAN = timedelta(days=366)


def appointment_ics(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    tzid: str,
    summary: str,
    location: str,
    description: str,
    url: str,
    now: datetime,
) -> bytes:
    """Return a METHOD:PUBLISH calendar with one event and a reminder an hour before.

    Start and end are written in the center's local time with a TZID and a matching
    VTIMEZONE, so calendars show the slot at the center's wall-clock time even when the
    visitor's phone is set to another zone. `uid` must stay the same across reschedules
    so that importing the new file updates the old event.

    Raises ValueError if a datetime is naive, and ZoneInfoNotFoundError for an unknown tzid.
    """
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at), ("now", now)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
    zone = ZoneInfo(tzid)

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("url", url)

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # The default range (1970-2038) would list every historic offset change of the zone;
    # a year either side of the appointment is all a calendar needs to interpret it.
    calendar.add_missing_timezones(
        first_date=(starts_at - VTIMEZONE_SPAN).date(),
        last_date=(ends_at + VTIMEZONE_SPAN).date(),
    )
    ical: bytes = calendar.to_ical()
    return ical
