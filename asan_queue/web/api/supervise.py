"""A supervisor's controls (admins: every center; supervisors: their own): counters opened,
paused, closed without taking them, their services of the day, and waiting tickets moved,
prioritised, put first, removed or called to a counter. Each answer is the new state; each
change reaches desks, displays and phones through the usual domain events."""

from __future__ import annotations

from flask import g

from ...clock import now_utc
from ...domain.statuses import CounterState, Role
from ...extensions import db
from ...models import Counter
from ...schemas import centers as c
from ...schemas import supervise as sv
from ...schemas import tickets as t
from ...schemas.paths import CenterPath
from ...services import counters as counter_service
from ...services import visits
from ...services.common import load_hall
from ...services.hall import HallView
from ...services.permissions import may_supervise
from ...services.serialize import staff_counter_json, ticket_json
from ..contract import operation
from ..uow import unit_of_work
from . import bp

SUPERVISORS = (Role.ADMIN, Role.SUPERVISOR)
ERRORS = (409,)


def controls_of(slug: str) -> sv.Controls:
    """The controls page's state of a center now (the caller checked may_supervise)."""
    center = load_hall(db.session, slug)
    now = now_utc()
    view = HallView(db.session, center, now)
    model = view.model
    services = {s.id: s for s in center.services}
    numbers = {x.id: x.number for x in center.counters}
    waiting = []
    for w in sorted(model.hall.waiting, key=lambda w: (w.service_id, w.queued_at)):
        place = model.people_ahead(w.ticket_id)
        service = services[w.service_id]
        waiting.append(
            sv.WaitingTicket(
                number=w.number,
                service=service.code,
                service_name=service.name,
                waited_minutes=max(0, int((now - w.queued_at).total_seconds() // 60)),
                priority=w.priority,  # type: ignore[arg-type]
                booked=w.slot_start is not None,
                first=w.first,
                for_counter=numbers.get(w.counter_id) if w.counter_id else None,
                position=(place or 0) + 1,
            )
        )
    waiting.sort(key=lambda x: (x.service, x.position))
    return sv.Controls(
        center=center.slug,
        name=center.name,
        counters=[staff_counter_json(x, view.at_counters.get(x.id), now) for x in center.counters],
        waiting=waiting,
        services=[sv.ServiceItem(code=s.code, name=s.name) for s in center.services if s.active],
    )


@operation(
    bp,
    "GET",
    "/supervise/<slug>",
    summary="Every counter and waiting ticket of a center, for its supervisor's controls",
    tag="supervise",
    ok=sv.Controls,
    path=CenterPath,
    staff=SUPERVISORS,
)
def supervise_state(path: CenterPath) -> sv.Controls:
    center = load_hall(db.session, path.slug)
    may_supervise(g.user, center.id)
    return controls_of(path.slug)


def _counter(counter: Counter) -> c.StaffCounter:
    current = counter_service.current_ticket(db.session, counter)
    return staff_counter_json(counter, current, now_utc())


@operation(
    bp,
    "POST",
    "/supervise/counters/<int:counter_id>/state",
    summary="Open, pause (with a reason code) or close a counter without taking it",
    tag="supervise",
    ok=c.StaffCounter,
    path=sv.CounterIdPath,
    body=sv.CounterState,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_counter_state(path: sv.CounterIdPath, body: sv.CounterState) -> c.StaffCounter:
    counter = visits.set_counter_state(
        unit_of_work(),
        path.counter_id,
        g.user,
        state=CounterState(body.state),
        code=body.code,
        reason=body.reason,
        now=now_utc(),
    )
    return _counter(counter)


@operation(
    bp,
    "POST",
    "/supervise/counters/<int:counter_id>/services",
    summary="Set the services a counter serves today (null: its own again)",
    tag="supervise",
    ok=c.StaffCounter,
    path=sv.CounterIdPath,
    body=sv.TodayServices,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_counter_services(path: sv.CounterIdPath, body: sv.TodayServices) -> c.StaffCounter:
    counter = visits.set_today_services(
        unit_of_work(),
        path.counter_id,
        g.user,
        service_codes=body.services,
        reason=body.reason,
        now=now_utc(),
    )
    return _counter(counter)


def _ticket(ticket: object) -> t.Ticket:
    return ticket_json(db.session, ticket, now_utc())  # type: ignore[arg-type]


@operation(
    bp,
    "POST",
    "/supervise/<slug>/tickets/<number>/move",
    summary="Move a waiting ticket to another service or to one counter (same number)",
    tag="supervise",
    ok=t.Ticket,
    path=sv.TicketNumberPath,
    body=sv.MoveTicket,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_move(path: sv.TicketNumberPath, body: sv.MoveTicket) -> t.Ticket:
    ticket = visits.move_ticket(
        unit_of_work(),
        path.slug,
        path.number,
        g.user,
        service_code=body.service,
        counter_number=body.counter,
        reason=body.reason,
        now=now_utc(),
    )
    return _ticket(ticket)


@operation(
    bp,
    "POST",
    "/supervise/<slug>/tickets/<number>/priority",
    summary="Give a waiting ticket priority, with the reason",
    tag="supervise",
    ok=t.Ticket,
    path=sv.TicketNumberPath,
    body=sv.GivePriority,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_priority(path: sv.TicketNumberPath, body: sv.GivePriority) -> t.Ticket:
    ticket = visits.prioritise(
        unit_of_work(),
        path.slug,
        path.number,
        g.user,
        priority=body.priority,
        reason=body.reason,
        now=now_utc(),
    )
    return _ticket(ticket)


@operation(
    bp,
    "POST",
    "/supervise/<slug>/tickets/<number>/first",
    summary="Put a waiting ticket ahead of everyone its counters would call",
    tag="supervise",
    ok=t.Ticket,
    path=sv.TicketNumberPath,
    body=sv.WithReason,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_first(path: sv.TicketNumberPath, body: sv.WithReason) -> t.Ticket:
    ticket = visits.put_first(
        unit_of_work(), path.slug, path.number, g.user, reason=body.reason, now=now_utc()
    )
    return _ticket(ticket)


@operation(
    bp,
    "POST",
    "/supervise/<slug>/tickets/<number>/remove",
    summary="Remove a waiting ticket from the queue, with the reason",
    tag="supervise",
    ok=t.Ticket,
    path=sv.TicketNumberPath,
    body=sv.WithReason,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_remove(path: sv.TicketNumberPath, body: sv.WithReason) -> t.Ticket:
    ticket = visits.remove_ticket(
        unit_of_work(), path.slug, path.number, g.user, reason=body.reason, now=now_utc()
    )
    return _ticket(ticket)


@operation(
    bp,
    "POST",
    "/supervise/<slug>/tickets/<number>/call",
    summary="Call a waiting ticket to a counter that is open and free",
    tag="supervise",
    ok=t.Ticket,
    path=sv.TicketNumberPath,
    body=sv.CallTicket,
    staff=SUPERVISORS,
    errors=ERRORS,
)
def supervise_call(path: sv.TicketNumberPath, body: sv.CallTicket) -> t.Ticket:
    call = visits.call_to_counter(
        unit_of_work(),
        path.slug,
        path.number,
        g.user,
        counter_number=body.counter,
        reason=body.reason,
        now=now_utc(),
    )
    return _ticket(call.ticket)
