"""Citizen-facing endpoints: centers, services, tickets."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy import select

from ...clock import now_utc
from ...domain.errors import Conflict, ValidationError
from ...extensions import db
from ...models import Center
from ...schemas import centers as c
from ...schemas import tickets as t
from ...schemas.paths import CenterPath, TicketPath
from ...services import tickets as ticket_service
from ...services.common import get_ticket, load_hall
from ...services.hall import HallView
from ...services.permissions import may_issue_anyway
from ...services.phones import normalise_phone
from ...services.serialize import center_summary, ticket_json
from .. import limits
from ..auth import staff_user
from ..contract import KIOSK_KEY_HEADER, Header, Reply, operation
from ..uow import unit_of_work
from . import bp

IDEMPOTENCY_KEY_MAX = 100
TICKET_LINKS = {
    201: {
        "GetTicket": {
            "operationId": "get_ticket_status",
            "parameters": {"token": "$response.body#/token"},
        },
        "CancelTicket": {
            "operationId": "cancel_ticket",
            "parameters": {"token": "$response.body#/token"},
        },
        "TicketReceipt": {
            "operationId": "receipt_as_pdf",
            "parameters": {"token": "$response.body#/token"},
        },
        "RateVisit": {
            "operationId": "ticket_feedback",
            "parameters": {"token": "$response.body#/token"},
        },
    }
}


def sms_available() -> bool:
    """Whether "your turn" SMS can really be sent (a gateway is configured)."""
    return bool(current_app.config.get("NOTIFY_SMS_URL"))


CENTER_LINKS = {
    200: {
        name: {"operationId": op, "parameters": {"slug": "$response.body#/items/0/slug"}}
        for name, op in (
            ("GetCenter", "get_center_detail"),
            ("IssueTicket", "issue_ticket"),
            ("CheckIn", "check_in"),
            ("GetHours", "get_hours"),
        )
    }
}


@operation(
    bp, "GET", "/centers", summary="List centers", tag="centers", ok=c.Centers, links=CENTER_LINKS
)
def list_centers() -> c.Centers:
    # A center out of service (back office) is not offered to citizens.
    centers = db.session.scalars(
        select(Center).where(Center.active.is_(True)).order_by(Center.id)
    ).all()
    return c.Centers(items=[center_summary(x) for x in centers])


@operation(
    bp,
    "GET",
    "/centers/<slug>",
    summary="A center with its services (waiting, ETA, availability), counters, hours",
    tag="centers",
    ok=c.CenterDetail,
    path=CenterPath,
)
def get_center_detail(path: CenterPath) -> c.CenterDetail:
    center = load_hall(db.session, path.slug)
    return HallView(db.session, center, now_utc()).center_detail(sms_available=sms_available())


def _override(body: t.IssueTicket) -> ticket_service.Override | None:
    """A supervisor's or admin's token may issue outside the walk-in rules, with a reason."""
    if body.override_reason is None:
        return None
    user = staff_user()
    may_issue_anyway(user)
    return ticket_service.Override(user, body.override_reason)


@operation(
    bp,
    "POST",
    "/centers/<slug>/tickets",
    summary="Issue a ticket (an Idempotency-Key header makes retries return the same one)",
    tag="tickets",
    ok=t.Ticket,
    status=201,
    path=CenterPath,
    body=t.IssueTicket,
    errors=(409,),
    optional_staff=True,
    headers=(
        Header(
            "Idempotency-Key",
            "One per press: a retry returns the same ticket (empty: no key)",
            max_length=100,
            min_length=0,
        ),
        KIOSK_KEY_HEADER,
    ),
    limited=True,
    links=TICKET_LINKS,
)
def issue_ticket(path: CenterPath, body: t.IssueTicket) -> Reply:
    override = _override(body)
    if override is None:  # staff issuing anyway are not the abuse the limit is for
        limits.take("tickets")
    phone = normalise_phone(body.phone) if body.phone else None
    if phone and not sms_available():
        raise Conflict(
            "SMS notifications are not available here; leave the phone out",
            code="sms_unavailable",
        )
    req = ticket_service.IssueRequest(
        service=body.service,
        lang=body.lang,
        priority=body.priority,
        phone=phone,
        override=override,
    )
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable()):
        raise ValidationError(
            "Idempotency-Key must be 1-100 printable characters", code="invalid_idempotency_key"
        )
    now = now_utc()
    issued = ticket_service.issue_ticket(
        unit_of_work(), path.slug, req, now=now, idempotency_key=key
    )
    answer = issued.body if issued.body is not None else ticket_json(db.session, issued.ticket, now)
    headers = {"Location": answer.links.status}
    if issued.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Reply(answer, 201, headers)


@operation(
    bp,
    "GET",
    "/tickets/<token>",
    summary="A ticket's status, position and ETA",
    tag="tickets",
    ok=t.Ticket,
    path=TicketPath,
)
def get_ticket_status(path: TicketPath) -> t.Ticket:
    ticket = get_ticket(db.session, path.token)
    return ticket_json(db.session, ticket, now_utc())


@operation(
    bp,
    "POST",
    "/tickets/<token>/cancel",
    summary="Cancel a waiting ticket (the citizen gives up their place)",
    tag="tickets",
    ok=t.Ticket,
    path=TicketPath,
    body=t.Empty,
    body_required=False,
    errors=(409,),
)
def cancel_ticket(path: TicketPath, body: t.Empty) -> t.Ticket:
    now = now_utc()
    ticket = ticket_service.cancel_ticket(unit_of_work(), path.token, now=now)
    return ticket_json(db.session, ticket, now)


@operation(
    bp,
    "POST",
    "/tickets/<token>/feedback",
    summary="Rate a finished visit, once",
    tag="tickets",
    ok=t.FeedbackOut,
    status=201,
    path=TicketPath,
    body=t.Feedback,
    errors=(409,),
)
def ticket_feedback(path: TicketPath, body: t.Feedback) -> Reply:
    fb = ticket_service.leave_feedback(
        unit_of_work(), path.token, rating=body.rating, comment=body.comment, now=now_utc()
    )
    return Reply(t.FeedbackOut(rating=fb.rating, comment=fb.comment), 201)
