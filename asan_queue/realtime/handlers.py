"""Socket.IO handlers: `subscribe` joins one room and answers with its snapshot.

A client emits `subscribe` with {"center": slug} | {"counter": id} | {"ticket": token}; the
ack is {"ok": true, "room": ...} or {"error": {"code", "message"}}. Staff commands go over
HTTP; sockets only push state out (DESIGN.md section 4)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app, g, request
from flask_login import current_user
from flask_socketio import emit, join_room
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError
from sqlalchemy import select

from ..clock import app_now
from ..domain.errors import NotFound
from ..extensions import db
from ..models import Center, Counter, Ticket
from ..schemas.base import dump
from ..schemas.events import Subscribe, SubscribeCenter, SubscribeCounter, SubscribeSupervise
from ..services.common import load_hall
from ..services.hall import HallView
from ..services.permissions import belongs_to, is_supervisor_of
from ..services.serialize import ticket_json
from ..services.supervise import device_seen
from . import supervise

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _center(slug: str) -> Center:
    try:
        return load_hall(db.session, slug)
    except NotFound as err:
        raise Refused("center_not_found", f"no center {slug!r}") from err


def _counter(value: int) -> Counter:
    if not current_user.is_authenticated:
        raise Refused("login_required", "log in at the desk to follow a counter")
    counter = db.session.get(Counter, value)
    if counter is None:
        raise Refused("counter_not_found", "no such counter")
    if not belongs_to(current_user, counter.center_id):
        raise Refused("wrong_center", "you can only follow counters of your own center")
    return counter


def _ticket(token: str) -> Ticket:
    ticket = db.session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        raise Refused("ticket_not_found", "no such ticket")
    return ticket


class Supervised:
    """The supervise room's target: a center its supervisor (or an admin) watches."""

    def __init__(self, center: Center) -> None:
        self.center = center


def _supervise(slug: str) -> Supervised:
    if not current_user.is_authenticated:
        raise Refused("login_required", "log in to supervise a center")
    center = _center(slug)
    if not is_supervisor_of(current_user, center.id):
        raise Refused("wrong_center", "only this center's supervisors and admins")
    return Supervised(center)


# sid -> (center id, kind, name) of a display or kiosk that named itself (this process).
_devices: dict[str, tuple[int, str, str]] = {}


def resolve(data: Any) -> tuple[str, Any]:
    """(room, the center, counter or ticket it is about) for a subscribe payload, validated
    by its schema (schemas/events.py Subscribe) and authorised. Raises Refused."""
    try:
        room = Subscribe.model_validate(data).root
    except SchemaError:
        raise Refused("invalid_subscription", "send one of center, counter or ticket") from None
    if isinstance(room, SubscribeCenter):
        center = _center(room.center)
        if room.device is not None:
            _devices[getattr(request, "sid", "")] = (center.id, room.device.kind, room.device.name)
            device_seen(
                db.session,
                center.id,
                room.device.kind,
                room.device.name,
                connected=True,
                now=app_now(current_app),
            )
        return f"center:{center.slug}", center
    if isinstance(room, SubscribeSupervise):
        target = _supervise(room.supervise)
        return supervise.ROOM.format(slug=target.center.slug), target
    if isinstance(room, SubscribeCounter):
        counter = _counter(int(room.counter))
        return f"counter:{counter.id}", counter
    ticket = _ticket(room.ticket)
    return f"ticket:{ticket.token}", ticket


def snapshot(target: Any) -> BaseModel:
    """The room's full state (without room/seq)."""
    now = app_now(current_app)
    if isinstance(target, Center):
        return HallView(db.session, target, now).center_state()
    if isinstance(target, Counter):
        return HallView(db.session, target.center, now).counter_body(target)
    if isinstance(target, Supervised):
        return supervise.build(target.center, now)
    return ticket_json(db.session, target, now)


# sid -> (start of its minute, subscribes in it): one connection's budget, in this process
# (a connection lives in one process).
_subscribes: dict[str, tuple[float, int]] = {}


def _within_budget(sid: str) -> bool:
    """A display subscribes once per (re)connect or gap; a client that subscribes more than
    SUBSCRIBES_PER_MINUTE times a minute is refused (each answer is a full snapshot)."""
    now = time.monotonic()
    start, count = _subscribes.get(sid, (now, 0))
    if now - start >= 60:
        start, count = now, 0
    _subscribes[sid] = (start, count + 1)
    return count < int(current_app.config.get("SUBSCRIBES_PER_MINUTE", 30))


def on_disconnect(*_: Any) -> None:
    sid = getattr(request, "sid", "")
    _subscribes.pop(sid, None)
    device = _devices.pop(sid, None)
    if device is not None:
        try:
            device_seen(db.session, *device, connected=False, now=app_now(current_app))
        except Exception:  # noqa: BLE001 - a lost write of "last seen" must not break disconnect
            log.exception("could not record a device leaving")
            db.session.rollback()


def on_subscribe(data: Any = None) -> dict[str, Any]:
    if not _within_budget(getattr(request, "sid", "")):
        message = "too many subscribes on this connection; wait a minute"
        return {"error": {"code": "too_many_subscribes", "message": message}}
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
