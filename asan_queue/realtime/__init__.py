"""Realtime: the only place that calls socketio.emit (STYLE.md rule 6).

Rooms `center:<slug>`, `counter:<id>` (desk login), `ticket:<token>`; `subscribe` answers with a
snapshot; domain events published after commit become `ticket_called`, `queue`, `ticket` and
`counter` messages (emitter.py). Every message carries its room's `seq` (seq.py)."""

from __future__ import annotations

from flask import Flask

from ..extensions import socketio
from ..services import bus
from .emitter import subscriber
from .handlers import on_subscribe
from .seq import make_sequencer

_wired = False


def register(app: Flask) -> None:
    """Wire Socket.IO handlers and the event-bus subscriber. socketio.init_app has just made a
    new Socket.IO server for this app, so the handler goes on it each time; the bus is
    process-wide, so the subscriber joins it once."""
    global _wired
    app.extensions["asan_seq"] = make_sequencer(
        app.config.get("REDIS_URL"), app.config.get("REDIS_PREFIX", "asan")
    )
    socketio.on_event("subscribe", on_subscribe)
    subscriber.app = app
    if not _wired:
        bus.subscribe(subscriber)
        _wired = True
