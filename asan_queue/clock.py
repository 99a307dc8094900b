"""The edge reads the clock; everything below takes `now` as an argument.

Tests control time end to end: in-process by setting app.config["CLOCK"] to a callable that
returns an aware datetime, and for real server processes with CLOCK_FILE (ASAN_CLOCK_FILE,
never honoured in production), a file holding an ISO 8601 instant that the test rewrites to
move the servers' time (midnight, closing time, retry backoffs) without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context


def app_now(app: Flask) -> datetime:
    clock = app.config.get("CLOCK")
    if clock is not None:
        return clock()  # type: ignore[no-any-return]
    path = app.config.get("CLOCK_FILE")
    if path:
        text = Path(path).read_text().strip()
        if text:
            value = datetime.fromisoformat(text)
            return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def now_utc() -> datetime:
    if has_app_context():
        return app_now(current_app)
    return datetime.now(UTC)
