"""The edge reads the clock; everything below takes `now` as an argument.

Tests control time end to end: in-process by setting app.config["CLOCK"] to a callable that
returns an aware datetime, and for real server processes with CLOCK_FILE (ASAN_CLOCK_FILE,
never honoured in production), a file holding an ISO 8601 instant that the test rewrites to
move the servers' time (midnight, closing time, retry backoffs) without sleeping. The file
may also say "<instant> from <unix time>": a running clock that read <instant> at that unix
time and moves on at the wall clock's pace (live tests at a fixed opening hour)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
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
            instant, _, since = text.partition(" from ")
            value = datetime.fromisoformat(instant)
            value = value if value.tzinfo else value.replace(tzinfo=UTC)
            if since:
                value += timedelta(seconds=time.time() - float(since))
            return value
    return datetime.now(UTC)


def now_utc() -> datetime:
    if has_app_context():
        return app_now(current_app)
    return datetime.now(UTC)
