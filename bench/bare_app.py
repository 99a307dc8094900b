"""The bare ceiling of ticket issuing (issue 14): a minimal Flask app doing the essential
writes of POST /api/v1/centers/<slug>/tickets on the project's own schema, with the same
durability and served the same way, so bench/bench_issue.py can print the project's
throughput as a fraction of what this machine allows.

Per ticket, in one transaction (SQLite: WAL, synchronous=FULL, BEGIN IMMEDIATE, as
asan_queue/models/engine.py sets them; PostgreSQL: psycopg, autocommit off, one connection
per client as SQLAlchemy's pool gives):
    the Idempotency-Key lookup, the day counter's upsert ... RETURNING, the people ahead
    (one indexed count), INSERT ticket (with its quote), INSERT its issue event, INSERT the
    key; COMMIT; a JSON answer with the token, number and place.
No ORM, no validation layer, no events, no ETA model: what any implementation must do.

Started like serve.py (bench/bench_issue.py runs it through tests/live.start_server): the
same ASAN_* environment, the project's migrations and demo data (so the schema and the
rows are the project's), gevent with the same TCP_NODELAY handler (or Werkzeug's threaded
server with ASAN_ASYNC_MODE=threading), GET /api/v1/centers answering for readiness.

    ASAN_DATABASE_URL=sqlite:////tmp/x.db ASAN_PORT=5001 .venv/bin/python bench/bare_app.py
"""

from __future__ import annotations

import os

if os.environ.get("ASAN_ASYNC_MODE", "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import json
import secrets
import sqlite3
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import time
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask, Response, request  # noqa: E402

TICKET = (
    "INSERT INTO tickets (token, center_id, service_id, day, number, status, lang, priority,"
    " phone, call_first, call_count, quoted_eta_minutes, quoted_eta_low, quoted_eta_high,"
    " issued_ahead, issued_at, queued_at) VALUES ({})"
)
EVENT = (
    "INSERT INTO ticket_events (ticket_id, operation, from_status, to_status, at, reason, data)"
    " VALUES ({})"
)
KEY = (
    "INSERT INTO idempotency_keys (center_id, key, request_hash, ticket_id, created_at) VALUES ({})"
)
KEY_LOOKUP = "SELECT ticket_id FROM idempotency_keys WHERE center_id = {0} AND key = {0}"
UPSERT = (
    "INSERT INTO day_counters (center_id, prefix, day, value) VALUES ({0}, {0}, {0}, 1)"
    " ON CONFLICT (center_id, prefix, day) DO UPDATE SET value = day_counters.value + 1"
    " RETURNING value"
)
AHEAD = (
    "SELECT count(*) FROM tickets WHERE center_id = {0} AND day = {0} AND status = 'waiting'"
    " AND service_id = {0}"
)


def prepare_schema() -> None:
    """The project's migrations and demo data, exactly as serve.py runs them at start."""
    from flask_migrate import upgrade

    from asan_queue import create_app
    from asan_queue.clock import now_utc
    from asan_queue.services.demo import seed_demo
    from asan_queue.web.uow import unit_of_work
    from config import ROOT, Config

    (ROOT / "instance").mkdir(exist_ok=True)
    app = create_app(Config)
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        seed_demo(unit_of_work(), now=now_utc())
        from asan_queue.extensions import db

        db.session.remove()
        db.engine.dispose()


def now() -> datetime:
    """The project's clock (ASAN_CLOCK_FILE read per request, as asan_queue/clock.py does)."""
    path = os.environ.get("ASAN_CLOCK_FILE")
    if path:
        text = Path(path).read_text().strip()
        instant, _, since = text.partition(" from ")
        value = datetime.fromisoformat(instant)
        if since:
            value += timedelta(seconds=time() - float(since))
        return value.astimezone(UTC)
    return datetime.now(UTC)


class Sqlite:
    mark = "?"

    def __init__(self, url: str) -> None:
        self.path = url.split(":///", 1)[1]

    def connect(self) -> Any:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=15000"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")
        return conn

    def begin(self, conn: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")

    @staticmethod
    def stamp(value: datetime) -> Any:
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def day(value: date) -> Any:
        return value.isoformat()

    def insert_id(self, cur: Any, sql: str, args: tuple[Any, ...]) -> int:
        cur.execute(sql, args)
        return int(cur.lastrowid)


class Postgres:
    mark = "%s"

    def __init__(self, url: str) -> None:
        self.dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.dsn)

    def begin(self, conn: Any) -> None:
        pass  # psycopg opens the transaction with the first statement

    @staticmethod
    def stamp(value: datetime) -> Any:
        return value

    @staticmethod
    def day(value: date) -> Any:
        return value

    def insert_id(self, cur: Any, sql: str, args: tuple[Any, ...]) -> int:
        cur.execute(sql + " RETURNING id", args)
        return int(cur.fetchone()[0])


def sql(template: str, db: Any, n: int = 0) -> str:
    return template.format(", ".join([db.mark] * n)) if n else template.format(db.mark)


def make_app(url: str) -> Flask:
    db: Any = Postgres(url) if url.startswith("postgresql") else Sqlite(url)
    local = threading.local()  # greenlet-local under gevent: one connection per client
    statements = {
        "ticket": sql(TICKET, db, 17),
        "event": sql(EVENT, db, 7),
        "key": sql(KEY, db, 5),
        "lookup": sql(KEY_LOOKUP, db),
        "upsert": sql(UPSERT, db),
        "ahead": sql(AHEAD, db),
    }

    def connection() -> Any:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = db.connect()
        return conn

    # The catalogue, read once (the project caches it per process too).
    conn = db.connect()
    cur = conn.cursor()
    cur.execute("SELECT id, slug, timezone FROM centers")
    centers = {slug: (cid, ZoneInfo(tz)) for cid, slug, tz in cur.fetchall()}
    cur.execute(
        "SELECT center_id, code, id, prefix FROM services WHERE active = "
        + ("1" if db.mark == "?" else "true")
    )
    services = {(c, code): (sid, prefix) for c, code, sid, prefix in cur.fetchall()}
    conn.close()

    app = Flask(__name__)

    def answer(body: dict[str, Any], status: int) -> Response:
        return Response(json.dumps(body), status, mimetype="application/json")

    @app.get("/api/v1/centers")
    def centers_list() -> Response:
        return answer({"items": [{"slug": s} for s in centers]}, 200)

    @app.post("/api/v1/centers/<slug>/tickets")
    def issue(slug: str) -> Response:
        body = request.get_json(silent=True) or {}
        found = centers.get(slug)
        service = services.get((found[0], body.get("service"))) if found else None
        if found is None or service is None:
            return answer({"error": {"code": "not_found", "message": "no such service"}}, 404)
        center_id, zone = found
        service_id, prefix = service
        key = request.headers.get("Idempotency-Key") or None
        at = now()
        day = at.astimezone(zone).date()
        conn = connection()
        cur = conn.cursor()
        db.begin(conn)
        try:
            if key:
                cur.execute(statements["lookup"], (center_id, key))
                if cur.fetchone() is not None:
                    conn.rollback()
                    return answer({"error": {"code": "replayed", "message": "seen"}}, 409)
            cur.execute(statements["upsert"], (center_id, prefix, db.day(day)))
            number = f"{prefix}{int(cur.fetchone()[0]):03d}"
            cur.execute(statements["ahead"], (center_id, db.day(day), service_id))
            ahead = int(cur.fetchone()[0])
            token = secrets.token_urlsafe(32)
            stamp = db.stamp(at)
            ticket_id = db.insert_id(
                cur,
                statements["ticket"],
                (token, center_id, service_id, db.day(day), number, "waiting")
                + (body.get("lang", "az"), None, None, False, 0, ahead * 10, None, None)
                + (ahead, stamp, stamp),
            )
            cur.execute(
                statements["event"], (ticket_id, "issue", None, "waiting", stamp, "kiosk", "{}")
            )
            if key:
                cur.execute(statements["key"], (center_id, key, "-", ticket_id, stamp))
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        ticket = {"token": token, "number": number, "position": ahead + 1}
        return answer(ticket, 201)

    return app


def main() -> None:
    url = os.environ["ASAN_DATABASE_URL"]
    prepare_schema()
    app = make_app(url)
    host = os.environ.get("ASAN_HOST", "127.0.0.1")
    port = int(os.environ.get("ASAN_PORT", "5000"))
    print(f"bare issuing app on http://{host}:{port}", flush=True)
    if os.environ.get("ASAN_ASYNC_MODE", "gevent") == "gevent":
        from gevent.pywsgi import WSGIServer

        from serve import server_options

        handler = server_options("gevent")["handler_class"]
        WSGIServer((host, port), app, handler_class=handler, log=None).serve_forever()
    else:
        app.run(host=host, port=port, threaded=True)


if __name__ == "__main__":
    main()
