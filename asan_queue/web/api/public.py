"""Citizen-facing endpoints: centers, services, tickets."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from sqlalchemy import select

from ...clock import now_utc
from ...domain.errors import Conflict, Forbidden, ValidationError
from ...domain.statuses import Role
from ...extensions import db
from ...models import Center
from ...services import tickets as ticket_service
from ...services.common import get_ticket, load_hall
from ...services.hall import HallView
from ...services.phones import normalise_phone
from ..auth import staff_user
from ..serialize import center_summary, ticket_json
from ..uow import unit_of_work
from ..validation import field, json_body, only_fields
from . import bp

IDEMPOTENCY_KEY_MAX = 100


@bp.get("/centers")
def list_centers() -> Any:
    centers = db.session.scalars(select(Center).order_by(Center.id)).all()
    return jsonify(items=[center_summary(c) for c in centers])


def sms_available() -> bool:
    """Whether "your turn" SMS can really be sent (a gateway is configured)."""
    return bool(current_app.config.get("NOTIFY_SMS_URL"))


@bp.get("/centers/<slug>")
def get_center_detail(slug: str) -> Any:
    center = load_hall(db.session, slug)
    body = HallView(db.session, center, now_utc()).center_detail()
    body["sms_available"] = sms_available()
    return jsonify(body)


def _override(data: dict[str, Any]) -> ticket_service.Override | None:
    """A supervisor's or admin's token may issue outside the walk-in rules, with a reason."""
    reason = field(data, "override_reason", str, max_len=ticket_service.OVERRIDE_REASON_MAX)
    if reason is None:
        return None
    user = staff_user()
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("only a supervisor or an admin may issue anyway", code="wrong_role")
    return ticket_service.Override(user, reason)


@bp.post("/centers/<slug>/tickets")
def issue_ticket(slug: str) -> Any:
    data = json_body()
    only_fields(data, {"service", "lang", "priority", "phone", "override_reason"})
    phone = _phone(field(data, "phone", str, max_len=20))
    if phone and not sms_available():
        raise Conflict(
            "SMS notifications are not available here; leave the phone out",
            code="sms_unavailable",
        )
    req = ticket_service.IssueRequest(
        service=field(data, "service", str, required=True, max_len=40),
        lang=field(data, "lang", str, max_len=2) or "az",
        priority=field(data, "priority", str, max_len=20) or None,
        phone=phone,
        override=_override(data),
    )
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable()):
        raise ValidationError(
            "Idempotency-Key must be 1-100 printable characters", code="invalid_idempotency_key"
        )
    now = now_utc()
    issued = ticket_service.issue_ticket(unit_of_work(), slug, req, now=now, idempotency_key=key)
    body = issued.body if issued.body is not None else ticket_json(db.session, issued.ticket, now)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = body["links"]["status"]
    if issued.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _phone(value: str | None) -> str | None:
    """A phone for the 'your turn' SMS, normalised to E.164 (+994 when no country given)."""
    if not value:
        return None
    return normalise_phone(value)


@bp.get("/tickets/<token>")
def get_ticket_status(token: str) -> Any:
    ticket = get_ticket(db.session, token)
    return jsonify(ticket_json(db.session, ticket, now_utc()))


@bp.post("/tickets/<token>/cancel")
def cancel_ticket(token: str) -> Any:
    json_body(allow_empty=True)
    now = now_utc()
    ticket = ticket_service.cancel_ticket(unit_of_work(), token, now=now)
    return jsonify(ticket_json(db.session, ticket, now))


@bp.post("/tickets/<token>/feedback")
def ticket_feedback(token: str) -> Any:
    data = json_body()
    only_fields(data, {"rating", "comment"})
    rating = field(data, "rating", int, required=True)
    comment = field(data, "comment", str, max_len=1000) or ""
    fb = ticket_service.leave_feedback(
        unit_of_work(), token, rating=rating, comment=comment, now=now_utc()
    )
    return jsonify({"rating": fb.rating, "comment": fb.comment}), 201
