"""Realtime: the only place that calls socketio.emit (filled in by the live-hall work)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire Socket.IO handlers and the event-bus subscriber."""
