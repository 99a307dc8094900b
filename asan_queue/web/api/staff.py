"""Staff endpoints: tokens, counter actions, today's tickets with their audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...clock import now_utc
from ...domain.errors import Forbidden, ValidationError
from ...domain.numbering import local_day
from ...domain.statuses import Role
from ...extensions import db
from ...models import Ticket
from ...services import auth as auth_service
from ...services import counters as counter_service
from ...services.common import get_center
from ..auth import staff_required
from ..serialize import counter_json, iso, ticket_json
from ..uow import unit_of_work
from ..validation import field, json_body, only_fields
from . import bp


@bp.post("/auth/token")
def create_token() -> Any:
    data = json_body()
    only_fields(data, {"username", "password"})
    username = field(data, "username", str, required=True, max_len=80)
    password = field(data, "password", str, required=True, max_len=200)
    user = auth_service.authenticate(db.session, username, password)
    now = now_utc()
    ttl = current_app.config["TOKEN_TTL_HOURS"]
    token = auth_service.issue_token(unit_of_work(), user, now=now, ttl_hours=ttl)
    return jsonify(
        token=token,
        expires_at=(now + timedelta(hours=ttl)).isoformat(),
        user={"username": user.username, "role": str(user.role)},
    ), 201


@bp.post("/auth/revoke")
@staff_required()
def revoke_token() -> Any:
    _, _, token = request.headers.get("Authorization", "").partition(" ")
    if not token:
        raise ValidationError("send the token to revoke as the Bearer token", code="no_token")
    auth_service.revoke_token(unit_of_work(), token.strip(), now=now_utc())
    return "", 204


def _counter_answer(counter: Any) -> Any:
    current = counter_service.current_ticket(db.session, counter)
    return jsonify(counter_json(counter, current, staff=True))


@bp.post("/counters/<int:counter_id>/open")
@staff_required()
def open_counter(counter_id: int) -> Any:
    json_body(allow_empty=True)
    counter = counter_service.open_counter(unit_of_work(), counter_id, g.user, now=now_utc())
    return _counter_answer(counter)


@bp.post("/counters/<int:counter_id>/pause")
@staff_required()
def pause_counter(counter_id: int) -> Any:
    data = json_body(allow_empty=True)
    only_fields(data, {"reason"})
    reason = field(data, "reason", str, max_len=200) or ""
    counter = counter_service.pause_counter(
        unit_of_work(), counter_id, g.user, reason=reason, now=now_utc()
    )
    return _counter_answer(counter)


@bp.post("/counters/<int:counter_id>/close")
@staff_required()
def close_counter(counter_id: int) -> Any:
    json_body(allow_empty=True)
    counter = counter_service.close_counter(unit_of_work(), counter_id, g.user, now=now_utc())
    return _counter_answer(counter)


@bp.post("/counters/<int:counter_id>/call-next")
@staff_required()
def call_next(counter_id: int) -> Any:
    json_body(allow_empty=True)
    now = now_utc()
    call = counter_service.call_next(unit_of_work(), counter_id, g.user, now=now)
    if call is None:
        return "", 204
    body = ticket_json(db.session, call.ticket, now)
    body["reason"] = call.reason.text
    body["reason_detail"] = call.reason.data()
    return jsonify(body)


def _ticket_action(name: str) -> Any:
    def view(counter_id: int) -> Any:
        json_body(allow_empty=True)
        now = now_utc()
        action = getattr(counter_service, name)
        ticket = action(unit_of_work(), counter_id, g.user, now=now)
        return jsonify(ticket_json(db.session, ticket, now))

    view.__name__ = f"counter_{name}"
    return staff_required()(view)


for _path, _name in (
    ("recall", "recall"),
    ("start", "start"),
    ("finish", "finish"),
    ("no-show", "no_show"),
):
    bp.add_url_rule(
        f"/counters/<int:counter_id>/{_path}", view_func=_ticket_action(_name), methods=["POST"]
    )


@bp.post("/counters/<int:counter_id>/transfer")
@staff_required()
def transfer(counter_id: int) -> Any:
    data = json_body()
    only_fields(data, {"service", "first"})
    code = field(data, "service", str, required=True, max_len=40)
    first = field(data, "first", bool) or False
    now = now_utc()
    ticket = counter_service.transfer(
        unit_of_work(), counter_id, g.user, service_code=code, first=first, now=now
    )
    return jsonify(ticket_json(db.session, ticket, now))


@bp.get("/centers/<slug>/tickets")
@staff_required(Role.ADMIN, Role.SUPERVISOR)
def todays_tickets(slug: str) -> Any:
    """Today's tickets with every event and reason: the fair-queue audit trail."""
    center = get_center(db.session, slug)
    if g.user.role != Role.ADMIN and g.user.center_id != center.id:
        raise Forbidden("you can only see your own center", code="wrong_center")
    day = local_day(now_utc(), center.timezone)
    rows = db.session.scalars(
        select(Ticket)
        .where(Ticket.center_id == center.id, Ticket.day == day)
        .options(selectinload(Ticket.events), selectinload(Ticket.service))
        .order_by(Ticket.id)
    ).all()
    items = []
    for t in rows:
        items.append(
            {
                "number": t.number,
                "token": t.token,
                "service": t.service.code,
                "status": str(t.status),
                "priority": t.priority,
                "issued_at": iso(t.issued_at, center),
                "events": [
                    {
                        "operation": e.operation,
                        "from": e.from_status,
                        "to": e.to_status,
                        "at": iso(e.at, center),
                        "counter_id": e.counter_id,
                        "reason": e.reason,
                        "reason_detail": e.data or {},
                    }
                    for e in t.events
                ],
            }
        )
    return jsonify(items=items)
