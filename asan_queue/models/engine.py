"""Engine settings that make SQLite safe for a queue: WAL, synchronous=FULL (an acknowledged
ticket survives power loss), busy_timeout, foreign keys, and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, scoped_session

WRITE_OPTION = "asan_write"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    if type(dbapi_conn).__module__.startswith("sqlite3"):
        # The driver's own transaction handling is off so that "begin" below decides.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten values are zeroed, not left in free space: a purge of
        # personal data leaves no copy in the database file (services/retention.py).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        # A write transaction takes the lock up front, so two writers queue on busy_timeout
        # instead of one failing when it upgrades a stale read snapshot.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """`with write_transaction(session): ...`: begin a write transaction (begin_write), commit
    when the block ends, roll back (and re-raise) when it raises: nothing half-written."""
    begin_write(session)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def begin_write(session: Session) -> None:
    """Start a fresh write transaction on `session` (BEGIN IMMEDIATE on SQLite).

    Any read transaction already open (e.g. from loading the current user) is ended first,
    so the write sees the latest committed state."""
    real = session() if isinstance(session, scoped_session) else session
    if real.in_transaction():
        real.commit()
    real.connection(execution_options={WRITE_OPTION: True})
