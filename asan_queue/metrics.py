"""Prometheus metrics of this server process (GET /metrics): request latency, the realtime
emitter's lag, the notification outbox backlog and waiting tickets per service. One registry
per process; scrape every process (each is its own target) or sum them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client import CollectorRegistry, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "asan_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (the URL rule, never the values in it)",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
EMIT_LAG_SECONDS = Histogram(
    "asan_realtime_emit_lag_seconds",
    "From the commit of a change to its Socket.IO messages going out",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0),
    registry=REGISTRY,
)
OUTBOX_PENDING = Gauge(
    "asan_outbox_pending", "Notifications waiting to be sent (SMS, e-mail)", registry=REGISTRY
)
OUTBOX_OLDEST_SECONDS = Gauge(
    "asan_outbox_oldest_pending_seconds",
    "Age of the oldest notification waiting to be sent (0 when none)",
    registry=REGISTRY,
)
WAITING = Gauge(
    "asan_waiting_tickets",
    "Tickets waiting, per center and service",
    ["center", "service"],
    registry=REGISTRY,
)
JOB_LAST_OK = Gauge(
    "asan_background_job_last_ok_timestamp_seconds",
    "When each background job of this process last finished without error",
    ["job"],
    registry=REGISTRY,
)


def observe_emit(committed: Iterable[datetime], emitted: datetime) -> None:
    """The lag of one emitted batch: from its oldest change to now."""
    times = list(committed)
    if times:
        EMIT_LAG_SECONDS.observe(max(0.0, (emitted - min(times)).total_seconds()))
