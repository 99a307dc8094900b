"""Operator use cases at a counter: open, pause, close, call-next, recall, start, finish,
no-show (transfers, undo, call by number: services.visits). Each runs in a unit of work
and records its events there.

Race-free by construction: every action locks its counter row (and the ticket at it) first,
so parallel requests on one counter run one after another on PostgreSQL as they do on
SQLite (BEGIN IMMEDIATE); a ticket is claimed with one conditional UPDATE, so two counters
never get the same ticket; opening a counter also locks the operator's row, so one operator
holds one counter and a counter one operator, whatever arrives at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.events import CounterChanged, TicketCalled, TicketChanged
from ..domain.policy import Choice, Reason
from ..domain.queue import QueueModel
from ..domain.statuses import AT_COUNTER, CounterState, Role, TicketStatus
from ..models import CallAudit, Counter, Ticket, TicketEvent, User
from ..schemas import staff as st
from .permissions import may_work_in
from .queue import call_order, record_service_time
from .serialize import ticket_shaped
from .transitions import apply
from .uow import UnitOfWork


@dataclass(frozen=True)
class Call:
    """A ticket called to a counter, why the policy chose it, and the answer's body (built
    inside the transaction: nothing is read again after the commit)."""

    ticket: Ticket
    reason: Reason
    body: st.Called | None = None  # call-next builds it in the transaction


# Call-next reads this many tickets of each lane of the counter's services: the first is the
# policy's choice; the others stand by if a racing counter claims it first.


def _load_counter(session: Session, counter_id: int, user: User) -> Counter:
    counter = session.get(Counter, counter_id, with_for_update=True, populate_existing=True)
    if counter is None:
        raise NotFound("no such counter", code="counter_not_found")
    may_work_in(user, counter.center_id)
    return counter


def _held(counter: Counter, user: User) -> None:
    if counter.operator_id != user.id:
        raise Conflict(
            f"open counter {counter.number} first; you do not hold it",
            code="counter_not_held",
            details={"counter": counter.number},
        )


def current_ticket(session: Session, counter: Counter, *, lock: bool = False) -> Ticket | None:
    """The ticket called to or being served at this counter, if any."""
    stmt = select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER))
    if lock:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _set_state(counter: Counter, state: CounterState, now: datetime) -> None:
    if counter.state != state:
        counter.state_since = now
    counter.state = state


def open_counter(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Counter:
    """Take the counter and open it. An operator holds one counter at a time; a counter held by
    someone else is refused. Raises NotFound, Forbidden, Conflict."""
    try:
        with uow:
            session = uow.session
            # The operator's row first: two counters opened at once by one operator queue here.
            session.get(User, user.id, with_for_update=True)
            counter = _load_counter(session, counter_id, user)
            if counter.operator_id not in (None, user.id):
                holder = counter.operator.username if counter.operator else "another operator"
                raise Conflict(
                    f"counter {counter.number} is already open at another desk ({holder})",
                    code="counter_taken",
                    details={"counter": counter.number},
                )
            other = session.scalar(
                select(Counter).where(Counter.operator_id == user.id, Counter.id != counter.id)
            )
            if other is not None:
                raise Conflict(
                    f"you already hold counter {other.number}; close it first",
                    code="holds_other",
                    details={"counter": other.number},
                )
            counter.operator_id = user.id
            _set_state(counter, CounterState.OPEN, now)
            counter.pause_reason = None
            counter.pause_code = None
            uow.record(CounterChanged(counter.center.slug, counter.id, now))
    except IntegrityError:
        # The unique operator_id backs the locks up: whoever lost a race is told so.
        raise Conflict(
            "this counter or this operator was just taken at another desk; try again",
            code="counter_taken",
        ) from None
    return counter


def pause_counter(
    uow: UnitOfWork,
    counter_id: int,
    user: User,
    *,
    reason: str,
    now: datetime,
    code: str | None = None,
) -> Counter:
    """Pause with a reason code from domain.desk.PAUSE_CODES (lunch, paperwork...) and an
    optional note, or a note alone (code "other"); no one is called while paused."""
    if not reason.strip() and code is None:
        raise ValidationError("a pause needs a reason", code="reason_required")
    with uow:
        counter = _load_counter(uow.session, counter_id, user)
        _held(counter, user)
        _set_state(counter, CounterState.PAUSED, now)
        counter.pause_reason = reason.strip()[:200] or None
        counter.pause_code = code or "other"
        uow.record(CounterChanged(counter.center.slug, counter.id, now))
    return counter


def close_counter(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Counter:
    """Close and release the counter. Refused while a ticket is still at it."""
    with uow:
        session = uow.session
        counter = _load_counter(session, counter_id, user)
        if user.role == Role.OPERATOR:
            _held(counter, user)
        ticket = current_ticket(session, counter, lock=True)
        if ticket is not None:
            raise Conflict(
                f"ticket {ticket.number} is still at this counter; finish or no-show it first",
                code="ticket_at_counter",
                details={"number": ticket.number},
            )
        _set_state(counter, CounterState.CLOSED, now)
        counter.operator_id = None
        counter.pause_reason = None
        counter.pause_code = None
        uow.record(CounterChanged(counter.center.slug, counter.id, now))
    return counter


def _claim(session: Session, ticket_id: int, counter: Counter, user: User, now: datetime) -> bool:
    """Claim in one conditional UPDATE: of two counters racing for a ticket exactly one sees
    rowcount 1 (PostgreSQL re-checks the row after the winner's lock; SQLite serialises)."""
    result = session.connection().execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.WAITING)
        .values(
            status=TicketStatus.CALLED,
            counter_id=counter.id,
            operator_id=user.id,
            call_count=1,
            first_called_at=now,
            called_at=now,
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _log_call(
    session: Session, ticket_id: int, choice: Choice, counter: Counter, user: User, now: datetime
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            operation="call",
            from_status=TicketStatus.WAITING.value,
            to_status=TicketStatus.CALLED.value,
            at=now,
            actor_id=user.id,
            counter_id=counter.id,
            reason=choice.reason.text[:300],
            data=choice.reason.data(),
        )
    )


def _audit_call(
    session: Session, model: QueueModel, choice: Choice, counter: Counter, now: datetime
) -> None:
    """The fair-queue audit: a call that passed over tickets waiting longer for this counter
    is written down with the policy's tier, ratio and slot (in the call's transaction)."""
    chosen = model.tickets[choice.ticket_id]
    view = model.counters.get(counter.id)
    served = view.service_ids if view is not None else frozenset()
    longer = [
        w
        for w in model.tickets.values()
        if w.service_id in served
        and w.queued_at < chosen.queued_at
        and w.ticket_id != chosen.ticket_id
    ]
    if not longer:
        return
    oldest = min(w.queued_at for w in longer)
    reason = choice.reason
    session.add(
        CallAudit(
            center_id=counter.center_id,
            ticket_id=choice.ticket_id,
            counter_id=counter.id,
            at=now,
            tier=reason.tier,
            ratio=None if reason.ratio is None else round(reason.ratio, 3),
            slot_start=reason.slot_start,
            waited_minutes=reason.waited_minutes,
            passed_over=len(longer),
            longest_waited_minutes=int((now - oldest) / timedelta(minutes=1)),
            reason=reason.text[:300],
        )
    )


def _ready(session: Session, counter: Counter, user: User) -> None:
    _held(counter, user)
    if counter.state != CounterState.OPEN:
        raise Conflict(
            f"counter {counter.number} is {counter.state}",
            code="counter_not_open",
            details={"counter": counter.number, "state": str(counter.state)},
        )
    busy = current_ticket(session, counter, lock=True)
    if busy is not None:
        raise Conflict(
            f"ticket {busy.number} is still at this counter; finish or no-show it first",
            code="ticket_at_counter",
            details={"number": busy.number},
        )


def call_next(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Call | None:
    """Call the next ticket for this counter by the center's policy (the queue model's first
    for it) and record why it was chosen. Returns None when no one waits. Raises Conflict if
    the counter is not open, not held, or a ticket is still at it."""
    with uow:
        session = uow.session
        counter = _load_counter(session, counter_id, user)
        _ready(session, counter, user)
        # The whole queue model: the counter's service lanes, the tickets sent to this counter
        # and those put first (domain/queue.py calls_for), in the center's policy order.
        model = call_order(session, counter.center, now)
        for choice in model.calls_for(counter.id):
            if not _claim(session, choice.ticket_id, counter, user, now):
                continue  # another counter took it between our read and our claim
            call = _called(uow, choice, counter, user, now)
            _audit_call(session, model, choice, counter, now)
            return call
    return None


def _called(uow: UnitOfWork, choice: Choice, counter: Counter, user: User, now: datetime) -> Call:
    session = uow.session
    ticket = session.get(Ticket, choice.ticket_id, populate_existing=True)
    assert ticket is not None
    _log_call(session, ticket.id, choice, counter, user, now)
    slug = counter.center.slug
    uow.record(
        TicketCalled(slug, ticket.token, ticket.id, counter.id, recall=False, at=now),
        TicketChanged(slug, ticket.token, "call", ticket.id, now, counter.id),
    )
    body = ticket_shaped(
        st.Called,
        session,
        ticket,
        now,
        reason=choice.reason.text,
        reason_detail=st.ReasonDetail(**choice.reason.data()),
    )
    return Call(ticket, choice.reason, body)


def _at_counter(session: Session, counter_id: int, user: User) -> tuple[Counter, Ticket]:
    counter = _load_counter(session, counter_id, user)
    _held(counter, user)
    ticket = current_ticket(session, counter, lock=True)
    if ticket is None:
        raise Conflict(
            f"no ticket is at counter {counter.number}",
            code="no_current_ticket",
            details={"counter": counter.number},
        )
    return counter, ticket


def _ticket_op(
    uow: UnitOfWork, counter_id: int, user: User, operation: str, *, now: datetime
) -> Ticket:
    with uow:
        session = uow.session
        counter, ticket = _at_counter(session, counter_id, user)
        slug = counter.center.slug
        op, reason = operation, ""
        if operation == "recall" and ticket.call_count >= counter.center.max_calls:
            op = "no_show"
            reason = f"called {ticket.call_count} times without showing"
        apply(session, ticket, op, now=now, actor_id=user.id, counter_id=counter.id, reason=reason)
        if op == "recall":
            ticket.call_count += 1
            ticket.called_at = now
            uow.record(TicketCalled(slug, ticket.token, ticket.id, counter.id, True, now))
        elif op == "start":
            ticket.started_at = now
        elif op == "finish" and ticket.started_at is not None:
            minutes = (now - ticket.started_at) / timedelta(minutes=1)
            record_service_time(session, ticket.service_id, minutes, counter.center, now)
        uow.record(TicketChanged(slug, ticket.token, op, ticket.id, now, counter.id))
    return ticket


def recall(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """Announce the called ticket again; past the center's max calls it becomes a no-show."""
    return _ticket_op(uow, counter_id, user, "recall", now=now)


def start(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """The citizen arrived at the counter: service starts."""
    return _ticket_op(uow, counter_id, user, "start", now=now)


def finish(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """Service done."""
    return _ticket_op(uow, counter_id, user, "finish", now=now)


def no_show(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Ticket:
    """The called citizen did not come."""
    return _ticket_op(uow, counter_id, user, "no_show", now=now)
