"""Online booking use cases: free slots, book, cancel, reschedule.

Seats are counted in slot_bookings and taken with one conditional upsert
(`... ON CONFLICT DO UPDATE SET booked = booked + 1 WHERE booked < seats RETURNING`), so of
many requests for the last seat exactly one gets a row back, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.booking import AppointmentStatus, new_code
from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.slots import Period, Slot, SlotRules, day_slots, find_slot, last_bookable_day
from ..models import Appointment, Center, Service, SlotBooking
from .common import check_lang, get_center, get_service, new_token, require_aware
from .notifications import cancel_pending, notify_booking
from .phones import normalise_phone
from .uow import UnitOfWork

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
NEAREST = 3
NEAREST_DAYS = 7
MESSAGE_KINDS = ("booking_confirmation", "booking_reminder")


class BookingConflict(Conflict):
    """A 409 whose details carry booking objects for the error body (nearest free slots, the
    ticket of an earlier check-in, when to come back)."""

    def __init__(self, message: str, *, code: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code, details=extra)


@dataclass(frozen=True)
class FreeSlot:
    slot: Slot
    seats_left: int


@dataclass(frozen=True)
class BookingRequest:
    center: str
    service: str
    start: datetime
    name: str
    phone: str | None = None
    email: str | None = None
    lang: str = "az"


def rules_of(service: Service) -> SlotRules:
    return SlotRules(
        slot_minutes=service.slot_minutes,
        seats=service.seats_per_slot,
        horizon_days=service.horizon_days,
        min_notice_minutes=service.min_notice_minutes,
    )


def periods_of(center: Center) -> list[Period]:
    return [Period(p.weekday, p.opens, p.closes) for p in center.hours]


def closed_days_of(center: Center) -> set[date]:
    return {c.day for c in center.closed_days}


def bookable_service(session: Session, center_slug: str, code: str) -> tuple[Center, Service]:
    """Raises NotFound for an unknown center/service and Conflict when it is not bookable."""
    center = get_center(session, center_slug)
    service = get_service(session, center, code)
    if not service.bookable:
        raise Conflict("this service cannot be booked online", code="service_not_bookable")
    return center, service


def _booked(session: Session, service: Service, start: datetime, end: datetime) -> dict[Any, int]:
    rows = session.execute(
        select(SlotBooking.starts_at, SlotBooking.booked).where(
            SlotBooking.service_id == service.id,
            SlotBooking.starts_at >= start,
            SlotBooking.starts_at < end,
        )
    ).all()
    return {starts_at: booked for starts_at, booked in rows}


def free_slots(
    session: Session, center: Center, service: Service, day: date, *, now: datetime
) -> list[FreeSlot]:
    """Every slot of the local `day` with the seats still free (0 when full)."""
    slots = day_slots(
        day,
        periods_of(center),
        closed_days_of(center),
        rules_of(service),
        now=now,
        timezone=center.timezone,
    )
    if not slots:
        return []
    taken = _booked(session, service, slots[0].starts_at, slots[-1].ends_at)
    seats = service.seats_per_slot
    return [FreeSlot(s, max(seats - taken.get(s.starts_at, 0), 0)) for s in slots]


def days_with_room(
    session: Session, center: Center, service: Service, month: date, *, now: datetime
) -> list[tuple[date, int, int]]:
    """(day, slots, free seats) for each day of the month of `month` that has slots."""
    zone = ZoneInfo(center.timezone)
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    periods, closed, rules = periods_of(center), closed_days_of(center), rules_of(service)
    today = now.astimezone(zone).date()
    last = min(after - timedelta(days=1), last_bookable_day(now, rules, center.timezone))
    start_day = max(first, today)
    if start_day > last:
        return []
    lo = datetime.combine(start_day, datetime.min.time(), tzinfo=zone)
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    taken = _booked(session, service, lo, hi)
    out = []
    day = start_day
    while day <= last:
        slots = day_slots(day, periods, closed, rules, now=now, timezone=center.timezone)
        if slots:
            free = sum(max(rules.seats - taken.get(s.starts_at, 0), 0) for s in slots)
            out.append((day, len(slots), free))
        day += timedelta(days=1)
    return out


def nearest_free(
    session: Session, center: Center, service: Service, wanted: datetime, *, now: datetime
) -> list[Slot]:
    """Up to three free slots closest in time to `wanted`, looking a week ahead of it."""
    zone = ZoneInfo(center.timezone)
    day = max(wanted.astimezone(zone).date(), now.astimezone(zone).date())
    found: list[Slot] = []
    for offset in range(NEAREST_DAYS + 1):
        found += [
            f.slot
            for f in free_slots(session, center, service, day + timedelta(days=offset), now=now)
            if f.seats_left > 0
        ]
        if len(found) >= NEAREST and offset:
            break
    found.sort(key=lambda s: (abs((s.starts_at - wanted).total_seconds()), s.starts_at))
    return sorted(found[:NEAREST], key=lambda s: s.starts_at)


def _take_seat(session: Session, service: Service, starts_at: datetime) -> bool:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(SlotBooking)
        .values(service_id=service.id, starts_at=starts_at, booked=1)
        .on_conflict_do_update(
            index_elements=["service_id", "starts_at"],
            set_={"booked": SlotBooking.booked + 1},
            where=SlotBooking.booked < service.seats_per_slot,
        )
        .returning(SlotBooking.booked)
    )
    return session.execute(stmt).first() is not None


def _release_seat(session: Session, service_id: int, starts_at: datetime) -> None:
    session.execute(
        update(SlotBooking)
        .where(
            SlotBooking.service_id == service_id,
            SlotBooking.starts_at == starts_at,
            SlotBooking.booked > 0,
        )
        .values(booked=SlotBooking.booked - 1)
        .execution_options(synchronize_session=False)
    )


def _slot_or_conflict(
    session: Session, center: Center, service: Service, start: datetime, now: datetime
) -> Slot:
    slot = find_slot(
        start,
        periods_of(center),
        closed_days_of(center),
        rules_of(service),
        now=now,
        timezone=center.timezone,
    )
    if slot is None:
        raise BookingConflict(
            "this time cannot be booked (outside opening hours, too soon, or too far ahead)",
            code="slot_unavailable",
            extra={"nearest": nearest_free(session, center, service, start, now=now)},
        )
    if not _take_seat(session, service, slot.starts_at):
        raise BookingConflict(
            "this time has just been taken; please choose another",
            code="slot_full",
            extra={"nearest": nearest_free(session, center, service, start, now=now)},
        )
    return slot


def _check_person(req: BookingRequest) -> tuple[str, str | None, str | None]:
    name = " ".join(req.name.split())
    if not 2 <= len(name) <= 120:
        raise ValidationError("the name must be 2-120 characters", code="invalid_name")
    phone = normalise_phone(req.phone) if req.phone else None
    email = req.email.strip() if req.email else None
    if email and (len(email) > 200 or not EMAIL_RE.match(email)):
        raise ValidationError("not a valid email address", code="invalid_email")
    return name, phone, email


def _check_phone_limit(session: Session, service: Service, phone: str, now: datetime) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Two bookings with one phone at the same instant must not both pass the count below:
        # serialise them on a transaction-scoped lock per (service, phone). SQLite already
        # serialises every write transaction (BEGIN IMMEDIATE).
        session.execute(
            text("SELECT pg_advisory_xact_lock(:service_id, hashtext(:phone))"),
            {"service_id": service.id, "phone": phone},
        )
    held = session.scalar(
        select(func.count()).where(
            Appointment.service_id == service.id,
            Appointment.phone == phone,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > now,
        )
    )
    if (held or 0) >= service.max_bookings_per_phone:
        raise Conflict(
            f"this phone number already holds {held} upcoming booking(s) for this service, "
            f"the most allowed; cancel one to book another",
            code="too_many_bookings",
            details={"limit": service.max_bookings_per_phone},
        )


def _unique_code(session: Session) -> str:
    for _ in range(10):
        code = new_code()
        if session.scalar(select(Appointment.id).where(Appointment.code == code)) is None:
            return code
    raise RuntimeError("could not find a free booking code")  # 1 in 10^80 with few bookings


def manage_url(public_base: str, appointment: Appointment) -> str:
    return f"{public_base.rstrip('/')}/book/manage/{appointment.token}"


def book(
    uow: UnitOfWork,
    req: BookingRequest,
    *,
    now: datetime,
    public_base: str,
    reminder_before: timedelta,
) -> Appointment:
    """Book one seat of a slot and queue the confirmation and reminder messages.

    Raises NotFound (center/service), ValidationError (name, phone, email, lang),
    Conflict (not bookable, too_many_bookings) and BookingConflict (slot_unavailable,
    slot_full; both with the nearest free slots)."""
    require_aware(now)
    lang = check_lang(req.lang)
    name, phone, email = _check_person(req)
    with uow:
        session = uow.session
        center, service = bookable_service(session, req.center, req.service)
        if phone:
            _check_phone_limit(session, service, phone, now)
        slot = _slot_or_conflict(session, center, service, req.start, now)
        appointment = Appointment(
            code=_unique_code(session),
            token=new_token(),
            center=center,
            service=service,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            status=AppointmentStatus.BOOKED,
            name=name,
            phone=phone,
            email=email,
            lang=lang,
            created_at=now,
        )
        session.add(appointment)
        session.flush()
        notify_booking(
            session,
            appointment,
            now=now,
            manage_url=manage_url(public_base, appointment),
            reminder_before=reminder_before,
        )
    return appointment


def get_appointment(session: Session, token: str, *, for_update: bool = False) -> Appointment:
    stmt = select(Appointment).where(Appointment.token == token)
    if for_update:
        stmt = stmt.with_for_update()
    appointment = session.scalar(stmt)
    if appointment is None:
        raise NotFound("no such booking", code="booking_not_found")
    return appointment


def _still_booked(appointment: Appointment, now: datetime) -> None:
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Conflict("this booking has been cancelled", code="booking_cancelled")
    if appointment.status == AppointmentStatus.CHECKED_IN:
        raise Conflict("you have already checked in for this booking", code="already_checked_in")
    if appointment.status == AppointmentStatus.NO_SHOW or appointment.starts_at <= now:
        raise Conflict("this booking's time has passed", code="booking_past")


def cancel(uow: UnitOfWork, token: str, *, now: datetime) -> Appointment:
    """Cancel an upcoming booking and free its seat. Raises NotFound, Conflict
    (booking_cancelled, already_checked_in, booking_past)."""
    require_aware(now)
    with uow:
        session = uow.session
        appointment = get_appointment(session, token, for_update=True)
        _still_booked(appointment, now)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        _release_seat(session, appointment.service_id, appointment.starts_at)
        cancel_pending(session, appointment_id=appointment.id, kinds=MESSAGE_KINDS)
    return appointment


def reschedule(
    uow: UnitOfWork,
    token: str,
    start: datetime,
    *,
    now: datetime,
    public_base: str,
    reminder_before: timedelta,
) -> Appointment:
    """Move an upcoming booking to another free slot of the same service, keeping its code
    and link; the old seat is freed in the same transaction. Raises NotFound, Conflict,
    BookingConflict (slot_unavailable, slot_full)."""
    require_aware(now)
    with uow:
        session = uow.session
        appointment = get_appointment(session, token, for_update=True)
        _still_booked(appointment, now)
        if appointment.starts_at == start:
            return appointment
        center, service = appointment.center, appointment.service
        slot = _slot_or_conflict(session, center, service, start, now)
        _release_seat(session, service.id, appointment.starts_at)
        appointment.starts_at, appointment.ends_at = slot.starts_at, slot.ends_at
        cancel_pending(session, appointment_id=appointment.id, kinds=MESSAGE_KINDS)
        notify_booking(
            session,
            appointment,
            now=now,
            manage_url=manage_url(public_base, appointment),
            reminder_before=reminder_before,
        )
    return appointment
