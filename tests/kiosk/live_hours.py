"""Helpers for browser tests against the live demo server (kiosk and ticket page)."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from asan_queue.models import Center, OpeningPeriod, Service
from asan_queue.models.engine import write_transaction

CENTER = "baku-1"


def live_db_url(server: Any) -> str:
    """The SQLite file the live server was started with (tests/live.py puts it there)."""
    return f"sqlite:///{Path(server.log_path).parent / 'live.db'}"


def set_hours(server: Any, slug: str = CENTER, *, open_all_day: bool = True) -> None:
    """Make the center open (every day, all day) or closed (no hours at all), whatever the
    real clock says, by writing the live server's database as an admin would."""
    engine = create_engine(live_db_url(server))
    # One write transaction from its first read (BEGIN IMMEDIATE): the server writes the same
    # file, and a read transaction upgraded to a write fails at once when it has.
    with Session(engine) as session, write_transaction(session):
        center = session.query(Center).filter_by(slug=slug).one()
        # Through the ORM, not bulk deletes: the flush bumps the center's catalogue version,
        # so the server's cached catalogue (services/catalog_cache.py) is read again.
        center.hours.clear()
        center.closed_days.clear()
        session.flush()
        if open_all_day:
            center.hours.extend(
                OpeningPeriod(weekday=weekday, opens=time(0, 0), closes=time(23, 59, 59))
                for weekday in range(7)
            )
    engine.dispose()


def set_last_ticket(server: Any, service: str, at: str | None, slug: str = CENTER) -> None:
    """Set (or clear, with None) a service's last-ticket time, as an admin would."""
    engine = create_engine(live_db_url(server))
    with Session(engine) as session, write_transaction(session):
        center = session.query(Center).filter_by(slug=slug).one()
        row = session.query(Service).filter_by(center_id=center.id, code=service).one()
        row.last_ticket_time = time.fromisoformat(at) if at else None
    engine.dispose()


def open_counter_for(server: Any, service: str, username: str = "operator1") -> tuple[dict, int]:
    """Open (through the API) a counter of `CENTER` that serves `service`; returns the
    operator's auth header and the counter's id and number."""
    headers = server.token(username)
    center = requests.get(f"{server.url}/api/v1/centers/{CENTER}", timeout=10).json()
    counter = next(
        c for c in center["counters"] if service in c["services"] and c["state"] == "closed"
    )
    res = requests.post(
        f"{server.url}/api/v1/counters/{counter['id']}/open", headers=headers, timeout=10
    )
    res.raise_for_status()
    return headers, counter


# Browser stubs: window.print records instead of opening a dialog (the kiosk prints from an
# iframe, so the record goes to the top window); navigator.vibrate records its pattern.
PRINT_STUB = """
window.print = () => {
  const top = window.top;
  top.__prints = top.__prints || [];
  const img = document.querySelector('img');
  top.__prints.push(img ? img.src : location.href);
};
"""
VIBRATE_STUB = """
Object.defineProperty(navigator, 'vibrate', {value: (pattern) => {
  (window.__vibrations = window.__vibrations || []).push(pattern);
  return true;
}});
"""


def tickets_today(server: Any, username: str = "supervisor") -> list[dict]:
    """Today's tickets of CENTER, as the supervisor API lists them."""
    res = requests.get(
        f"{server.url}/api/v1/centers/{CENTER}/tickets", headers=server.token(username), timeout=10
    )
    res.raise_for_status()
    return list(res.json()["items"])
