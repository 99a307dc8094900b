"""Wiring of the notification outbox to the app: ticket events queue SMS, and a background
worker (a thread; a greenlet under gevent) sends what is due, so no request waits for a
gateway. Started on the first request when NOTIFY_WORKER is true (never by CLI commands)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app, has_app_context

from ..domain.events import Event
from ..extensions import db
from ..services import bus, notifications
from ..services.channels import channels_from_config
from .clock import now_utc

log = logging.getLogger(__name__)
_lock = threading.Lock()


def _on_events(events: Sequence[Event]) -> None:
    if not has_app_context() or not current_app.config.get("NOTIFY_TICKETS", True):
        return
    notifications.on_ticket_events(db.session, events, now=now_utc())


bus.subscribe(_on_events)


def send_once(app: Flask) -> notifications.SendReport:
    """One pass of the outbox with the app's configured channels."""
    channels = app.extensions.get("notify_channels") or channels_from_config(app.config)
    return notifications.send_due(db.session, channels, now=now_utc())


def start_worker(app: Flask) -> threading.Event | None:
    """Start the sender loop once per app; returns the event that stops it."""
    with _lock:
        if app.extensions.get("notify_worker"):
            return None
        stop = threading.Event()
        app.extensions["notify_worker"] = stop
    interval = float(app.config.get("NOTIFY_INTERVAL_SECONDS", 5))

    def loop() -> None:
        while not stop.is_set():
            with app.app_context():
                try:
                    send_once(app)
                except Exception:  # noqa: BLE001 - the loop must survive a bad pass
                    log.exception("notification worker pass failed")
                finally:
                    db.session.remove()
            stop.wait(interval)

    threading.Thread(target=loop, name="notify-worker", daemon=True).start()
    return stop


def maybe_start_worker() -> Any:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("NOTIFY_WORKER") and not app.extensions.get("notify_worker"):
        start_worker(app)
