"""Delivery of the notification outbox with the app's configured channels (the server's
background job and `flask notify-send` both call this)."""

from __future__ import annotations

from flask import Flask

from ..clock import now_utc
from ..extensions import db
from ..services import notifications
from ..services.channels import channels_from_config


def send_once(app: Flask) -> notifications.SendReport:
    """One pass of the outbox with the app's configured channels."""
    channels = app.extensions.get("notify_channels") or channels_from_config(app.config)
    return notifications.send_due(db.session, channels, now=now_utc())
