"""A desk for a whole day and a supervisor's hand on the hall, on top of services.counters.

The desk: recall that tells what it did (recalled, or no-show past max calls) and how many
recalls are left; undo of a stray finish or no-show for UNDO_SECONDS; call a ticket by its
number; finish with an outcome code and notes; transfer to a service or to one counter,
optionally coming back to this counter afterwards (multi-step visits keep their number and
arrival time).

The supervisor (services.permissions.may_supervise): open, pause, close a counter without
taking it; set the services a counter serves today; on a waiting ticket: move it to a
service or a counter, give it priority, put it first, remove it, call it to a counter. Every
one is written down with who and why: a TicketEvent for a ticket, a CounterEvent for a
counter.

Order of writes: each use case locks as the counter use cases do (the counter row, then the
ticket at it, then the service row when a visit's minutes are folded in) and writes the
ticket's own columns after that, so two of them never wait on each other's rows in opposite
orders on PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.desk import (
    DEFAULT_OUTCOME_CODES,
    PAUSE_CODES,
    UNDO_SECONDS,
    outcome_of,
    recalls_left,
)
from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.events import CounterChanged, TicketCalled, TicketChanged
from ..domain.policy import Choice, Reason
from ..domain.statuses import CounterState, TicketStatus
from ..models import Center, Counter, CounterEvent, Service, Ticket, TicketEvent, User
from ..schemas import staff as st
from . import counters
from .common import get_center, get_service
from .permissions import may_supervise
from .queue import call_order, record_service_time, today
from .serialize import local
from .transitions import apply
from .uow import UnitOfWork

# ---- what the desk's card shows --------------------------------------------------------


def outcome_codes(service: Service | None) -> list[str]:
    """How a visit of `service` may end: the service's own list when it has one (the back
    office's outcome codes), else the default list; "served" always first."""
    own = service.outcome_codes if service is not None else None
    codes = [str(c) for c in own] if own else list(DEFAULT_OUTCOME_CODES)
    return ["served", *[c for c in codes if c != "served"]]


CARD_EVENTS = ("call", "prioritise")


def card_extras(session: Session, ticket: Ticket) -> dict[str, Any]:
    """The desk card's fields beyond the ticket's own (staff only)."""
    # The last call and the last prioritising of the ticket, in one read of its events.
    last: dict[str, TicketEvent] = {}
    for event in session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.operation.in_(CARD_EVENTS))
        .order_by(TicketEvent.id)
    ):
        last[event.operation] = event
    call, given = last.get("call"), last.get("prioritise")
    back = session.get(Counter, ticket.return_counter_id) if ticket.return_counter_id else None
    return {
        "planned_minutes": ticket.service.planned_minutes,
        "recalls_left": recalls_left(ticket.call_count, ticket.center.max_calls),
        "call_reason": (call.data or {}).get("tier") if call is not None else None,
        "priority_reason": given.reason if given is not None else None,
        "booked_name": ticket.appointment.name if ticket.appointment is not None else None,
        "back_to_counter": back.number if back is not None else None,
        "notes": ticket.notes,
    }


def _undoable(session: Session, counter: Counter, now: datetime) -> TicketEvent | None:
    """The finish or no-show pressed at this counter less than UNDO_SECONDS ago whose ticket
    is still finished or not come (nothing has happened at the counter since)."""
    last = session.scalar(
        select(TicketEvent)
        .where(TicketEvent.counter_id == counter.id)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    if last is None or last.operation not in ("finish", "no_show"):
        return None
    if now - last.at > timedelta(seconds=UNDO_SECONDS):
        return None
    return last


def undo_offer(session: Session, counter: Counter, now: datetime) -> st.UndoOffer | None:
    event = _undoable(session, counter, now)
    if event is None:
        return None
    ticket = session.get(Ticket, event.ticket_id)
    if ticket is None or ticket.status != event.to_status:
        return None
    until = event.at + timedelta(seconds=UNDO_SECONDS)
    return st.UndoOffer(
        operation=event.operation,
        number=ticket.number,
        until=local(until, counter.center),
        seconds_left=max((until - now).total_seconds(), 0.0),
    )


# ---- the desk ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recall:
    ticket: Ticket
    recalls_left: int
    marked_no_show: bool


def recall(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> Recall:
    """Recall the called ticket; past the center's max calls that recall marks it a no-show
    instead. Says which happened, and how many recalls are left."""
    with uow:
        ticket = counters.recall(uow, counter_id, user, now=now)
        no_show = ticket.status == TicketStatus.NO_SHOW
        left = 0 if no_show else recalls_left(ticket.call_count, ticket.center.max_calls)
    return Recall(ticket, left, no_show)


def undo(uow: UnitOfWork, counter_id: int, user: User, *, now: datetime) -> tuple[Ticket, str]:
    """Take back the finish or no-show pressed at this counter in the last UNDO_SECONDS: the
    ticket is at the counter again (being served, or called). Raises Conflict (nothing_to_undo)
    when there is none, the time is up, or the counter has moved on."""
    with uow:
        session = uow.session
        counter = counters._load_counter(session, counter_id, user)
        counters._held(counter, user)
        event = _undoable(session, counter, now)
        busy = counters.current_ticket(session, counter, lock=True)
        ticket = None
        if event is not None and busy is None:
            ticket = session.get(Ticket, event.ticket_id, with_for_update=True)
        if event is None or ticket is None or ticket.status != event.to_status:
            raise Conflict(
                f"nothing to undo at counter {counter.number} (only within {UNDO_SECONDS} s)",
                code="nothing_to_undo",
                details={"seconds": UNDO_SECONDS},
            )
        operation = "undo_finish" if event.operation == "finish" else "undo_no_show"
        apply(
            session,
            ticket,
            operation,
            now=now,
            actor_id=user.id,
            counter_id=counter.id,
            reason=f"{event.operation} undone at the desk",
        )
        ticket.finished_at = None
        ticket.ended_at = None
        ticket.outcome = ticket.outcome_code = None
        uow.record(
            TicketChanged(counter.center.slug, ticket.token, operation, ticket.id, now, counter.id)
        )
    return ticket, event.operation


def _waiting_number(session: Session, center: Center, number: str, now: datetime) -> Ticket:
    ticket = session.scalar(
        select(Ticket)
        .where(
            Ticket.center_id == center.id,
            Ticket.day == today(center, now),
            Ticket.number == number.strip().upper(),
        )
        .with_for_update()
    )
    if ticket is None:
        raise NotFound(f"no ticket {number} today", code="ticket_not_found")
    if ticket.status != TicketStatus.WAITING:
        raise Conflict(
            f"ticket {ticket.number} is not waiting ({ticket.status})",
            code="ticket_not_waiting",
            details={"number": ticket.number, "status": str(ticket.status)},
        )
    return ticket


def _call_chosen(
    uow: UnitOfWork,
    counter: Counter,
    ticket: Ticket,
    operator: User,
    actor: User,
    reason: Reason,
    now: datetime,
) -> counters.Call:
    session = uow.session
    if not counters._claim(session, ticket.id, counter, operator, now):
        raise Conflict(f"ticket {ticket.number} was just called elsewhere", code="ticket_taken")
    session.refresh(ticket)
    counters._log_call(session, ticket.id, Choice(ticket.id, reason), counter, actor, now)
    ticket.target_counter_id = None
    ticket.call_first = False
    slug = counter.center.slug
    uow.record(
        TicketCalled(slug, ticket.token, ticket.id, counter.id, recall=False, at=now),
        TicketChanged(slug, ticket.token, "call", ticket.id, now, counter.id),
    )
    return counters.Call(ticket, reason)


def _served_here(session: Session, counter: Counter, ticket: Ticket, now: datetime) -> bool:
    model = call_order(session, counter.center, now)
    view = model.counters.get(counter.id)
    if ticket.target_counter_id is not None:
        return ticket.target_counter_id == counter.id
    return view is not None and ticket.service_id in view.service_ids


def call_number(
    uow: UnitOfWork, counter_id: int, user: User, *, number: str, now: datetime
) -> counters.Call:
    """Call the waiting ticket `number` to this counter (the citizen stands at the desk, or
    the operator calls someone out of order on purpose); the event says so."""
    with uow:
        session = uow.session
        counter = counters._load_counter(session, counter_id, user)
        counters._ready(session, counter, user)
        ticket = _waiting_number(session, counter.center, number, now)
        if not _served_here(session, counter, ticket, now):
            raise Conflict(
                f"counter {counter.number} does not serve ticket {ticket.number}",
                code="not_served_here",
                details={"number": ticket.number, "counter": counter.number},
            )
        waited = int((now - ticket.queued_at) / timedelta(minutes=1))
        reason = Reason("staff", f"called by number at the desk ({user.username})", waited)
        return _call_chosen(uow, counter, ticket, user, user, reason, now)


def finish(
    uow: UnitOfWork,
    counter_id: int,
    user: User,
    *,
    outcome_code: str | None,
    notes: str,
    now: datetime,
) -> Ticket:
    """Finish the visit with how it ended and the operator's notes. A visit that was sent on
    with `back` returns to its first counter instead (same number, its arrival time), waiting
    there for that counter alone."""
    with uow:
        session = uow.session
        counter, ticket = counters._at_counter(session, counter_id, user)
        codes = outcome_codes(ticket.service)
        code = outcome_code or "served"
        if code not in codes:
            raise ValidationError(
                f"outcome_code must be one of {', '.join(codes)}",
                code="invalid_outcome",
                details={"field": "outcome_code", "allowed": codes},
            )
        if ticket.return_counter_id is not None and ticket.return_service_id is not None:
            _return(uow, counter, ticket, user, code, now)
        else:
            ticket = counters.finish(uow, counter_id, user, now=now)
        # The ticket's own columns last: after finish() locked the service row (see above).
        ticket.outcome = outcome_of(code)
        ticket.outcome_code = code
        if notes.strip():
            ticket.notes = notes.strip()[:1000]
    return ticket


def _return(
    uow: UnitOfWork, counter: Counter, ticket: Ticket, user: User, code: str, now: datetime
) -> None:
    session = uow.session
    back = session.get(Counter, ticket.return_counter_id)
    service = session.get(Service, ticket.return_service_id)
    assert back is not None and service is not None
    apply(
        session,
        ticket,
        "return",
        now=now,
        actor_id=user.id,
        counter_id=counter.id,
        reason=f"step done at counter {counter.number}; back to counter {back.number}",
        data={"to_counter": back.number, "to": service.code, "outcome": code},
    )
    if ticket.started_at is not None:
        minutes = (now - ticket.started_at) / timedelta(minutes=1)
        record_service_time(session, ticket.service_id, minutes, counter.center, now)
    ticket.service_id = service.id
    ticket.service = service
    ticket.target_counter_id = back.id
    ticket.return_counter_id = ticket.return_service_id = None
    ticket.counter_id = None
    ticket.call_count = 0
    ticket.started_at = None
    ticket.queued_at = ticket.issued_at  # the original arrival: no one overtakes it for this
    slug = counter.center.slug
    uow.record(
        TicketChanged(slug, ticket.token, "return", ticket.id, now, counter.id),
        CounterChanged(slug, back.id, now),
    )


def _counter_by_number(session: Session, center: Center, number: int) -> Counter:
    counter = session.scalar(
        select(Counter).where(Counter.center_id == center.id, Counter.number == number)
    )
    if counter is None:
        raise NotFound(f"no counter {number} at {center.slug}", code="counter_not_found")
    return counter


def transfer(
    uow: UnitOfWork,
    counter_id: int,
    user: User,
    *,
    service_code: str | None,
    counter_number: int | None,
    first: bool,
    back: bool,
    now: datetime,
) -> Ticket:
    """Send the visit at this counter on: to another service's queue, or to one counter
    (waiting for it alone), or both; `first`: ahead of everyone there; `back`: after that
    step it returns to this counter. The number and the arrival time stay."""
    if service_code is None and counter_number is None:
        raise ValidationError("say where to: a service, a counter or both", code="missing_field")
    with uow:
        session = uow.session
        counter, ticket = counters._at_counter(session, counter_id, user)
        center = counter.center
        target = get_service(session, center, service_code) if service_code else ticket.service
        to_counter = _counter_by_number(session, center, counter_number) if counter_number else None
        if to_counter is not None and to_counter.id == counter.id:
            raise ValidationError("the ticket is already at this counter", code="same_counter")
        if to_counter is None and target.id == ticket.service_id:
            raise ValidationError("the ticket is already in that service", code="same_service")
        source = ticket.service
        where = f"counter {to_counter.number}" if to_counter else target.code
        apply(
            session,
            ticket,
            "transfer",
            now=now,
            actor_id=user.id,
            counter_id=counter.id,
            reason=f"transferred from {source.code} to {where}"
            + (" (first)" if first else "")
            + (f", back to counter {counter.number}" if back else ""),
            data={
                "from": source.code,
                "to": target.code,
                "to_counter": to_counter.number if to_counter else None,
                "first": first,
                "back": back,
            },
        )
        if back:
            ticket.return_counter_id = counter.id
            ticket.return_service_id = source.id
        ticket.service_id = target.id
        ticket.service = target
        ticket.target_counter_id = to_counter.id if to_counter else None
        ticket.counter_id = None
        ticket.call_count = 0
        ticket.started_at = None
        ticket.queued_at = ticket.issued_at
        ticket.call_first = first
        slug = center.slug
        uow.record(TicketChanged(slug, ticket.token, "transfer", ticket.id, now, counter.id))
        if to_counter is not None:
            uow.record(CounterChanged(slug, to_counter.id, now))
    return ticket


# ---- the supervisor -------------------------------------------------------------------


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationError("say why (it is recorded)", code="why_required")
    return text[:300]


def _supervised_counter(session: Session, counter_id: int, user: User) -> Counter:
    counter = session.get(Counter, counter_id, with_for_update=True, populate_existing=True)
    if counter is None:
        raise NotFound("no such counter", code="counter_not_found")
    may_supervise(user, counter.center_id)
    return counter


def _log_counter(
    session: Session,
    counter: Counter,
    user: User,
    operation: str,
    reason: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        CounterEvent(
            counter_id=counter.id,
            operation=operation,
            at=now,
            actor_id=user.id,
            reason=reason,
            data=data or {},
        )
    )


def set_counter_state(
    uow: UnitOfWork,
    counter_id: int,
    user: User,
    *,
    state: CounterState,
    code: str | None,
    reason: str,
    now: datetime,
) -> Counter:
    """Open, pause or close a counter from the supervisor's screen, without taking it (the
    operator at it, if any, keeps it; closing releases it and is refused while a ticket is
    at it)."""
    why = _reason(reason)
    if state == CounterState.PAUSED and code not in PAUSE_CODES:
        raise ValidationError(
            f"code must be one of {', '.join(PAUSE_CODES)}", code="invalid_pause_code"
        )
    with uow:
        session = uow.session
        counter = _supervised_counter(session, counter_id, user)
        if state == CounterState.CLOSED:
            busy = counters.current_ticket(session, counter, lock=True)
            if busy is not None:
                raise Conflict(
                    f"ticket {busy.number} is still at this counter",
                    code="ticket_at_counter",
                    details={"number": busy.number},
                )
            counter.operator_id = None
        counters._set_state(counter, state, now)
        counter.pause_code = code if state == CounterState.PAUSED else None
        counter.pause_reason = why if state == CounterState.PAUSED else None
        _log_counter(session, counter, user, str(state), why, now, {"code": code})
        uow.record(CounterChanged(counter.center.slug, counter.id, now))
    return counter


def set_today_services(
    uow: UnitOfWork,
    counter_id: int,
    user: User,
    *,
    service_codes: list[str] | None,
    reason: str,
    now: datetime,
) -> Counter:
    """The services a counter serves today (None: back to its own). Lapses at midnight."""
    why = _reason(reason)
    with uow:
        session = uow.session
        counter = _supervised_counter(session, counter_id, user)
        center = counter.center
        if service_codes is None:
            counter.today_service_ids = None
            counter.today_on = None
        else:
            if not service_codes:
                raise ValidationError("choose at least one service", code="services_required")
            ids = sorted({get_service(session, center, code).id for code in service_codes})
            counter.today_service_ids = ids
            counter.today_on = today(center, now)
        _log_counter(session, counter, user, "services", why, now, {"services": service_codes})
        uow.record(CounterChanged(center.slug, counter.id, now))
    return counter


def _supervised_ticket(
    session: Session, slug: str, number: str, user: User, now: datetime
) -> Ticket:
    center = get_center(session, slug)
    may_supervise(user, center.id)
    return _waiting_number(session, center, number, now)


def _touch_counters(uow: UnitOfWork, center: Center, now: datetime) -> None:
    """Every desk of the center gets its list again (a move changes more than one)."""
    for counter in center.counters:
        uow.record(CounterChanged(center.slug, counter.id, now))


def _ticket_move(
    uow: UnitOfWork,
    ticket: Ticket,
    user: User,
    operation: str,
    reason: str,
    now: datetime,
    **data: Any,
) -> None:
    apply(uow.session, ticket, operation, now=now, actor_id=user.id, reason=reason, data=data)
    uow.record(TicketChanged(ticket.center.slug, ticket.token, operation, ticket.id, now))
    _touch_counters(uow, ticket.center, now)


def move_ticket(
    uow: UnitOfWork,
    slug: str,
    number: str,
    user: User,
    *,
    service_code: str | None,
    counter_number: int | None,
    reason: str,
    now: datetime,
) -> Ticket:
    """Move a waiting ticket to another service, or to wait for one counter, keeping its
    number and arrival time."""
    why = _reason(reason)
    if service_code is None and counter_number is None:
        raise ValidationError("say where to: a service, a counter or both", code="missing_field")
    with uow:
        session = uow.session
        ticket = _supervised_ticket(session, slug, number, user, now)
        center = ticket.center
        target = get_service(session, center, service_code) if service_code else ticket.service
        to_counter = _counter_by_number(session, center, counter_number) if counter_number else None
        source = ticket.service.code
        ticket.service_id = target.id
        ticket.service = target
        ticket.target_counter_id = to_counter.id if to_counter else None
        _ticket_move(
            uow,
            ticket,
            user,
            "move",
            why,
            now,
            **{"from": source, "to": target.code},
            to_counter=to_counter.number if to_counter else None,
        )
    return ticket


def prioritise(
    uow: UnitOfWork,
    slug: str,
    number: str,
    user: User,
    *,
    priority: str,
    reason: str,
    now: datetime,
) -> Ticket:
    """Give a waiting ticket a priority (the policy's priority lane), with the reason."""
    why = _reason(reason)
    with uow:
        ticket = _supervised_ticket(uow.session, slug, number, user, now)
        before = ticket.priority
        ticket.priority = priority
        _ticket_move(uow, ticket, user, "prioritise", why, now, before=before, priority=priority)
    return ticket


def put_first(
    uow: UnitOfWork, slug: str, number: str, user: User, *, reason: str, now: datetime
) -> Ticket:
    """Put a waiting ticket ahead of everyone its counters would call (domain.policy FIRST)."""
    why = _reason(reason)
    with uow:
        ticket = _supervised_ticket(uow.session, slug, number, user, now)
        ticket.call_first = True
        _ticket_move(uow, ticket, user, "put_first", why, now)
    return ticket


def remove_ticket(
    uow: UnitOfWork, slug: str, number: str, user: User, *, reason: str, now: datetime
) -> Ticket:
    """Take a waiting ticket out of the queue, with the reason."""
    why = _reason(reason)
    with uow:
        ticket = _supervised_ticket(uow.session, slug, number, user, now)
        _ticket_move(uow, ticket, user, "remove", why, now)
    return ticket


def call_to_counter(
    uow: UnitOfWork,
    slug: str,
    number: str,
    user: User,
    *,
    counter_number: int,
    reason: str,
    now: datetime,
) -> counters.Call:
    """Call a specific waiting ticket to an open counter with an operator at it and no one
    at it now; the call is the operator's visit, the event names the supervisor."""
    why = _reason(reason)
    with uow:
        session = uow.session
        center = get_center(session, slug)
        may_supervise(user, center.id)
        found = _counter_by_number(session, center, counter_number)
        counter = _supervised_counter(session, found.id, user)
        if counter.state != CounterState.OPEN or counter.operator is None:
            raise Conflict(
                f"counter {counter.number} is not open with an operator at it",
                code="counter_not_open",
                details={"counter": counter.number, "state": str(counter.state)},
            )
        busy = counters.current_ticket(session, counter, lock=True)
        if busy is not None:
            raise Conflict(
                f"ticket {busy.number} is still at this counter",
                code="ticket_at_counter",
                details={"number": busy.number},
            )
        ticket = _waiting_number(session, center, number, now)
        waited = int((now - ticket.queued_at) / timedelta(minutes=1))
        text = f"called by supervisor {user.username}: {why}"
        return _call_chosen(
            uow, counter, ticket, counter.operator, user, Reason("staff", text, waited), now
        )
