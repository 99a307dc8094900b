"""What operators of an installation see: one JSON line per log record (INFO kept; no
personal data: requests are logged by their route, never their values, query or body), the
latency of every request in /metrics, the probes at the site's root, compressed answers."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from flask_compress import Compress

from .. import metrics

access = logging.getLogger("asan_queue.access")
_MARK = "_asan_json"


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message and the record's
    `fields` (extra={"fields": {...}}); exceptions as their type and trace."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            out["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "error"
            out["trace"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for the whole process, once (several apps in one process share
    it); INFO and above are kept."""
    root = logging.getLogger()
    if any(getattr(h, _MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level)


def _started() -> None:
    g.asan_started = time.perf_counter()


def _finished(response: Response) -> Response:
    started = g.pop("asan_started", None)
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    metrics.REQUEST_SECONDS.labels(request.method, route, str(response.status_code)).observe(
        seconds
    )
    access.info(
        "request",
        extra={
            "fields": {
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "ms": round(seconds * 1000, 1),
            }
        },
    )
    return response


def register(app: Flask) -> None:
    if app.config.get("LOG_JSON", True) and not app.testing:
        configure_logging(str(app.config.get("LOG_LEVEL", "INFO")))
    app.before_request(_started)
    app.after_request(_finished)
    # Load balancers and Prometheus look at the root; the contract documents them under
    # /api/v1 (web/api/ops.py), the same views.
    for name in ("healthz", "readyz", "metrics"):
        endpoint = "prometheus_metrics" if name == "metrics" else name
        app.add_url_rule(f"/{name}", f"root_{name}", app.view_functions[f"api.{endpoint}"])
    Compress(app)
