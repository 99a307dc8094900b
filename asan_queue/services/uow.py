"""The unit of work: it owns a use case's transaction, collects the domain events the use
case records, runs the in-transaction handlers (the notification outbox: rows written in the
same transaction as the state change that causes them), commits, and only then hands the
events to the after-commit handlers (realtime fan-out).

Handlers are wired explicitly on a MessageBus in create_app; nothing subscribes at import.
A simulator or a test builds a bare MessageBus and runs the same use cases with no realtime
or SMS at all. Units of work nest: an inner `with uow:` joins the outer transaction, so use
cases compose (events are published once, when the outermost block commits)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from types import TracebackType

from sqlalchemy.orm import Session

from ..domain.events import Event
from ..models.engine import begin_write

log = logging.getLogger(__name__)

AfterCommit = Callable[[list[Event]], None]
InTransaction = Callable[[Session, Sequence[Event]], object]


class MessageBus:
    """Where committed events go. `in_transaction` handlers may write (they run before the
    commit and fail the use case if they fail); `after_commit` handlers must not change
    what was committed, and a failing one is logged, never raised."""

    def __init__(self) -> None:
        self.in_transaction: list[InTransaction] = []
        self.after_commit: list[AfterCommit] = []

    def before_commit(self, session: Session, events: Sequence[Event]) -> None:
        for handler in self.in_transaction:
            handler(session, events)

    def publish(self, events: Sequence[Event]) -> None:
        batch = list(events)
        if not batch:
            return
        for handler in list(self.after_commit):
            try:
                handler(batch)
            except Exception:
                log.exception("event handler failed")


class UnitOfWork:
    """`with uow: ...` is one write transaction (BEGIN IMMEDIATE on SQLite); `uow.record()`
    adds events. Leaving the block commits, or rolls back and re-raises: nothing
    half-written, no event published for what did not commit."""

    def __init__(self, session: Session, bus: MessageBus | None = None) -> None:
        self.session = session
        self.bus = bus if bus is not None else MessageBus()
        self.events: list[Event] = []
        self._depth = 0

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self.events = []
            begin_write(self.session)
        self._depth += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth:
            return
        if error is not None:
            self.session.rollback()
            self.events = []
            return
        events, self.events = self.events, []
        try:
            self.bus.before_commit(self.session, events)
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        self.bus.publish(events)

    def record(self, *events: Event) -> None:
        self.events.extend(events)
