"""The SQL statements one issued ticket costs, listed: POST /api/v1/centers/baku-1/tickets
through the whole project (web route, use case, unit of work, the realtime fan-out after
commit, here run before the request returns), counted with a `before_cursor_execute`
listener on SQLite and PostgreSQL, with N tickets already waiting.

    .venv/bin/python bench/issue_statements.py [--waiting 10,500] [--backends sqlite,postgresql]

PostgreSQL runs on a database of its own (asan_stmts_<pid>), dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, text  # noqa: E402

from asan_queue import create_app  # noqa: E402
from asan_queue.extensions import db  # noqa: E402
from asan_queue.services.demo import seed_demo  # noqa: E402
from asan_queue.web.uow import unit_of_work  # noqa: E402
from config import TestConfig  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
MONDAY_1000 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # a Monday 10:00 in Baku: open


@contextmanager
def pg_database() -> Iterator[str]:
    name = f"asan_stmts_{os.getpid()}"
    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str) -> Any:
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        CLOCK = staticmethod(lambda: MONDAY_1000)
        VALIDATE_RESPONSES = False  # the contract check is the tests', not production's

    app = create_app(Cfg)
    with app.app_context():
        db.create_all()
        seed_demo(unit_of_work(), now=MONDAY_1000)
    return app


def shorten(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return sql if len(sql) < 110 else sql[:107] + "..."


def count(app: Any, waiting: int, show: bool) -> tuple[int, int]:
    """Statements of one POST (in the request, after its commit) with `waiting` waiting."""
    client = app.test_client()
    services = ["id-card", "passport", "notary", "pension"]
    for i in range(waiting):
        res = client.post(
            "/api/v1/centers/baku-1/tickets", json={"service": services[i % len(services)]}
        )
        assert res.status_code == 201, res.get_json()  # noqa: S101
    # One warm-up issue (caches, the first statement compilations), then the counted one.
    client.post("/api/v1/centers/baku-1/tickets", json={"service": "id-card"})
    seen: list[tuple[str, str]] = []
    phase = ["request"]

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append((phase[0], statement))

    def committed(_events: Any) -> None:
        phase[0] = "after commit"

    bus = app.extensions["asan_bus"]
    bus.after_commit.insert(0, committed)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        res = client.post(
            "/api/v1/centers/baku-1/tickets",
            json={"service": "id-card"},
            headers={"Idempotency-Key": f"count-{waiting}"},
        )
        assert res.status_code == 201, res.get_json()  # noqa: S101
    finally:
        event.remove(engine, "before_cursor_execute", listen)
        bus.after_commit.remove(committed)
    if show:
        for i, (where, sql) in enumerate(seen, 1):
            print(f"  {i:>2} [{where}] {shorten(sql)}")
    before = sum(1 for where, _ in seen if where == "request")
    return before, len(seen) - before


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--waiting", default="10,500")
    ap.add_argument("--backends", default="sqlite,postgresql")
    args = ap.parse_args()
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp, contextmanager_for(backend, tmp) as url:
            for n in (int(x) for x in args.waiting.split(",")):
                app = make_app(url)
                print(f"{backend}, {n} waiting:")
                before, after = count(app, n, show=True)
                print(f"  = {before} until commit + {after} after = {before + after}")
                with app.app_context():
                    db.session.remove()
                    db.drop_all()
                    db.engine.dispose()


@contextmanager
def contextmanager_for(backend: str, tmp: str) -> Iterator[str]:
    if backend == "postgresql":
        with pg_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp}/stmts.db"


if __name__ == "__main__":
    main()
