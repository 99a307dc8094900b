"""Socket.IO handlers: `subscribe` joins one room and answers with its snapshot.

A client emits `subscribe` with {"center": slug} | {"counter": id} | {"ticket": token}; the
ack is {"ok": true, "room": ...} or {"error": {"code", "message"}}. Staff commands go over
HTTP; sockets only push state out (DESIGN.md section 4)."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g
from flask_login import current_user
from flask_socketio import emit, join_room
from pydantic import BaseModel
from sqlalchemy import select

from ..clock import app_now
from ..domain.errors import NotFound
from ..domain.statuses import Role
from ..extensions import db
from ..models import Center, Counter, Ticket
from ..schemas.base import dump
from ..services.common import load_hall
from ..services.hall import HallView
from ..services.serialize import ticket_json

log = logging.getLogger(__name__)
TOKEN_MAX = 64


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _center(slug: Any) -> Center:
    if not isinstance(slug, str) or not slug or len(slug) > 40:
        raise Refused("invalid_subscription", "center must be a center slug")
    try:
        return load_hall(db.session, slug)
    except NotFound as err:
        raise Refused("center_not_found", f"no center {slug!r}") from err


def _counter(value: Any) -> Counter:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise Refused("invalid_subscription", "counter must be a counter id")
    if not current_user.is_authenticated:
        raise Refused("login_required", "log in at the desk to follow a counter")
    counter = db.session.get(Counter, value)
    if counter is None:
        raise Refused("counter_not_found", "no such counter")
    if current_user.role != Role.ADMIN and current_user.center_id != counter.center_id:
        raise Refused("wrong_center", "you can only follow counters of your own center")
    return counter


def _ticket(token: Any) -> Ticket:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise Refused("invalid_subscription", "ticket must be a ticket token")
    ticket = db.session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        raise Refused("ticket_not_found", "no such ticket")
    return ticket


def resolve(data: Any) -> tuple[str, Any]:
    """(room, the center, counter or ticket it is about) for a subscribe payload, after
    validation and authorisation. Raises Refused."""
    if not isinstance(data, dict) or len(data) != 1:
        raise Refused("invalid_subscription", "send one of center, counter or ticket")
    ((kind, value),) = data.items()
    if kind == "center":
        center = _center(value)
        return f"center:{center.slug}", center
    if kind == "counter":
        counter = _counter(value)
        return f"counter:{counter.id}", counter
    if kind == "ticket":
        ticket = _ticket(value)
        return f"ticket:{ticket.token}", ticket
    raise Refused("invalid_subscription", f"unknown room kind {kind!r}")


def snapshot(target: Any) -> BaseModel:
    """The room's full state (without room/seq)."""
    now = app_now(current_app)
    if isinstance(target, Center):
        return HallView(db.session, target, now).center_state()
    if isinstance(target, Counter):
        return HallView(db.session, target.center, now).counter_body(target)
    return ticket_json(db.session, target, now)


def on_subscribe(data: Any = None) -> dict[str, Any]:
    # Flask-Login caches the user in `g`, which lives on the app context; when an outer app
    # context is reused (CLI, tests) it would belong to an earlier client, so load it afresh.
    g.pop("_login_user", None)
    try:
        room, target = resolve(data)  # validate and authorise before joining
        join_room(room)
        # Read the sequence after joining and the state after that: every event numbered above
        # the snapshot's seq reaches this client, and the state includes everything up to it.
        seq = current_app.extensions["asan_seq"].current(room)
        db.session.commit()  # end the validation read (nothing to write): read state afresh
        body = snapshot(target)
        emit("snapshot", {**dump(body), "room": room, "seq": seq})
        return {"ok": True, "room": room}
    except Refused as refused:
        return {"error": {"code": refused.code, "message": refused.message}}
    except Exception:
        log.exception("subscribe failed")
        return {"error": {"code": "server_error", "message": "could not subscribe; try again"}}
