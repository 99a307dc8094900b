"""Online booking: slots, appointments, check-in; a center's hours and closed days; the
notification outbox (staff)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ..domain.booking import AppointmentStatus
from .base import PHONE_PATTERN, In, Instant, Integer, IsoDate, Localized, Loose, Out, Text, coded
from .tickets import Lang


class Slot(Out):
    start: Instant
    end: Instant
    seats_left: int | None = Field(default=None, ge=0)


class SlotsQuery(Loose):
    date: IsoDate = coded("invalid_date", description="YYYY-MM-DD")


class Slots(Out):
    center: str
    service: str
    date: dt.date
    timezone: str
    slot_minutes: int
    seats_per_slot: int
    items: list[Slot]


class DaysQuery(Loose):
    month: str = coded(
        "invalid_date", pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", description="YYYY-MM"
    )


class Day(Out):
    date: dt.date
    slots: int
    free: int


class Days(Out):
    center: str
    service: str
    month: str
    items: list[Day]


class Book(In):
    center: Text = Field(max_length=40)
    service: Text = Field(max_length=40)
    start: Text = Field(
        max_length=40,
        description="ISO 8601; without an offset, the center's wall-clock time",
        examples=["2026-12-01T10:30:00+04:00"],
    )
    name: Text = Field(max_length=120)
    phone: str | None = coded("invalid_phone", default=None, max_length=30, pattern=PHONE_PATTERN)
    email: str | None = Field(default=None, max_length=200)
    lang: Lang = coded("invalid_lang", default="az")


class Reschedule(In):
    start: Text = Field(max_length=40)


class CheckIn(In):
    code: Text = Field(max_length=40, examples=["K7M-4QX"])


class AppointmentLinks(Out):
    self_: str = Field(alias="self")
    manage: str
    confirmation_pdf: str
    ics: str
    qr_png: str


class Appointment(Out):
    """A booking as its holder sees it (by its unguessable token)."""

    code: str = Field(examples=["K7M-4QX"])
    token: str
    status: AppointmentStatus
    center: str
    center_name: Localized
    address: Localized
    timezone: str
    service: str
    service_name: Localized
    agency: str
    agency_name: Localized
    bring: Localized
    starts_at: Instant
    ends_at: Instant
    checkin_opens_at: Instant
    checkin_closes_at: Instant
    checkin_before_minutes: int
    checkin_after_minutes: int
    name: str
    phone: str | None = Field(description="Masked")
    email: str | None = Field(description="Masked")
    lang: Lang
    ticket_token: str | None = Field(description="The ticket of the check-in, once checked in")
    qr_payload: str
    links: AppointmentLinks


class DocumentQuery(Loose):
    lang: str | None = Field(
        default=None, max_length=5, description="az, ru or en (else the booking's own)"
    )


class HoursPeriod(In):
    weekday: Integer = coded("invalid_hours", ge=0, le=6, description="0 = Monday")
    opens: str = coded("invalid_hours", pattern=r"^\d{2}:\d{2}(:\d{2})?$", examples=["09:00"])
    closes: str = coded("invalid_hours", pattern=r"^\d{2}:\d{2}(:\d{2})?$", examples=["18:00"])


class SetHours(In):
    hours: list[HoursPeriod] = coded("invalid_hours")


class WeeklyPeriod(Out):
    weekday: int
    opens: str
    closes: str


class ClosedDayOut(Out):
    day: dt.date
    reason: Localized


class Hours(Out):
    center: str
    timezone: str
    hours: list[WeeklyPeriod]
    closed_days: list[ClosedDayOut]


class AddClosedDay(In):
    day: str = coded("invalid_date", pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    reason: Localized | str = coded("invalid_reason", default_factory=dict)


NotificationStatus = Literal["pending", "sending", "sent", "logged", "failed", "cancelled"]


class NotificationsQuery(Loose):
    status: NotificationStatus | None = coded("invalid_status", default=None)


class Notification(Out):
    id: int
    kind: str
    channel: str
    recipient: str = Field(description="Masked")
    status: NotificationStatus
    attempts: int
    last_error: str
    created_at: Instant | None
    next_attempt_at: Instant | None
    sent_at: Instant | None


class Notifications(Out):
    items: list[Notification]
