"""Socket.IO handlers: `subscribe` joins one room and answers with its snapshot.

A client emits `subscribe` with {"center": slug} | {"counter": id} | {"ticket": token}; the
ack is {"ok": true, "room": ...} or {"error": {"code", "message"}}. Staff commands go over
HTTP; sockets only push state out (DESIGN.md section 4)."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, request
from flask_login import current_user
from flask_socketio import emit, join_room
from pydantic import ValidationError as SchemaError
from sqlalchemy import select

from ..clock import app_now
from ..domain.errors import NotFound
from ..extensions import db, socketio
from ..models import Center, Counter, Ticket
from ..schemas.base import dump
from ..schemas.events import Subscribe, SubscribeCenter, SubscribeCounter, SubscribeSupervise
from ..services.common import load_hall
from ..services.hall import HallView
from ..services.permissions import belongs_to, is_supervisor_of
from ..services.serialize import ticket_json
from ..services.supervise import device_seen
from . import supervise
from .emitter import digest

log = logging.getLogger(__name__)


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _center(slug: str) -> str:
    found = db.session.scalar(select(Center.slug).where(Center.slug == slug))
    if found is None:
        raise Refused("center_not_found", f"no center {slug!r}")
    return found


def _counter(value: int) -> tuple[int, str]:
    if not current_user.is_authenticated:
        raise Refused("login_required", "log in at the desk to follow a counter")
    row = db.session.execute(
        select(Counter.id, Counter.center_id, Center.slug)
        .join(Center, Center.id == Counter.center_id)
        .where(Counter.id == value)
    ).first()
    if row is None:
        raise Refused("counter_not_found", "no such counter")
    if not belongs_to(current_user, row.center_id):
        raise Refused("wrong_center", "you can only follow counters of your own center")
    return row.id, row.slug


def _ticket(token: str) -> tuple[str, str]:
    row = db.session.execute(
        select(Ticket.token, Center.slug)
        .join(Center, Center.id == Ticket.center_id)
        .where(Ticket.token == token)
    ).first()
    if row is None:
        raise Refused("ticket_not_found", "no such ticket")
    return row.token, row.slug


def _supervise(slug: str) -> str:
    if not current_user.is_authenticated:
        raise Refused("login_required", "log in to supervise a center")
    center_id = db.session.scalar(select(Center.id).where(Center.slug == slug))
    if center_id is None:
        raise Refused("center_not_found", f"no center {slug!r}")
    if not is_supervisor_of(current_user, center_id):
        raise Refused("wrong_center", "only this center's supervisors and admins")
    return slug


# sid -> (center id, kind, name) of a display or kiosk that named itself (this process).
_devices: dict[str, tuple[int, str, str]] = {}


def resolve(data: Any) -> tuple[str, str]:
    """(room, its center's slug) for a subscribe payload, validated by its schema
    (schemas/events.py Subscribe) and authorised. Raises Refused."""
    try:
        room = Subscribe.model_validate(data).root
    except SchemaError:
        raise Refused("invalid_subscription", "send one of center, counter or ticket") from None
    if isinstance(room, SubscribeCenter):
        slug = _center(room.center)
        if room.device is not None:
            center_id = db.session.scalar(select(Center.id).where(Center.slug == slug))
            assert center_id is not None
            _devices[getattr(request, "sid", "")] = (center_id, room.device.kind, room.device.name)
            device_seen(
                db.session,
                center_id,
                room.device.kind,
                room.device.name,
                connected=True,
                now=app_now(current_app),
            )
        return f"center:{slug}", slug
    if isinstance(room, SubscribeSupervise):
        slug = _supervise(room.supervise)
        return supervise.ROOM.format(slug=slug), slug
    if isinstance(room, SubscribeCounter):
        counter_id, slug = _counter(int(room.counter))
        return f"counter:{counter_id}", slug
    token, slug = _ticket(room.ticket)
    return f"ticket:{token}", slug


def build(room: str, slug: str, now: datetime) -> dict[str, Any] | None:
    """The room's full state (without room/seq), read afresh; None if it is gone."""
    kind, _, key = room.partition(":")
    try:
        center = load_hall(db.session, slug)
    except NotFound:
        return None
    if kind == "supervise":
        return dump(supervise.build(center, now))
    view = HallView(db.session, center, now)
    if kind == "center":
        return dump(view.center_state())
    if kind == "counter":
        counter = next((c for c in center.counters if c.id == int(key)), None)
        return None if counter is None else dump(view.counter_body(counter))
    ticket = db.session.scalar(select(Ticket).where(Ticket.token == key))
    return None if ticket is None else dump(ticket_json(db.session, ticket, now, view.model))


def snapshot(app: Flask, room: str, slug: str) -> dict[str, Any] | None:
    """The room's snapshot with its seq: cached per (center version, minute)."""
    store = app.extensions["asan_store"]
    cache = app.extensions["asan_snapshots"]
    # Read the sequence (and version) after joining and the state after that: every event
    # numbered above the snapshot's seq reaches this client, and the state includes
    # everything up to it.
    seq, version = store.current(room, slug)
    now = app_now(app)
    # The dashboard counts seconds of waiting and of breaks: always read afresh.
    cached = not room.startswith("supervise:")
    body = cache.get(room, version, now) if cached else None
    if body is None:
        db.session.commit()  # end any earlier read: read the state afresh
        body = build(room, slug, now)
        if body is None:
            return None
        if cached:
            cache.put(room, version, now, body)
    if room.startswith("ticket:"):
        # The emitter sends this room a `ticket` message only when it differs from this.
        store.remember(slug, room, digest(body))
    return {**body, "room": room, "seq": seq}


def resync(app: Flask) -> None:
    """After this process's Redis listener came back: a fresh snapshot to every room with a
    listener here (what other processes published meanwhile never reached it)."""
    with app.app_context():
        for slug, rooms in app.extensions["asan_listeners"].all_local().items():
            for room in rooms:
                body = snapshot(app, room, slug)
                if body is not None:
                    socketio.server.emit("snapshot", body, to=room, ignore_queue=True)
            db.session.remove()


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
        room, slug = resolve(data)  # validate and authorise before joining
        join_room(room)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        app.extensions["asan_listeners"].joined(slug, room)
        body = snapshot(app, room, slug)
        if body is None:
            kind = room.partition(":")[0]
            raise Refused(f"{kind}_not_found", f"no such {kind}")
        emit("snapshot", body)
        return {"ok": True, "room": room}
    except Refused as refused:
        return {"error": {"code": refused.code, "message": refused.message}}
    except Exception:
        log.exception("subscribe failed")
        return {"error": {"code": "server_error", "message": "could not subscribe; try again"}}
