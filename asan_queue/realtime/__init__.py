"""Realtime: the only place that calls socketio.emit (STYLE.md rule 6).

Rooms `center:<slug>`, `counter:<id>` (desk login), `ticket:<token>`; `subscribe` answers with a
snapshot (handlers.py, cached by snapshots.py); domain events committed by a unit of work become
`ticket_called`, `queue`, `ticket` and `counter` messages (emitter.py), for the rooms with
listeners only (listeners.py). Every message carries its room's `seq` (store.py); through Redis
the client manager (manager.py) retries what it could not publish."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..extensions import socketio
from .emitter import Subscriber
from .handlers import on_disconnect, on_subscribe, resync
from .listeners import Listeners
from .manager import ReliableRedisManager
from .snapshots import SnapshotCache
from .store import make_store


def client_manager(app: Flask) -> Any:
    """The Socket.IO client manager for this app: through Redis (one channel per
    installation, `<prefix>-socketio`) when ASAN_REDIS_URL is set, else in memory (None)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    channel = f"{app.config.get('REDIS_PREFIX', 'asan')}-socketio"
    return ReliableRedisManager(url, channel=channel)


def register(app: Flask) -> None:
    """Wire the Socket.IO handler and this app's after-commit subscriber. socketio.init_app
    has just made a new Socket.IO server for this app, so the handler goes on it each time."""
    store = make_store(app.config.get("REDIS_URL"), app.config.get("REDIS_PREFIX", "asan"))
    app.extensions["asan_store"] = store
    app.extensions["asan_listeners"] = Listeners(store)
    app.extensions["asan_snapshots"] = SnapshotCache()
    manager = getattr(socketio.server, "manager", None)
    if isinstance(manager, ReliableRedisManager):
        manager.on_relisten = lambda: resync(app)
    socketio.on_event("subscribe", on_subscribe)
    socketio.on_event("disconnect", on_disconnect)
    app.extensions["asan_bus"].after_commit.append(Subscriber(app))


def invalidate(app: Flask, slug: str) -> None:
    """The center's catalogue (services, counters, hours) changed outside an event: every
    cached snapshot of it is stale, in every process."""
    app.extensions["asan_store"].bump(slug)
