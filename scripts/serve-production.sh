#!/usr/bin/env bash
# Production serving (docs/production.md): migrate, then one gunicorn process with the gevent
# worker (thousands of WebSocket connections in one thread; measured in bench/bench_realtime.py).
# Run one such process per port/host behind a proxy, all sharing PostgreSQL and Redis:
#   ASAN_DATABASE_URL=postgresql+psycopg://... ASAN_REDIS_URL=redis://... \
#   ASAN_SECRET_KEY=... ASAN_BIND=127.0.0.1:8001 scripts/serve-production.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ASAN_SECRET_KEY:?set ASAN_SECRET_KEY to a long random string}"
export ASAN_ASYNC_MODE=gevent
VENV="${VENV:-.venv}"
FLASK_APP=wsgi "$VENV/bin/flask" db upgrade
exec "$VENV/bin/gunicorn" -c gunicorn.conf.py wsgi:app
