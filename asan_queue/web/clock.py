"""The edge reads the clock; everything below takes `now` as an argument. Tests may set
app.config["CLOCK"] to a callable returning an aware datetime to control time end to end."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context


def now_utc() -> datetime:
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()  # type: ignore[no-any-return]
    return datetime.now(UTC)
