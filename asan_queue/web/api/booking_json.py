"""Shapes of booking answers and the confirmation documents (PDF, .ics) of an appointment."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request
from sqlalchemy import select

from ...documents import ConfirmationData, ConfirmationLabels, appointment_ics, confirmation_pdf
from ...domain.booking import AppointmentStatus, checkin_window
from ...domain.slots import Slot
from ...extensions import db
from ...i18n import pick, t
from ...models import Appointment, Ticket
from ...schemas import booking as b
from ...services.channels import mask_recipient
from ...services.notifications import local_text


def public_base() -> str:
    """Where citizens reach this server: PUBLIC_URL, else the host of this request."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def slot_json(slot: Slot, seats_left: int | None = None) -> b.Slot:
    zone = slot.local_start.tzinfo
    return b.Slot(start=slot.local_start, end=slot.ends_at.astimezone(zone), seats_left=seats_left)


def qr_payload(appointment: Appointment) -> str:
    """What the confirmation QR encodes (the contract): the manage link with the code."""
    return f"{public_base()}/book/manage/{appointment.token}?code={appointment.code}"


def appointment_links(appointment: Appointment) -> b.AppointmentLinks:
    api = f"/api/v1/appointments/{appointment.token}"
    return b.AppointmentLinks(
        self_=api,
        manage=f"/book/manage/{appointment.token}",
        confirmation_pdf=f"{api}/confirmation.pdf",
        ics=f"{api}/confirmation.ics",
        qr_png=f"/book/manage/{appointment.token}/qr.png",
    )


def appointment_json(appointment: Appointment) -> b.Appointment:
    center, service = appointment.center, appointment.service
    zone = ZoneInfo(center.timezone)
    window = checkin_window(
        appointment.starts_at, center.checkin_before_minutes, center.checkin_after_minutes
    )
    return b.Appointment(
        code=appointment.code,
        token=appointment.token,
        status=AppointmentStatus(appointment.status),
        center=center.slug,
        center_name=center.name,
        address=center.address,
        timezone=center.timezone,
        service=service.code,
        service_name=service.name,
        agency=service.agency.code,
        agency_name=service.agency.name,
        bring=service.bring,
        starts_at=appointment.starts_at.astimezone(zone),
        ends_at=appointment.ends_at.astimezone(zone),
        checkin_opens_at=window.opens_at.astimezone(zone),
        checkin_closes_at=window.closes_at.astimezone(zone),
        checkin_before_minutes=center.checkin_before_minutes,
        checkin_after_minutes=center.checkin_after_minutes,
        name=appointment.name,
        phone=mask_recipient(appointment.phone) if appointment.phone else None,
        email=mask_recipient(appointment.email) if appointment.email else None,
        lang=appointment.lang,  # type: ignore[arg-type]
        ticket_token=session_ticket(appointment),
        qr_payload=qr_payload(appointment),
        links=appointment_links(appointment),
    )


def session_ticket(appointment: Appointment) -> str | None:
    return db.session.scalar(
        select(Ticket.token).where(Ticket.appointment_id == appointment.id).limit(1)
    )


def rules(appointment: Appointment, lang: str) -> list[str]:
    center = appointment.center
    out = [
        t(lang, "book.rules.early", before=center.checkin_before_minutes),
        t(lang, "book.rules.late", after=center.checkin_after_minutes),
    ]
    bring = pick(appointment.service.bring or {}, lang)
    if bring:
        out.append(t(lang, "book.rules.bring", bring=bring))
    return out


def confirmation_bytes(appointment: Appointment, lang: str) -> bytes:
    center, service = appointment.center, appointment.service
    labels = ConfirmationLabels(
        title=t(lang, "book.pdf.title"),
        code=t(lang, "book.code"),
        when=t(lang, "book.when"),
        where=t(lang, "book.where"),
        name=t(lang, "book.for_name"),
        rules=rules(appointment, lang),
        manage_hint=t(lang, "book.manage_hint"),
    )
    data = ConfirmationData(
        center_name=pick(center.name, lang),
        center_address=pick(center.address or {}, lang),
        agency_name=pick(service.agency.name, lang),
        service_name=pick(service.name, lang),
        code=appointment.code,
        starts_at_local=local_text(appointment.starts_at, center.timezone),
        name=appointment.name,
        manage_url=f"{public_base()}/book/manage/{appointment.token}",
        qr_payload=qr_payload(appointment),
        labels=labels,
    )
    return confirmation_pdf(data, current_app.config["FONT_DIR"])


def ics_bytes(appointment: Appointment, lang: str, now: datetime) -> bytes:
    center, service = appointment.center, appointment.service
    where = ", ".join(x for x in (pick(center.name, lang), pick(center.address or {}, lang)) if x)
    description = "\n".join(
        [f"{t(lang, 'book.code')}: {appointment.code}", *rules(appointment, lang)]
    )
    return appointment_ics(
        uid=f"{appointment.code}@asan-queue",
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        tzid=center.timezone,
        summary=f"ASAN: {pick(service.name, lang)}",
        location=where,
        description=description,
        url=f"{public_base()}/book/manage/{appointment.token}",
        now=now,
    )
