"""Arrival of a booked citizen (kiosk check-in) and close-of-day no-shows (the purge of
personal data is services/retention.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.booking import AppointmentStatus, Arrival, checkin_window, normalise_code
from ..domain.errors import NotFound
from ..domain.events import TicketChanged
from ..models import Appointment, Center, Ticket
from .booking import BookingConflict
from .common import get_center, require_aware
from .queue import queue_model
from .tickets import create_ticket, quote
from .uow import UnitOfWork

NOT_FOUND = "no booking with this code at this center; check the code on your confirmation"


def _find(session: Session, center: Center, raw_code: str) -> Appointment:
    code = normalise_code(raw_code)
    if code is None:
        raise NotFound(NOT_FOUND, code="booking_not_found")
    appointment = session.scalar(
        select(Appointment).where(Appointment.code == code).with_for_update()
    )
    if appointment is None or appointment.center_id != center.id:
        raise NotFound(NOT_FOUND, code="booking_not_found")
    return appointment


def _refuse(session: Session, appointment: Appointment, center: Center, now: datetime) -> None:
    if appointment.status == AppointmentStatus.CANCELLED:
        raise BookingConflict("this booking was cancelled", code="booking_cancelled")
    if appointment.status == AppointmentStatus.CHECKED_IN:
        token = session.scalar(
            select(Ticket.token).where(Ticket.appointment_id == appointment.id).limit(1)
        )
        raise BookingConflict(
            "you have already checked in; your ticket is valid",
            code="already_checked_in",
            extra={"ticket_token": token},
        )
    window = checkin_window(
        appointment.starts_at, center.checkin_before_minutes, center.checkin_after_minutes
    )
    arrival = window.judge(now)
    if arrival == Arrival.EARLY:
        raise BookingConflict(
            f"too early: check-in opens {center.checkin_before_minutes} minutes before your time",
            code="checkin_too_early",
            extra={"come_back_at": window.opens_at.astimezone(ZoneInfo(center.timezone))},
        )
    if arrival == Arrival.LAPSED or appointment.status == AppointmentStatus.NO_SHOW:
        raise BookingConflict(
            f"the booking lapsed: it is more than {center.checkin_after_minutes} minutes "
            f"past your time; you can take a walk-in ticket",
            code="booking_lapsed",
            extra={"service": appointment.service.code},
        )


def check_in(uow: UnitOfWork, center_slug: str, raw_code: str, *, now: datetime) -> Ticket:
    """Turn a booking into a waiting ticket linked to it (marked as booked), inside the
    center's check-in window, quoting its place and ETA as a walk-in's. Raises NotFound
    (center, booking_not_found) and BookingConflict (booking_cancelled, already_checked_in +
    ticket_token, checkin_too_early + come_back_at, booking_lapsed)."""
    require_aware(now)
    with uow:
        session = uow.session
        center = get_center(session, center_slug)
        appointment = _find(session, center, raw_code)
        _refuse(session, appointment, center, now)
        ticket = create_ticket(
            session,
            center,
            appointment.service,
            now=now,
            lang=appointment.lang,
            phone=appointment.phone,
            appointment_id=appointment.id,
            reason=f"check-in of booking {appointment.code}",
        )
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.checked_in_at = now
        quote(ticket, queue_model(session, center, now))
        uow.record(TicketChanged(center.slug, ticket.token, "issue", ticket.id, now))
    return ticket


def mark_no_shows(uow: UnitOfWork, *, now: datetime) -> int:
    """Bookings never checked in whose check-in window has closed become no-show.
    Returns how many."""
    require_aware(now)
    total = 0
    with uow:
        session = uow.session
        for center in session.scalars(select(Center)).all():
            cutoff = now - timedelta(minutes=center.checkin_after_minutes)
            result = session.execute(
                update(Appointment)
                .where(
                    Appointment.center_id == center.id,
                    Appointment.status == AppointmentStatus.BOOKED,
                    Appointment.starts_at < cutoff,
                )
                .values(status=AppointmentStatus.NO_SHOW)
                .execution_options(synchronize_session=False)
            )
            total += result.rowcount  # type: ignore[attr-defined]
    return total
