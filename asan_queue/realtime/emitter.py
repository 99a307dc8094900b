"""The one emitter (STYLE.md rule 6): domain events in, Socket.IO messages out.

Use cases publish on the in-process bus after their transaction commits; `on_events` reads
the committed state in a fresh app context (own session) and emits, in this order:

    TicketCalled   -> `ticket_called` to center:<slug> and counter:<id>
    TicketChanged  -> `ticket` to ticket:<token>
    any change     -> `queue` to center:<slug>, `counter` to every counter whose waiting list,
                      current ticket or state changed, and `ticket` to each waiting ticket of a
                      service whose queue moved (position/ETA)
    CatalogChanged -> a fresh `snapshot` to center:<slug> (kiosks and displays take renamed,
                      new or withdrawn services, hours, counters as they are) and `counter` to
                      each of its counters

With ASAN_REDIS_URL set, socketio.emit goes through Redis and reaches every process.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import defaultdict

from flask import Flask, current_app, has_request_context
from pydantic import BaseModel

from .. import metrics
from ..clock import app_now
from ..domain.errors import NotFound
from ..domain.events import CatalogChanged, CounterChanged, Event, TicketCalled, TicketChanged
from ..extensions import db, socketio
from ..models import Counter, Ticket
from ..schemas.base import dump
from ..services.common import load_hall
from ..services.hall import HallView, call_body
from ..services.serialize import ticket_json

log = logging.getLogger(__name__)

# Operations after which the tickets behind in the same queue have a new position or ETA.
# (An ordinary new ticket joins at the back and moves no one; a priority one does.)
QUEUE_MOVES = frozenset({"call", "cancel", "transfer", "remove", "expire", "finish", "checkin"})


def send(event: str, body: BaseModel, room: str) -> None:
    """Stamp the room and its next sequence number, then emit the message to the room."""
    seq = current_app.extensions["asan_seq"].next(room)
    socketio.emit(event, {**dump(body), "room": room, "seq": seq}, to=room)


class Batch:
    """Everything one published batch touches, grouped per center. Batches published while
    the emitter was busy are merged into one, so a burst costs one `queue` message."""

    def __init__(self) -> None:
        self.calls: list[TicketCalled] = []
        self.tickets: dict[str, TicketChanged] = {}
        self.operations: dict[str, set[str]] = defaultdict(set)
        self.counters: set[int] = set()
        self.catalog = False  # the center's catalogue changed: everything is sent afresh

    def add(self, event: Event) -> None:
        if isinstance(event, TicketCalled):
            self.calls.append(event)
            self.counters.add(event.counter_id)
        elif isinstance(event, TicketChanged):
            self.tickets[event.token] = event
            self.operations[event.token].add(event.operation)
            if event.counter_id is not None:
                self.counters.add(event.counter_id)
        elif isinstance(event, CounterChanged):
            self.counters.add(event.counter_id)
        elif isinstance(event, CatalogChanged):
            self.catalog = True


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
        operations = batch.operations[token]
        if operations != {"issue"}:
            # A ticket that was only just issued has no phone page open yet: nobody could
            # have subscribed to a room whose token the kiosk has only now printed.
            body = ticket_json(session, ticket, view.now, view.model)
            send("ticket", body, f"ticket:{token}")
        if operations - {"start", "recall"}:
            moved.add(ticket.service_id)
        if operations & QUEUE_MOVES or ("issue" in operations and ticket.priority):
            queue_moved.add(ticket.service_id)

    send("queue", view.queue_body(), f"center:{center.slug}")
    if batch.catalog:
        send("snapshot", view.center_state(), f"center:{center.slug}")
        batch.counters.update(c.id for c in center.counters)

    counters = {c.id: c for c in center.counters}
    for counter_id in list(batch.counters):
        counter = counters.get(counter_id)
        if counter is not None:  # opening or closing a counter changes its services' ETAs
            queue_moved.update(s.id for s in counter.services)
    for counter in counters.values():
        if counter.id in batch.counters or moved & {s.id for s in counter.services}:
            send("counter", view.counter_body(counter), f"counter:{counter.id}")

    for ticket in view.waiting_tickets(queue_moved):
        if ticket.token in batch.tickets:
            continue  # already sent above
        body = ticket_json(session, ticket, view.now, view.model)
        send("ticket", body, f"ticket:{ticket.token}")


def emit_batch(app: Flask, events: list[Event]) -> None:
    per_center: dict[str, Batch] = defaultdict(Batch)
    for event in events:
        per_center[event.center].add(event)
    # A fresh app context gives a fresh session: the publisher may still hold its own.
    with app.app_context():
        now = app_now(app)
        for slug, batch in per_center.items():
            try:
                center = load_hall(db.session, slug)
            except NotFound:
                continue
            emit_center(HallView(db.session, center, now), batch)
    metrics.observe_emit((e.at for e in events), app_now(app))


class Subscriber:
    """The after-commit handler of one app's bus (wired in create_app by realtime.register).

    Events committed while serving a request are handed to one background task per app
    and the request returns at once: a kiosk's ticket or a desk's call-next never waits for
    the fan-out to a thousand sockets, and what piles up while the task is busy is merged
    into one batch. Elsewhere (CLI, background jobs, tests with REALTIME_SYNC) it emits
    before returning."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._queue: queue.SimpleQueue[list[Event]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._worker = False

    def __call__(self, events: list[Event]) -> None:
        if self.app.config.get("REALTIME_SYNC") or not has_request_context():
            emit_batch(self.app, events)
            return
        self._queue.put(list(events))
        with self._lock:
            if not self._worker:
                self._worker = True
                socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            events = self._queue.get()
            while True:
                try:
                    events.extend(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                emit_batch(self.app, events)
            except Exception:  # noqa: BLE001 - one bad batch must not stop the emitter
                log.exception("realtime emit failed")
