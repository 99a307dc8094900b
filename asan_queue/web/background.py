"""The server's own periodic jobs, one background task per server process (a greenlet under
gevent, a thread under threading): send due notifications (the outbox), close the centers'
days at closing time, mark lapsed bookings no-show and purge personal data past its
retention (hourly). The first pass runs at start-up, so
a day missed while the server was down is closed at once.

Started by serve.py and by gunicorn's worker hook (gunicorn.conf.py), never by create_app,
the tests' app fixture or a CLI command. Each job is safe to run in several processes at
once (claimed outbox rows, the day-closure key), so no leader is needed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask

from ..clock import app_now
from ..extensions import db, socketio
from ..realtime.supervise import publish_changed
from ..services import checkin, day, retention
from ..services.uow import UnitOfWork
from .notify import send_once

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


@dataclass
class Job:
    name: str
    interval: float  # seconds between runs
    run: Callable[[Flask, datetime], Any]
    last_started: float | None = None  # monotonic
    last_ok: datetime | None = None
    last_error: str | None = None
    runs: int = 0

    def due(self, monotonic: float) -> bool:
        return self.last_started is None or monotonic - self.last_started >= self.interval


def _close_days(app: Flask, now: datetime) -> Any:
    uow = UnitOfWork(db.session, app.extensions["asan_bus"])
    closed = day.close_due_days(uow, now=now)
    checkin.mark_no_shows(uow, now=now)
    for c in closed:
        log.info(
            "closed %s %s: %d ticket(s) expired, %d booking(s) missed, %d counter(s) closed",
            c.center,
            c.day.isoformat(),
            c.tickets_expired,
            c.bookings_missed,
            c.counters_closed,
        )
    return closed


def _purge(app: Flask, now: datetime) -> Any:
    uow = UnitOfWork(db.session, app.extensions["asan_bus"])
    purged = retention.purge_personal_data(uow, retention.configured(app.config), now=now)
    log.info(
        "purged personal data: %d booking(s), %d ticket(s), %d notification(s), %d comment(s)",
        purged.appointments,
        purged.tickets,
        purged.notifications,
        purged.comments,
    )
    return purged


def default_jobs(app: Flask) -> list[Job]:
    cfg = app.config
    jobs = [
        Job("close_days", float(cfg.get("DAY_CLOSE_INTERVAL_SECONDS", 30)), _close_days),
        Job("purge", float(cfg.get("PURGE_INTERVAL_SECONDS", 3600)), _purge),
        # The supervisors' dashboards: pushed when changed, so a change shows within 1 s.
        Job("supervise", float(cfg.get("SUPERVISE_INTERVAL_SECONDS", 1)), publish_changed),
    ]
    if cfg.get("NOTIFY_WORKER", True):
        interval = float(cfg.get("NOTIFY_INTERVAL_SECONDS", 5))
        jobs.append(Job("notify", interval, lambda a, _now: send_once(a)))
    return jobs


@dataclass
class Runner:
    app: Flask
    jobs: list[Job]
    stopped: threading.Event = field(default_factory=threading.Event)

    def run_pending(self) -> None:
        """Run every job that is due, each in its own app context and session."""
        for job in self.jobs:
            started = time.monotonic()
            if not job.due(started):
                continue
            job.last_started = started
            with self.app.app_context():
                try:
                    job.run(self.app, app_now(self.app))
                    job.last_ok, job.last_error = app_now(self.app), None
                except Exception as err:  # noqa: BLE001 - a failing pass must not stop the loop
                    job.last_error = type(err).__name__
                    log.exception("background job %s failed", job.name)
                finally:
                    job.runs += 1
                    db.session.remove()

    def loop(self) -> None:
        while not self.stopped.is_set():
            self.run_pending()
            socketio.sleep(TICK_SECONDS)


def start(app: Flask) -> Runner:
    """Start this process's job loop once per app; returns its runner."""
    runner = app.extensions.get("asan_background")
    if runner is None:
        runner = Runner(app, default_jobs(app))
        app.extensions["asan_background"] = runner
        socketio.start_background_task(runner.loop)
    return runner  # type: ignore[no-any-return]
