"""The answers' schema instances (asan_queue.schemas) built from the model objects; times in
the center's zone.

Shared by the HTTP API (web/) and the Socket.IO events (realtime/), so that a `ticket` event
carries exactly the body of GET /api/v1/tickets/<token>; it lives below both layers. Every
position and ETA comes from the queue model (domain.queue). Public shapes never carry staff
data (pause reasons, operator names, notes): `staff_counter_json` gives the staff shape,
for the desk and the staff API only."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar, overload
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..domain.numbering import local_day
from ..domain.queue import Eta, QueueModel
from ..domain.statuses import TicketStatus
from ..models import Center, Counter, Service, Ticket
from ..schemas import centers as c
from ..schemas import tickets as t
from .queue import queue_model


def iso(value: datetime | None, center: Center) -> str | None:
    return value.astimezone(ZoneInfo(center.timezone)).isoformat() if value else None


@overload
def local(value: datetime, center: Center) -> datetime: ...
@overload
def local(value: datetime | None, center: Center) -> datetime | None: ...
def local(value: datetime | None, center: Center) -> datetime | None:
    """An instant in the center's zone (schemas write it ISO 8601 with that offset)."""
    return value.astimezone(ZoneInfo(center.timezone)) if value else None


# A waiting ticket of an earlier local day: in no queue, it expires when the day is closed.
DAY_CLOSED = "day_closed"


def eta_json(eta: Eta | None, center: Center) -> dict[str, Any]:
    """The ETA fields of a ticket or a service (None: not waiting). With no counter open for
    the service there is no figure (`eta_minutes` null, `eta_status` "no_counter", and
    `counters_open_at` when the center opens later today); "past_closing" warns that the
    call is projected after the last closing time; "day_closed": an earlier day's ticket."""
    if eta is None:
        return {"eta_minutes": 0, "eta_range": None, "eta_status": None, "counters_open_at": None}
    span = None
    if eta.low is not None and eta.high is not None:
        span = t.EtaRange(low=eta.low, high=eta.high)
    return {
        "eta_minutes": eta.minutes,
        "eta_range": span,
        "eta_status": eta.status,
        "counters_open_at": local(eta.opens_at, center),
    }


def service_json(
    service: Service, model: QueueModel, availability: c.Refusal | None, next_numbers: list[str]
) -> c.Service:
    """A service of the hall with its queue now; `availability` is why a walk-in ticket
    cannot be taken now (a refusal code), or None."""
    center = service.center
    return c.Service(
        code=service.code,
        prefix=service.prefix,
        agency=service.agency.code,
        name=service.name,
        bring=service.bring,
        walk_in=service.walk_in,
        bookable=service.bookable,
        planned_minutes=service.planned_minutes,
        target_wait_minutes=service.target_wait_minutes,
        waiting=model.waiting_count(service.id),
        open_counters=model.open_counters(service.id),
        **eta_json(model.arrival_eta(service.id), center),
        tickets_available=availability is None,
        unavailable_reason=availability,
        next_numbers=next_numbers,
    )


def _counter_fields(counter: Counter, current: Ticket | None) -> dict[str, Any]:
    at = None
    if current is not None:
        at = c.AtCounter(
            number=current.number,
            status=current.status,
            service=current.service.code,
            # the latest call: hall boards list the counters newest call first
            called_at=local(current.called_at, counter.center),
        )
    return {
        "id": counter.id,
        "number": counter.number,
        "state": counter.state,
        "services": [s.code for s in counter.services],
        "current": at,
    }


def counter_json(counter: Counter, current: Ticket | None = None) -> c.Counter:
    """A counter as the hall sees it (no staff data)."""
    return c.Counter(**_counter_fields(counter, current))


def today_service_ids(counter: Counter, now: datetime) -> set[int] | None:
    """The services a supervisor set this counter to serve today, or None (its own)."""
    if counter.today_on is None or counter.today_service_ids is None:
        return None
    if counter.today_on != local_day(now, counter.center.timezone):
        return None
    return set(counter.today_service_ids)


def staff_counter_json(
    counter: Counter, current: Ticket | None = None, now: datetime | None = None
) -> c.StaffCounter:
    """A counter with its pause reason and operator: the desk and the staff API only."""
    operator = counter.operator
    today_services = None
    ids = today_service_ids(counter, now) if now is not None else None
    if ids is not None:
        today_services = [s.code for s in counter.center.services if s.id in ids]
    return c.StaffCounter(
        **_counter_fields(counter, current),
        pause_reason=counter.pause_reason,
        pause_code=counter.pause_code,
        label=counter.label,
        today_services=today_services,
        state_since=local(counter.state_since, counter.center),
        operator=c.Operator(username=operator.username, name=operator.full_name)
        if operator
        else None,
    )


def center_summary(center: Center) -> c.CenterSummary:
    return c.CenterSummary(
        slug=center.slug,
        name=center.name,
        address=center.address,
        timezone=center.timezone,
        languages=center.language_list,
    )


def ticket_links(ticket: Ticket) -> t.TicketLinks:
    """Relative links of a ticket (plain paths: usable outside a request, e.g. in events)."""
    base = f"/api/v1/tickets/{ticket.token}"
    return t.TicketLinks(
        status=base,
        page=f"/t/{ticket.token}",
        receipt_pdf=f"{base}/receipt.pdf",
        receipt_png=f"{base}/receipt.png",
    )


TicketShape = TypeVar("TicketShape", bound=t.Ticket)


def ticket_json(
    session: Session,
    ticket: Ticket,
    now: datetime,
    model: QueueModel | None = None,
    *,
    model_id: int | None = None,
) -> t.Ticket:
    """The public ticket body. A waiting ticket's position and ETA come from `model` (the
    center's queue now), loaded here when the caller has none; `model_id`: the ticket's id
    in `model` when that is not its own (a ticket counted in before its insert)."""
    return ticket_shaped(t.Ticket, session, ticket, now, model, model_id=model_id)


def ticket_shaped(
    shape: type[TicketShape],
    session: Session,
    ticket: Ticket,
    now: datetime,
    model: QueueModel | None = None,
    *,
    model_id: int | None = None,
    **extra: Any,
) -> TicketShape:
    """The ticket body in an extended `shape` (a call with its reason, the desk's card),
    with the `extra` fields."""
    center = ticket.center
    place, eta = None, None
    if ticket.status == TicketStatus.WAITING:
        model = model if model is not None else queue_model(session, center, now)
        place = model.place(ticket.id if model_id is None else model_id)
        # Waiting but in no queue: a ticket of an earlier day, about to expire.
        eta = place.eta if place is not None else Eta(DAY_CLOSED)
    return shape(**_ticket_fields(ticket, center, place, eta), **extra)


def _ticket_fields(ticket: Ticket, center: Center, place: Any, eta: Eta | None) -> dict[str, Any]:
    counter = ticket.counter
    at_counter = counter is not None and ticket.status in ("called", "serving")
    return {
        "token": ticket.token,
        "number": ticket.number,
        "center": center.slug,
        "service": ticket.service.code,
        "service_name": ticket.service.name,
        "agency": ticket.service.agency.code,
        "agency_name": ticket.service.agency.name,
        "status": ticket.status,
        "lang": ticket.lang,
        "priority": ticket.priority,
        "booked": ticket.appointment_id is not None,
        "position": place.position if place else 0,
        "people_ahead": place.people_ahead if place else 0,
        **eta_json(eta, center),
        "counter": counter.number if at_counter and counter is not None else None,
        "call_count": ticket.call_count,
        "issued_at": local(ticket.issued_at, center),
        "called_at": local(ticket.called_at, center),
        "started_at": local(ticket.started_at, center),
        "finished_at": local(ticket.finished_at, center),
        "links": ticket_links(ticket),
    }
