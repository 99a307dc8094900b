"""The supervisor's room `supervise:<slug>`: its snapshot, and the `dashboard` message the
server's supervise job (web/background.py, every second) sends when a center's dashboard
changed, so a call on a desk or an alert that starts or ends shows within a second, with no
polling by the page. The dashboard itself is built by services/supervise.py."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db, socketio
from ..models import Center
from ..schemas.base import dump
from ..schemas.stats import Dashboard
from ..services.supervise import dashboard

ROOM = "supervise:{slug}"


def build(center: Center, now: datetime) -> Dashboard:
    return dashboard(
        db.session,
        center,
        now,
        break_alert_minutes=current_app.config.get("BREAK_ALERT_MINUTES"),
    )


def _watched(room: str) -> bool:
    """Whether a client of this process is in the room (each process pushes to its own
    watchers: a dashboard nobody watches costs nothing)."""
    rooms: dict[str, Any] = socketio.server.manager.rooms.get("/", {})  # type: ignore[union-attr]
    return bool(rooms.get(room))


def _digest(body: Dashboard) -> str:
    data = dump(body)
    data.pop("now", None)  # the clock alone is no change
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def publish_changed(app: Flask, now: datetime) -> int:
    """Send `dashboard` to every watched center whose dashboard changed since the last one
    this process sent. Returns how many were sent."""
    last: dict[str, str] = app.extensions.setdefault("asan_supervise_sent", {})
    sent = 0
    for center in db.session.scalars(select(Center).order_by(Center.id)):
        room = ROOM.format(slug=center.slug)
        if not _watched(room):
            last.pop(room, None)
            continue
        body = build(center, now)
        digest = _digest(body)
        if last.get(room) == digest:
            continue
        last[room] = digest
        # Numbered like every room's messages; the dashboard's own version key, so a push
        # does not invalidate the center's cached hall snapshots.
        (seq,) = app.extensions["asan_store"].commit(room, [room], {})
        socketio.emit("dashboard", {**dump(body), "room": room, "seq": seq}, to=room)
        sent += 1
    db.session.commit()  # end the read
    return sent
