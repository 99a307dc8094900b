"""Probes and metrics for operators of the installation: /healthz (the process answers),
/readyz (database, Redis and background jobs work), /metrics (Prometheus). Also served at the
site's root (web/ops.py), where load balancers and Prometheus look for them."""

from __future__ import annotations

import time
from typing import Any

from flask import Response, current_app
from prometheus_client import generate_latest
from sqlalchemy import func, select, text

from ... import metrics
from ...clock import now_utc
from ...domain.errors import Unavailable
from ...domain.statuses import TicketStatus
from ...extensions import db
from ...models import Center, Notification, Service, Ticket
from ...schemas import ops as o
from ..contract import Binary, operation
from . import bp


@operation(
    bp, "GET", "/healthz", summary="Liveness: this server process answers", tag="ops", ok=o.Alive
)
def healthz() -> o.Alive:
    return o.Alive()


def _database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True
    except Exception:  # noqa: BLE001 - reported as not ready
        db.session.rollback()
        return False


def _redis() -> bool | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    client = current_app.extensions.get("asan_redis_probe")
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["asan_redis_probe"] = client
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _background() -> bool:
    """Every job of this process's runner ran lately and its last pass did not fail."""
    runner: Any = current_app.extensions.get("asan_background")
    if runner is None:
        return False
    now = time.monotonic()
    for job in runner.jobs:
        late = max(3 * job.interval, 120.0)
        if job.last_started is None or now - job.last_started > late or job.last_error:
            return False
    return True


@operation(
    bp,
    "GET",
    "/readyz",
    summary="Readiness: database, Redis (when configured) and background jobs work",
    tag="ops",
    ok=o.Ready,
    description="503 with error code not_ready and the same checks when one fails.",
)
def readyz() -> o.Ready:
    checks = o.Checks(database=_database(), redis=_redis(), background=_background())
    if not checks.database or checks.redis is False or not checks.background:
        raise Unavailable(
            "this server is not ready", code="not_ready", details={"checks": checks.model_dump()}
        )
    return o.Ready(checks=checks)


def _refresh_gauges() -> None:
    now = now_utc()
    pending = select(func.count(), func.min(Notification.created_at)).where(
        Notification.status == "pending"
    )
    count, oldest = db.session.execute(pending).one()
    metrics.OUTBOX_PENDING.set(count)
    metrics.OUTBOX_OLDEST_SECONDS.set((now - oldest).total_seconds() if oldest else 0)
    waiting = (
        select(Center.slug, Service.code, func.count(Ticket.id))
        .join(Ticket, Ticket.center_id == Center.id)
        .join(Service, Service.id == Ticket.service_id)
        .where(Ticket.status == TicketStatus.WAITING)
        .group_by(Center.slug, Service.code)
    )
    metrics.WAITING.clear()
    for slug, code, n in db.session.execute(waiting):
        metrics.WAITING.labels(slug, code).set(n)
    runner: Any = current_app.extensions.get("asan_background")
    for job in getattr(runner, "jobs", ()):
        if job.last_ok is not None:
            metrics.JOB_LAST_OK.labels(job.name).set(job.last_ok.timestamp())
    db.session.rollback()


@operation(
    bp,
    "GET",
    "/metrics",
    summary="Prometheus metrics of this server process",
    tag="ops",
    ok=Binary("text/plain", "Prometheus text format 0.0.4"),
)
def prometheus_metrics() -> Response:
    _refresh_gauges()
    body = generate_latest(metrics.REGISTRY)
    return Response(body, content_type="text/plain; version=0.0.4; charset=utf-8")
