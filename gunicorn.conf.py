"""gunicorn settings for production (see docs/production.md).

One worker per process: Socket.IO keeps each client's session in the process that accepted
it, so scale with several processes (each its own port or host) behind a proxy, sharing
PostgreSQL and Redis (ASAN_REDIS_URL), never with gunicorn's -w N.
gevent holds thousands of WebSocket connections in one thread; the default cap of
1000 connections per worker is raised to ASAN_WORKER_CONNECTIONS (default 5000)."""

import os

bind = os.environ.get("ASAN_BIND", "127.0.0.1:8000")
worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("ASAN_WORKER_CONNECTIONS", "5000"))
# Long-lived WebSocket requests must not be killed as "stuck" workers.
timeout = 0
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("ASAN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("ASAN_LOG_LEVEL", "info")
raw_env = ["ASAN_ASYNC_MODE=gevent"]


def post_worker_init(worker):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Each server process runs its own periodic jobs (day closing, the outbox)."""
    from asan_queue.web import background

    background.start(worker.wsgi)
