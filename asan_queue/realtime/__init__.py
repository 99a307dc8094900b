"""Realtime: the only place that calls socketio.emit (STYLE.md rule 6).

Rooms `center:<slug>`, `counter:<id>` (desk login), `ticket:<token>`; `subscribe` answers with a
snapshot; domain events committed by a unit of work become `ticket_called`, `queue`, `ticket`
and `counter` messages (emitter.py). Every message carries its room's `seq` (seq.py)."""

from __future__ import annotations

from flask import Flask

from ..extensions import socketio
from .emitter import Subscriber
from .handlers import on_disconnect, on_subscribe
from .seq import make_sequencer


def register(app: Flask) -> None:
    """Wire the Socket.IO handler and this app's after-commit subscriber. socketio.init_app
    has just made a new Socket.IO server for this app, so the handler goes on it each time."""
    app.extensions["asan_seq"] = make_sequencer(
        app.config.get("REDIS_URL"), app.config.get("REDIS_PREFIX", "asan")
    )
    socketio.on_event("subscribe", on_subscribe)
    socketio.on_event("disconnect", on_disconnect)
    app.extensions["asan_bus"].after_commit.append(Subscriber(app))
