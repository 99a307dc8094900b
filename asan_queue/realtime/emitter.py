"""The one emitter (STYLE.md rule 6): domain events in, Socket.IO messages out.

Use cases publish on the in-process bus after their transaction commits; `on_events` reads
the committed state in a fresh app context (own session) and emits, in this order:

    TicketCalled   -> `ticket_called` to center:<slug> and counter:<id>
    TicketChanged  -> `ticket` to ticket:<token>
    any change     -> `queue` to center:<slug>, `counter` to every counter whose waiting list,
                      current ticket or state changed, and `ticket` to each waiting ticket of a
                      service whose queue moved (position/ETA)

With ASAN_REDIS_URL set, socketio.emit goes through Redis and reaches every process.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context

from ..domain.events import CounterChanged, Event, TicketCalled, TicketChanged
from ..extensions import db, socketio
from ..models import Center, Counter, Ticket
from ..services.serialize import ticket_json
from .state import HallView, call_body

log = logging.getLogger(__name__)

# Operations after which the tickets behind in the same queue have a new position or ETA.
# (An ordinary new ticket joins at the back and moves no one; a priority one does.)
QUEUE_MOVES = frozenset({"call", "cancel", "transfer", "remove", "expire", "finish", "checkin"})


def clock_now(app: Flask) -> datetime:
    """The edge's clock (tests set app.config["CLOCK"], as for web/)."""
    clock = app.config.get("CLOCK")
    return clock() if clock is not None else datetime.now(UTC)


def send(event: str, body: dict[str, Any], room: str) -> None:
    """Stamp the room and its next sequence number, then emit to the room."""
    seq = current_app.extensions["asan_seq"].next(room)
    socketio.emit(event, {**body, "room": room, "seq": seq}, to=room)


class Batch:
    """Everything one published batch touches, grouped per center."""

    def __init__(self) -> None:
        self.calls: list[TicketCalled] = []
        self.tickets: dict[str, TicketChanged] = {}
        self.counters: set[int] = set()

    def add(self, event: Event) -> None:
        if isinstance(event, TicketCalled):
            self.calls.append(event)
            self.counters.add(event.counter_id)
        elif isinstance(event, TicketChanged):
            self.tickets[event.token] = event
            if event.counter_id is not None:
                self.counters.add(event.counter_id)
        elif isinstance(event, CounterChanged):
            self.counters.add(event.counter_id)


def emit_center(view: HallView, batch: Batch) -> None:
    session = view.session
    center = view.center
    for call in batch.calls:
        ticket = session.get(Ticket, call.ticket_id)
        counter = session.get(Counter, call.counter_id)
        if ticket is None or counter is None:
            continue
        body = call_body(center, ticket, counter, recall=call.recall, at=ticket.called_at)
        send("ticket_called", body, f"center:{center.slug}")
        send("ticket_called", body, f"counter:{counter.id}")
    if batch.calls:
        # Under gevent the writers of a thousand sockets only run when this greenlet yields:
        # let the call go out before the heavier queue/counter/position updates are built.
        socketio.sleep(0)

    moved: set[int] = set()  # services whose waiting list changed
    queue_moved: set[int] = set()  # services whose waiting tickets' position/ETA changed
    for token, change in batch.tickets.items():
        ticket = session.get(Ticket, change.ticket_id)
        if ticket is None:
            continue
        send("ticket", ticket_json(session, ticket, view.now), f"ticket:{token}")
        if change.operation not in ("start", "recall"):
            moved.add(ticket.service_id)
        if change.operation in QUEUE_MOVES or (change.operation == "issue" and ticket.priority):
            queue_moved.add(ticket.service_id)

    send("queue", view.queue_body(), f"center:{center.slug}")

    counters = {c.id: c for c in center.counters}
    for counter_id in list(batch.counters):
        counter = counters.get(counter_id)
        if counter is not None:  # opening or closing a counter changes its services' ETAs
            queue_moved.update(s.id for s in counter.services)
    for counter in counters.values():
        if counter.id in batch.counters or moved & {s.id for s in counter.services}:
            send("counter", view.counter_body(counter), f"counter:{counter.id}")

    for ticket, ahead_eta in view.positions(queue_moved):
        if ticket.token in batch.tickets:
            continue  # already sent above
        body = ticket_json(session, ticket, view.now, ahead_eta=ahead_eta)
        send("ticket", body, f"ticket:{ticket.token}")


def emit_batch(app: Flask, events: list[Event]) -> None:
    per_center: dict[str, Batch] = defaultdict(Batch)
    for event in events:
        per_center[event.center].add(event)
    # A fresh app context gives a fresh session: the publisher may still hold its own.
    with app.app_context():
        now = clock_now(app)
        for slug, batch in per_center.items():
            center = db.session.query(Center).filter_by(slug=slug).one_or_none()
            if center is not None:
                emit_center(HallView(db.session, center, now), batch)


class Subscriber:
    """The bus handler. One per process; it emits with the app that is current when the event
    is published (a request, a CLI command) or else the app that registered last."""

    def __init__(self) -> None:
        self.app: Flask | None = None

    def __call__(self, events: list[Event]) -> None:
        app = current_app._get_current_object() if has_app_context() else self.app  # type: ignore[attr-defined]
        if app is None or "asan_seq" not in app.extensions:
            return
        emit_batch(app, events)


subscriber = Subscriber()
