"""Booking endpoints: slots, days with room, appointments (book, see, cancel, reschedule,
confirmation PDF and .ics) and the kiosk check-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Response, current_app

from ...clock import now_utc
from ...domain.errors import ValidationError
from ...domain.slots import Slot
from ...extensions import db
from ...schemas import booking as b
from ...schemas import tickets as t
from ...schemas.base import dump
from ...schemas.paths import AppointmentPath, CenterPath, ServicePath
from ...services import booking as booking_service
from ...services import checkin as checkin_service
from ...services.booking import BookingRequest
from ...services.common import get_center
from ...services.serialize import ticket_json
from .. import limits
from ..contract import KIOSK_KEY_HEADER, Binary, Reply, operation
from ..errors import register_detail_encoder
from ..uow import unit_of_work
from . import bp
from .booking_json import appointment_json, confirmation_bytes, ics_bytes, public_base, slot_json


def _reminder() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("NOTIFY_REMINDER_MINUTES", 120)))


# The nearest free slots of a refused booking go into the error body as slots.
register_detail_encoder(Slot, lambda slot: dump(slot_json(slot)))

APPOINTMENT_LINKS = {
    201: {
        "GetAppointment": {
            "operationId": "get_appointment",
            "parameters": {"token": "$response.body#/token"},
        },
        "CancelAppointment": {
            "operationId": "cancel_appointment",
            "parameters": {"token": "$response.body#/token"},
        },
        "RescheduleAppointment": {
            "operationId": "reschedule_appointment",
            "parameters": {"token": "$response.body#/token"},
        },
        "ConfirmationPdf": {
            "operationId": "appointment_pdf",
            "parameters": {"token": "$response.body#/token"},
        },
        "ConfirmationIcs": {
            "operationId": "appointment_ics",
            "parameters": {"token": "$response.body#/token"},
        },
    }
}


def _start(text: str, timezone: Callable[[], str]) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            "start must be an ISO 8601 date-time, e.g. 2026-12-01T10:30:00+04:00",
            code="invalid_start",
        ) from None
    # A start without offset is the center's wall-clock time (looked up only then).
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(timezone()))


@operation(
    bp,
    "GET",
    "/centers/<slug>/services/<code>/slots",
    summary="A day's slots of a bookable service, with the seats still free",
    tag="booking",
    ok=b.Slots,
    path=ServicePath,
    query=b.SlotsQuery,
    errors=(409,),
)
def service_slots(path: ServicePath, query: b.SlotsQuery) -> b.Slots:
    center, service = booking_service.bookable_service(db.session, path.slug, path.code)
    free = booking_service.free_slots(db.session, center, service, query.date, now=now_utc())
    return b.Slots(
        center=center.slug,
        service=service.code,
        date=query.date,
        timezone=center.timezone,
        slot_minutes=service.slot_minutes,
        seats_per_slot=service.seats_per_slot,
        items=[slot_json(f.slot, f.seats_left) for f in free],
    )


@operation(
    bp,
    "GET",
    "/centers/<slug>/services/<code>/days",
    summary="The days of a month that have slots, with their free seats",
    tag="booking",
    ok=b.Days,
    path=ServicePath,
    query=b.DaysQuery,
    errors=(409,),
)
def service_days(path: ServicePath, query: b.DaysQuery) -> b.Days:
    center, service = booking_service.bookable_service(db.session, path.slug, path.code)
    try:
        month = datetime.strptime(query.month, "%Y-%m").date()
    except ValueError:
        raise ValidationError("month must be YYYY-MM", code="invalid_date") from None
    days = booking_service.days_with_room(db.session, center, service, month, now=now_utc())
    return b.Days(
        center=center.slug,
        service=service.code,
        month=month.strftime("%Y-%m"),
        items=[b.Day(date=d, slots=n, free=free) for d, n, free in days],
    )


@operation(
    bp,
    "POST",
    "/appointments",
    summary="Book a slot (confirmation and reminder by SMS/e-mail)",
    tag="booking",
    ok=b.Appointment,
    status=201,
    body=b.Book,
    errors=(404, 409),
    limit="booking",
    links=APPOINTMENT_LINKS,
)
def create_appointment(body: b.Book) -> Reply:
    req = BookingRequest(
        center=body.center,
        service=body.service,
        start=_start(body.start, lambda: get_center(db.session, body.center).timezone),
        name=body.name,
        phone=body.phone or None,
        email=body.email or None,
        lang=body.lang,
    )
    appointment = booking_service.book(
        unit_of_work(), req, now=now_utc(), public_base=public_base(), reminder_before=_reminder()
    )
    location = f"/api/v1/appointments/{appointment.token}"
    return Reply(appointment_json(appointment), 201, {"Location": location})


@operation(
    bp,
    "GET",
    "/appointments/<token>",
    summary="A booking, by its unguessable token",
    tag="booking",
    ok=b.Appointment,
    path=AppointmentPath,
)
def get_appointment(path: AppointmentPath) -> b.Appointment:
    return appointment_json(booking_service.get_appointment(db.session, path.token))


@operation(
    bp,
    "POST",
    "/appointments/<token>/cancel",
    summary="Cancel an upcoming booking (frees its seat)",
    tag="booking",
    ok=b.Appointment,
    path=AppointmentPath,
    body=t.Empty,
    body_required=False,
    errors=(409,),
    limit="booking",
)
def cancel_appointment(path: AppointmentPath, body: t.Empty) -> b.Appointment:
    appointment = booking_service.cancel(unit_of_work(), path.token, now=now_utc())
    return appointment_json(appointment)


@operation(
    bp,
    "POST",
    "/appointments/<token>/reschedule",
    summary="Move an upcoming booking to another free slot (same code and link)",
    tag="booking",
    ok=b.Appointment,
    path=AppointmentPath,
    body=b.Reschedule,
    errors=(409,),
    limit="booking",
)
def reschedule_appointment(path: AppointmentPath, body: b.Reschedule) -> b.Appointment:
    appointment = booking_service.get_appointment(db.session, path.token)
    start = _start(body.start, lambda: appointment.center.timezone)
    appointment = booking_service.reschedule(
        unit_of_work(),
        path.token,
        start,
        now=now_utc(),
        public_base=public_base(),
        reminder_before=_reminder(),
    )
    return appointment_json(appointment)


def _lang(query: b.DocumentQuery, default: str) -> str:
    return query.lang if query.lang in ("az", "ru", "en") else default


@operation(
    bp,
    "GET",
    "/appointments/<token>/confirmation.pdf",
    summary="The booking's A4 confirmation with its QR code",
    tag="booking",
    ok=Binary("application/pdf", "The confirmation as PDF"),
    path=AppointmentPath,
    query=b.DocumentQuery,
)
def appointment_pdf(path: AppointmentPath, query: b.DocumentQuery) -> Response:
    appointment = booking_service.get_appointment(db.session, path.token)
    pdf = confirmation_bytes(appointment, _lang(query, appointment.lang))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="booking-{appointment.code}.pdf"'},
    )


@operation(
    bp,
    "GET",
    "/appointments/<token>/confirmation.ics",
    summary="The booking as a calendar event (.ics)",
    tag="booking",
    ok=Binary("text/calendar", "An iCalendar file"),
    path=AppointmentPath,
    query=b.DocumentQuery,
)
def appointment_ics(path: AppointmentPath, query: b.DocumentQuery) -> Response:
    appointment = booking_service.get_appointment(db.session, path.token)
    body = ics_bytes(appointment, _lang(query, appointment.lang), now_utc())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="booking-{appointment.code}.ics"'},
    )


@operation(
    bp,
    "POST",
    "/centers/<slug>/check-in",
    summary="Check in a booking at the kiosk (by code or QR): a waiting ticket",
    tag="booking",
    ok=t.Ticket,
    status=201,
    path=CenterPath,
    body=b.CheckIn,
    errors=(409,),
    headers=(KIOSK_KEY_HEADER,),
    limited=True,
)
def check_in(path: CenterPath, body: b.CheckIn) -> Reply:
    limits.take("checkin")
    now = now_utc()
    ticket = checkin_service.check_in(unit_of_work(), path.slug, body.code, now=now)
    location = f"/api/v1/tickets/{ticket.token}"
    return Reply(ticket_json(db.session, ticket, now), 201, {"Location": location})


from . import booking_admin  # noqa: E402,F401  (routes register on import)
