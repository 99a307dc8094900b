"""Booking endpoints: slots, days with room, appointments (book, see, cancel, reschedule,
confirmation PDF and .ics) and the kiosk check-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, jsonify, request

from ...clock import now_utc
from ...domain.errors import ValidationError
from ...domain.slots import Slot
from ...extensions import db, limiter
from ...services import booking as booking_service
from ...services import checkin as checkin_service
from ...services.booking import BookingRequest
from ...services.common import get_center
from ..errors import register_detail_encoder
from ..serialize import ticket_json
from ..uow import unit_of_work
from ..validation import field, json_body, only_fields
from . import bp
from .booking_json import appointment_json, confirmation_bytes, ics_bytes, public_base, slot_json


def _booking_limit() -> str:
    return str(current_app.config.get("RATELIMIT_BOOKING") or "30/minute")


# One budget per client address shared by every public booking POST.
booking_limited = limiter.shared_limit(_booking_limit, scope="booking")


def _reminder() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("NOTIFY_REMINDER_MINUTES", 120)))


# The nearest free slots of a refused booking go into the error body as slots.
register_detail_encoder(Slot, slot_json)


def _day(text: str | None, name: str) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        raise ValidationError(f"{name} must be a date YYYY-MM-DD", code="invalid_date") from None


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


@bp.get("/centers/<slug>/services/<code>/slots")
def service_slots(slug: str, code: str) -> Any:
    center, service = booking_service.bookable_service(db.session, slug, code)
    day = _day(request.args.get("date"), "date")
    free = booking_service.free_slots(db.session, center, service, day, now=now_utc())
    return jsonify(
        center=center.slug,
        service=service.code,
        date=day.isoformat(),
        timezone=center.timezone,
        slot_minutes=service.slot_minutes,
        seats_per_slot=service.seats_per_slot,
        items=[slot_json(f.slot, f.seats_left) for f in free],
    )


@bp.get("/centers/<slug>/services/<code>/days")
def service_days(slug: str, code: str) -> Any:
    center, service = booking_service.bookable_service(db.session, slug, code)
    month = _day(f"{request.args.get('month', '')}-01", "month (YYYY-MM)")
    days = booking_service.days_with_room(db.session, center, service, month, now=now_utc())
    return jsonify(
        center=center.slug,
        service=service.code,
        month=month.strftime("%Y-%m"),
        items=[{"date": d.isoformat(), "slots": n, "free": free} for d, n, free in days],
    )


@bp.post("/appointments")
@booking_limited
def create_appointment() -> Any:
    data = json_body()
    only_fields(data, {"center", "service", "start", "name", "phone", "email", "lang"})
    slug = field(data, "center", str, required=True, max_len=40)
    start = field(data, "start", str, required=True, max_len=40)
    req = BookingRequest(
        center=slug,
        service=field(data, "service", str, required=True, max_len=40),
        start=_start(start, lambda: get_center(db.session, slug).timezone),
        name=field(data, "name", str, required=True, max_len=120),
        phone=field(data, "phone", str, max_len=30) or None,
        email=field(data, "email", str, max_len=200) or None,
        lang=field(data, "lang", str, max_len=2) or "az",
    )
    appointment = booking_service.book(
        unit_of_work(), req, now=now_utc(), public_base=public_base(), reminder_before=_reminder()
    )
    response = jsonify(appointment_json(appointment))
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/appointments/{appointment.token}"
    return response


@bp.get("/appointments/<token>")
def get_appointment(token: str) -> Any:
    appointment = booking_service.get_appointment(db.session, token)
    return jsonify(appointment_json(appointment))


@bp.post("/appointments/<token>/cancel")
@booking_limited
def cancel_appointment(token: str) -> Any:
    json_body(allow_empty=True)
    appointment = booking_service.cancel(unit_of_work(), token, now=now_utc())
    return jsonify(appointment_json(appointment))


@bp.post("/appointments/<token>/reschedule")
@booking_limited
def reschedule_appointment(token: str) -> Any:
    data = json_body()
    only_fields(data, {"start"})
    appointment = booking_service.get_appointment(db.session, token)
    start = _start(
        field(data, "start", str, required=True, max_len=40), lambda: appointment.center.timezone
    )
    appointment = booking_service.reschedule(
        unit_of_work(),
        token,
        start,
        now=now_utc(),
        public_base=public_base(),
        reminder_before=_reminder(),
    )
    return jsonify(appointment_json(appointment))


def _lang(default: str) -> str:
    lang = request.args.get("lang") or default
    return lang if lang in ("az", "ru", "en") else default


@bp.get("/appointments/<token>/confirmation.pdf")
def appointment_pdf(token: str) -> Any:
    appointment = booking_service.get_appointment(db.session, token)
    pdf = confirmation_bytes(appointment, _lang(appointment.lang))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="booking-{appointment.code}.pdf"'},
    )


@bp.get("/appointments/<token>/confirmation.ics")
def appointment_ics(token: str) -> Any:
    appointment = booking_service.get_appointment(db.session, token)
    body = ics_bytes(appointment, _lang(appointment.lang), now_utc())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="booking-{appointment.code}.ics"'},
    )


@bp.post("/centers/<slug>/check-in")
def check_in(slug: str) -> Any:
    data = json_body()
    only_fields(data, {"code"})
    code = field(data, "code", str, required=True, max_len=40)
    now = now_utc()
    ticket = checkin_service.check_in(unit_of_work(), slug, code, now=now)
    response = jsonify(ticket_json(db.session, ticket, now))
    response.status_code = 201
    response.headers["Location"] = f"/api/v1/tickets/{ticket.token}"
    return response


from . import booking_admin, booking_openapi  # noqa: E402,F401  (routes register on import)
