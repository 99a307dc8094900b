"""Citizen-facing endpoints: centers, services, tickets."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select

from ...domain.errors import ValidationError
from ...extensions import db
from ...models import Center
from ...services import tickets as ticket_service
from ...services.common import get_ticket, load_hall
from ...services.counters import current_ticket
from ...services.hours import hours_today
from ...services.phones import normalise_phone
from ...services.queue import center_load
from ..clock import now_utc
from ..serialize import center_summary, counter_json, service_json, ticket_json
from ..validation import field, json_body, only_fields
from . import bp

IDEMPOTENCY_KEY_MAX = 100


@bp.get("/centers")
def list_centers() -> Any:
    centers = db.session.scalars(select(Center).order_by(Center.id)).all()
    return jsonify(items=[center_summary(c) for c in centers])


@bp.get("/centers/<slug>")
def get_center_detail(slug: str) -> Any:
    center = load_hall(db.session, slug)
    load = center_load(db.session, center, now_utc())
    body = center_summary(center)
    body["agencies"] = [{"code": a.code, "name": a.name} for a in center.agencies]
    body["services"] = [service_json(s, load.get(s.id)) for s in center.services if s.active]
    body["counters"] = [counter_json(c, current_ticket(db.session, c)) for c in center.counters]
    body["call_policy"] = center.call_policy
    body.update(hours_today(center, now_utc()).as_json())
    return jsonify(body)


@bp.post("/centers/<slug>/tickets")
def issue_ticket(slug: str) -> Any:
    data = json_body()
    only_fields(data, {"service", "lang", "priority", "phone"})
    req = ticket_service.IssueRequest(
        service=field(data, "service", str, required=True, max_len=40),
        lang=field(data, "lang", str, max_len=2) or "az",
        priority=field(data, "priority", str, max_len=20) or None,
        phone=_phone(field(data, "phone", str, max_len=20)),
    )
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable()):
        raise ValidationError(
            "Idempotency-Key must be 1-100 printable characters", code="invalid_idempotency_key"
        )
    now = now_utc()
    issued = ticket_service.issue_ticket(db.session, slug, req, now=now, idempotency_key=key)
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
    ticket = ticket_service.cancel_ticket(db.session, token, now=now)
    return jsonify(ticket_json(db.session, ticket, now))


@bp.post("/tickets/<token>/feedback")
def ticket_feedback(token: str) -> Any:
    data = json_body()
    only_fields(data, {"rating", "comment"})
    rating = field(data, "rating", int, required=True)
    comment = field(data, "comment", str, max_len=1000) or ""
    fb = ticket_service.leave_feedback(
        db.session, token, rating=rating, comment=comment, now=now_utc()
    )
    return jsonify({"rating": fb.rating, "comment": fb.comment}), 201
