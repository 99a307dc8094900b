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

Only to rooms with listeners (listeners.py, in any process), and a `ticket` message only
when its body differs from the last one that room got (digests in the store): the work and
the messages of an event depend on who listens and what changed for them, not on how many
wait. One batch is numbered in one store round trip, under the center's emit lock, so
batches from several processes go out in order.

With ASAN_REDIS_URL set, socketio.emit goes through Redis (manager.py) and reaches every
process. A batch that fails on Redis is retried, merged with what came meanwhile, until it
goes out: never dropped silently.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
from collections import defaultdict
from typing import Any

from flask import Flask, has_request_context
from pydantic import BaseModel
from sqlalchemy import select

from .. import metrics
from ..clock import app_now
from ..domain.errors import NotFound
from ..domain.events import CatalogChanged, CounterChanged, Event, TicketCalled, TicketChanged
from ..domain.statuses import TicketStatus
from ..extensions import db, socketio
from ..models import Counter, Ticket
from ..schemas.base import dump
from ..services.common import load_hall
from ..services.hall import HallView, call_body
from ..services.serialize import ticket_json

log = logging.getLogger(__name__)

# Operations after which the tickets behind in the same queue have a new position or ETA.
# (An ordinary new ticket joins at the back and moves no one; a priority one does.)
QUEUE_MOVES = frozenset(
    {"call", "cancel", "transfer", "remove", "expire", "finish", "checkin"}
    | {"move", "prioritise", "put_first", "return", "undo_finish", "undo_no_show"}
)
RETRY_FIRST = 0.05  # seconds before a failed batch is tried again; doubling up to RETRY_MAX
RETRY_MAX = 0.2
SYNC_PATIENCE = 10.0  # seconds a CLI command waits for Redis before it gives its events up


def digest(body: dict[str, Any]) -> str:
    return hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=12).hexdigest()


class Outbox:
    """The messages of one center's batch, numbered and sent together."""

    def __init__(self, listened: set[str], sent: dict[str, str]) -> None:
        self.listened = listened
        self.sent = sent  # room -> digest of the last `ticket` body it got
        self.messages: list[tuple[str, dict[str, Any], str]] = []
        self.digests: dict[str, str] = {}

    def add(self, event: str, body: BaseModel, room: str) -> None:
        if room in self.listened:
            self.messages.append((event, dump(body), room))

    def add_ticket(self, body: BaseModel, room: str) -> None:
        """A ticket room's body, only if it differs from the last one sent there."""
        if room not in self.listened:
            return
        data = dump(body)
        mark = digest(data)
        if self.sent.get(room) == mark or self.digests.get(room) == mark:
            return
        self.digests[room] = mark
        self.messages.append(("ticket", data, room))

    def send(self, store: Any, center: str) -> int:
        numbers = store.commit(center, [room for _, _, room in self.messages], self.digests)
        for (event, body, room), seq in zip(self.messages, numbers, strict=True):
            socketio.emit(event, {**body, "room": room, "seq": seq}, to=room)
        return len(self.messages)


class Batch:
    """Everything one published batch touches, grouped per center. Batches published while
    the emitter was busy are merged into one, so a burst costs one `queue` message."""

    def __init__(self) -> None:
        self.calls: list[TicketCalled] = []
        self.tickets: dict[str, TicketChanged] = {}
        self.operations: dict[str, set[str]] = defaultdict(set)
        self.counters: set[int] = set()
        self.catalog = False  # services, counters or hours changed: every body may differ

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


def emit_center(view: HallView, batch: Batch, out: Outbox) -> None:
    session = view.session
    center = view.center
    hall = f"center:{center.slug}"
    listened_tickets = {r.partition(":")[2] for r in out.listened if r.startswith("ticket:")}
    for call in batch.calls:
        if hall not in out.listened and f"counter:{call.counter_id}" not in out.listened:
            continue
        ticket = session.get(Ticket, call.ticket_id)
        counter = session.get(Counter, call.counter_id)
        if ticket is None or counter is None:
            continue
        body = call_body(
            center, ticket.number, ticket.service, counter, recall=call.recall, at=ticket.called_at
        )
        out.add("ticket_called", body, hall)
        out.add("ticket_called", body, f"counter:{counter.id}")

    moved: set[int] = set()  # services whose waiting list changed
    queue_moved: set[int] = set()  # services whose waiting tickets' position/ETA changed
    ids = {c.ticket_id for c in batch.tickets.values()}
    changed = (
        {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))} if ids else {}
    )
    for token, change in batch.tickets.items():
        ticket = changed.get(change.ticket_id)
        if ticket is None:
            continue
        operations = batch.operations[token]
        if operations != {"issue"} and token in listened_tickets:
            # A ticket that was only just issued has no phone page open yet: nobody could
            # have subscribed to a room whose token the kiosk has only now printed.
            out.add_ticket(ticket_json(session, ticket, view.now, view.model), f"ticket:{token}")
        if operations - {"start", "recall"}:
            moved.add(ticket.service_id)
        if operations & QUEUE_MOVES or ("issue" in operations and ticket.priority):
            queue_moved.add(ticket.service_id)

    if hall in out.listened:
        out.add("queue", view.queue_body(), hall)
        if batch.catalog:
            out.add("snapshot", view.center_state(), hall)

    counters = {c.id: c for c in center.counters}
    if batch.catalog:
        batch.counters.update(counters)
        moved.update(s.id for s in center.services)
        queue_moved.update(s.id for s in center.services)
    for counter_id in list(batch.counters):
        counter = counters.get(counter_id)
        if counter is not None:  # opening or closing a counter changes its services' ETAs
            queue_moved.update(s.id for s in counter.services)
    for counter in counters.values():
        if f"counter:{counter.id}" not in out.listened:
            continue
        if counter.id in batch.counters or moved & {s.id for s in counter.services}:
            out.add("counter", view.counter_body(counter), f"counter:{counter.id}")

    # Positions and ETAs: only the listened tickets that wait in a service that moved, and
    # only those whose body changed.
    waiting = listened_tickets - set(batch.tickets)
    if waiting and queue_moved:
        for ticket in session.scalars(
            select(Ticket).where(
                Ticket.token.in_(waiting),
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id.in_(queue_moved),
            )
        ):
            body = ticket_json(session, ticket, view.now, view.model)
            out.add_ticket(body, f"ticket:{ticket.token}")


def emit_batch(app: Flask, events: list[Event]) -> int:
    """Emit one batch; returns how many messages went out. Raises if the store (Redis)
    fails, with nothing of that center sent."""
    per_center: dict[str, Batch] = defaultdict(Batch)
    for event in events:
        per_center[event.center].add(event)
    store = app.extensions["asan_store"]
    listeners = app.extensions["asan_listeners"]
    sent = 0
    # A fresh app context gives a fresh session: the publisher may still hold its own.
    with app.app_context():
        now = app_now(app)
        for slug, batch in list(per_center.items()):
            with store.emit_lock(slug):
                listened = listeners.of(slug)
                if not listened:
                    store.bump(slug)  # cached snapshots are stale all the same
                    del per_center[slug]
                    continue
                tickets = [r for r in listened if r.startswith("ticket:")]
                out = Outbox(listened, store.digests(slug, tickets))
                try:
                    center = load_hall(db.session, slug)
                except NotFound:
                    del per_center[slug]
                    continue
                emit_center(HallView(db.session, center, now), batch, out)
                sent += out.send(store, slug)
                db.session.commit()
            del per_center[slug]  # done: a retry after a later center's failure skips it
    metrics.observe_emit((e.at for e in events if not isinstance(e, CatalogChanged)), app_now(app))
    return sent


def emit_until_sent(app: Flask, events: list[Event], *, patience: float | None = None) -> None:
    """emit_batch, retried with backoff while the store fails (Redis away), the events of
    the centers not yet sent kept. `patience` (seconds) bounds the wait (CLI commands)."""
    delay, waited = RETRY_FIRST, 0.0
    while True:
        try:
            emit_batch(app, events)
            return
        except Exception as exc:  # noqa: BLE001 - Redis or the database away: retry
            if patience is not None and waited >= patience:
                log.exception("realtime emit gave up after %.0f s", waited)
                return
            log.warning("realtime emit failed (%s); retrying", type(exc).__name__)
        socketio.sleep(delay)
        waited += delay
        delay = min(delay * 2, RETRY_MAX)


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
            emit_until_sent(self.app, events, patience=SYNC_PATIENCE)
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
            delay = RETRY_FIRST
            while True:
                try:
                    emit_batch(self.app, events)
                    break
                except Exception as exc:  # noqa: BLE001 - Redis away: retry, never drop
                    log.warning("realtime emit failed (%s); retrying", type(exc).__name__)
                socketio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                while True:  # what came meanwhile joins the retried batch
                    try:
                        events.extend(self._queue.get_nowait())
                    except queue.Empty:
                        break
