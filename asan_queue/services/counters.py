"""Operator use cases at a counter: open, pause, close, call-next, recall, start, finish,
no-show, transfer. Each owns its transaction and publishes after commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.errors import Conflict, Forbidden, NotFound, ValidationError
from ..domain.events import CounterChanged, Event, TicketCalled, TicketChanged
from ..domain.policy import Candidate, rank
from ..domain.statuses import AT_COUNTER, CounterState, Role, TicketStatus
from ..models import Appointment, Counter, Service, Ticket, TicketEvent, User
from ..models.engine import write_transaction
from . import bus
from .common import get_service
from .queue import record_service_time
from .transitions import apply


def _load_counter(session: Session, counter_id: int, user: User) -> Counter:
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise NotFound("no such counter", code="counter_not_found")
    if user.role != Role.ADMIN and user.center_id != counter.center_id:
        raise Forbidden("you can only work counters of your own center", code="wrong_center")
    return counter


def _held(counter: Counter, user: User) -> None:
    if counter.operator_id != user.id:
        raise Conflict(
            f"open counter {counter.number} first; you do not hold it", code="counter_not_held"
        )


def current_ticket(session: Session, counter: Counter) -> Ticket | None:
    """The ticket called to or being served at this counter, if any."""
    return session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER))
    )


def _run(session: Session, work: Callable[[], tuple[object, list[Event]]]) -> object:
    with write_transaction(session):
        result, events = work()
    bus.publish(events)
    return result


def open_counter(session: Session, counter_id: int, user: User, *, now: datetime) -> Counter:
    """Take the counter and open it. An operator holds one counter at a time; a counter held by
    someone else is refused. Raises NotFound, Forbidden, Conflict."""

    def work() -> tuple[object, list[Event]]:
        counter = _load_counter(session, counter_id, user)
        if counter.operator_id not in (None, user.id):
            holder = counter.operator.username if counter.operator else "another operator"
            raise Conflict(
                f"counter {counter.number} is already open at another desk ({holder})",
                code="counter_taken",
            )
        other = session.scalar(
            select(Counter).where(Counter.operator_id == user.id, Counter.id != counter.id)
        )
        if other is not None:
            raise Conflict(
                f"you already hold counter {other.number}; close it first", code="holds_other"
            )
        counter.operator_id = user.id
        counter.state = CounterState.OPEN
        counter.pause_reason = None
        return counter, [CounterChanged(counter.center.slug, counter.id)]

    return _run(session, work)  # type: ignore[return-value]


def pause_counter(
    session: Session, counter_id: int, user: User, *, reason: str, now: datetime
) -> Counter:
    """Pause with a reason (break, paperwork...); no one is called while paused."""
    if not reason.strip():
        raise ValidationError("a pause needs a reason", code="reason_required")

    def work() -> tuple[object, list[Event]]:
        counter = _load_counter(session, counter_id, user)
        _held(counter, user)
        counter.state = CounterState.PAUSED
        counter.pause_reason = reason.strip()[:200]
        return counter, [CounterChanged(counter.center.slug, counter.id)]

    return _run(session, work)  # type: ignore[return-value]


def close_counter(session: Session, counter_id: int, user: User, *, now: datetime) -> Counter:
    """Close and release the counter. Refused while a ticket is still at it."""

    def work() -> tuple[object, list[Event]]:
        counter = _load_counter(session, counter_id, user)
        if user.role == Role.OPERATOR:
            _held(counter, user)
        ticket = current_ticket(session, counter)
        if ticket is not None:
            raise Conflict(
                f"ticket {ticket.number} is still at this counter; finish or no-show it first",
                code="ticket_at_counter",
            )
        counter.state = CounterState.CLOSED
        counter.operator_id = None
        counter.pause_reason = None
        return counter, [CounterChanged(counter.center.slug, counter.id)]

    return _run(session, work)  # type: ignore[return-value]


def _candidates(session: Session, counter: Counter) -> list[Candidate]:
    service_ids = [s.id for s in counter.services]
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.queued_at,
            Service.target_wait_minutes,
            Ticket.priority,
            Appointment.starts_at,
        )
        .join(Service, Service.id == Ticket.service_id)
        .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
        .where(
            Ticket.center_id == counter.center_id,
            Ticket.status == TicketStatus.WAITING,
            Ticket.service_id.in_(service_ids),
        )
    ).all()
    return [Candidate(*row) for row in rows]


def _claim(session: Session, ticket_id: int, counter: Counter, user: User, now: datetime) -> bool:
    """Claim in one conditional UPDATE: of two counters racing for a ticket exactly one sees
    rowcount 1 (PostgreSQL re-checks the row after the winner's lock; SQLite serialises)."""
    result = session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.WAITING)
        .values(status=TicketStatus.CALLED, counter_id=counter.id, operator_id=user.id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def call_next(session: Session, counter_id: int, user: User, *, now: datetime) -> Ticket | None:
    """Call the next ticket for this counter by the center's policy and record why it was
    chosen. Returns None when no one waits. Raises Conflict if the counter is not open or a
    ticket is still at it."""

    def work() -> tuple[object, list[Event]]:
        counter = _load_counter(session, counter_id, user)
        _held(counter, user)
        if counter.state != CounterState.OPEN:
            raise Conflict(f"counter {counter.number} is {counter.state}", code="counter_not_open")
        busy = current_ticket(session, counter)
        if busy is not None:
            raise Conflict(
                f"ticket {busy.number} is still at this counter; finish or no-show it first",
                code="ticket_at_counter",
            )
        for choice in rank(_candidates(session, counter), now, counter.center.call_policy):
            if not _claim(session, choice.ticket_id, counter, user, now):
                continue  # another counter took it between our read and our claim
            ticket = session.get(Ticket, choice.ticket_id)
            assert ticket is not None
            session.refresh(ticket)
            ticket.call_count = 1
            ticket.first_called_at = ticket.called_at = now
            event = TicketEvent(
                operation="call",
                from_status=TicketStatus.WAITING.value,
                to_status=TicketStatus.CALLED.value,
                at=now,
                actor_id=user.id,
                counter_id=counter.id,
                reason=choice.reason[:300],
                data={},
            )
            ticket.events.append(event)
            slug = counter.center.slug
            return ticket, [
                TicketCalled(slug, ticket.token, ticket.id, counter.id, recall=False),
                TicketChanged(slug, ticket.token, "call", ticket.id, counter.id),
            ]
        return None, []

    return _run(session, work)  # type: ignore[return-value]


def _at_counter(session: Session, counter_id: int, user: User) -> tuple[Counter, Ticket]:
    counter = _load_counter(session, counter_id, user)
    _held(counter, user)
    ticket = current_ticket(session, counter)
    if ticket is None:
        raise Conflict(f"no ticket is at counter {counter.number}", code="no_current_ticket")
    return counter, ticket


def _ticket_op(
    session: Session, counter_id: int, user: User, operation: str, *, now: datetime
) -> Ticket:
    def work() -> tuple[object, list[Event]]:
        counter, ticket = _at_counter(session, counter_id, user)
        slug = counter.center.slug
        events: list[Event] = []
        op, reason = operation, ""
        if operation == "recall" and ticket.call_count >= counter.center.max_calls:
            op = "no_show"
            reason = f"called {ticket.call_count} times without showing"
        apply(session, ticket, op, now=now, actor_id=user.id, counter_id=counter.id, reason=reason)
        if op == "recall":
            ticket.call_count += 1
            ticket.called_at = now
            events.append(TicketCalled(slug, ticket.token, ticket.id, counter.id, recall=True))
        elif op == "start":
            ticket.started_at = now
        elif op == "finish" and ticket.started_at is not None:
            minutes = (now - ticket.started_at) / timedelta(minutes=1)
            record_service_time(session, ticket.service_id, minutes, counter.center, now)
        events.append(TicketChanged(slug, ticket.token, op, ticket.id, counter.id))
        return ticket, events

    return _run(session, work)  # type: ignore[return-value]


def recall(session: Session, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """Announce the called ticket again; past the center's max calls it becomes a no-show."""
    return _ticket_op(session, counter_id, user, "recall", now=now)


def start(session: Session, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """The citizen arrived at the counter: service starts."""
    return _ticket_op(session, counter_id, user, "start", now=now)


def finish(session: Session, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """Service done."""
    return _ticket_op(session, counter_id, user, "finish", now=now)


def no_show(session: Session, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """The called citizen did not come."""
    return _ticket_op(session, counter_id, user, "no_show", now=now)


def transfer(
    session: Session,
    counter_id: int,
    user: User,
    *,
    service_code: str,
    first: bool,
    now: datetime,
) -> Ticket:
    """Move the visit at this counter to another service's queue with the same number,
    keeping its arrival time, or ahead of everyone waiting there (`first`)."""

    def work() -> tuple[object, list[Event]]:
        counter, ticket = _at_counter(session, counter_id, user)
        target = get_service(session, counter.center, service_code)
        if target.id == ticket.service_id:
            raise ValidationError("the ticket is already in that service", code="same_service")
        source = ticket.service.code
        apply(
            session,
            ticket,
            "transfer",
            now=now,
            actor_id=user.id,
            counter_id=counter.id,
            reason=f"transferred from {source} to {target.code}" + (" (first)" if first else ""),
            data={"from": source, "to": target.code, "first": first},
        )
        ticket.service_id = target.id
        ticket.service = target
        ticket.counter_id = None
        ticket.call_count = 0
        if first:
            earliest = session.scalar(
                select(Ticket.queued_at)
                .where(Ticket.service_id == target.id, Ticket.status == TicketStatus.WAITING)
                .order_by(Ticket.queued_at)
                .limit(1)
            )
            ticket.queued_at = min(earliest or now, ticket.issued_at) - timedelta(seconds=1)
        else:
            ticket.queued_at = ticket.issued_at
        slug = counter.center.slug
        return ticket, [TicketChanged(slug, ticket.token, "transfer", ticket.id, counter.id)]

    return _run(session, work)  # type: ignore[return-value]
