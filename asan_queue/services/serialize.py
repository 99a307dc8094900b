"""Shapes of the JSON answers (times ISO 8601 with offset, in the center's zone).

Shared by the HTTP API (web/) and the Socket.IO events (realtime/), so that a `ticket` event
carries exactly the body of GET /api/v1/tickets/<token>; it lives below both layers. Every
position and ETA comes from the queue model (domain.queue). Public shapes never carry staff
data (pause reasons, operator names, notes): `counter_json(..., staff=True)` adds them for
the desk and the staff API only."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..domain.queue import Eta, QueueModel
from ..domain.statuses import TicketStatus
from ..models import Center, Counter, Service, Ticket
from .queue import queue_model


def iso(value: datetime | None, center: Center) -> str | None:
    return value.astimezone(ZoneInfo(center.timezone)).isoformat() if value else None


# A waiting ticket of an earlier local day: in no queue, it expires when the day is closed.
DAY_CLOSED = "day_closed"


def eta_json(eta: Eta | None, center: Center) -> dict[str, Any]:
    """The ETA fields of a ticket or a service (None: not waiting). With no counter open for
    the service there is no figure (`eta_minutes` null, `eta_status` "no_counter", and
    `counters_open_at` when the center opens later today); "past_closing" warns that the
    call is projected after the last closing time; "day_closed": an earlier day's ticket."""
    if eta is None:
        return {"eta_minutes": 0, "eta_range": None, "eta_status": None, "counters_open_at": None}
    has_range = eta.low is not None and eta.high is not None
    return {
        "eta_minutes": eta.minutes,
        "eta_range": {"low": eta.low, "high": eta.high} if has_range else None,
        "eta_status": eta.status,
        "counters_open_at": iso(eta.opens_at, center),
    }


def service_json(
    service: Service, model: QueueModel, availability: str | None = None
) -> dict[str, Any]:
    """A service of the hall with its queue now; `availability` is why a walk-in ticket
    cannot be taken now (a refusal code), or None."""
    center = service.center
    return {
        "code": service.code,
        "prefix": service.prefix,
        "agency": service.agency.code,
        "name": service.name,
        "bring": service.bring,
        "walk_in": service.walk_in,
        "bookable": service.bookable,
        "planned_minutes": service.planned_minutes,
        "target_wait_minutes": service.target_wait_minutes,
        "waiting": model.waiting_count(service.id),
        "open_counters": model.open_counters(service.id),
        **eta_json(model.arrival_eta(service.id), center),
        "tickets_available": availability is None,
        "unavailable_reason": availability,
    }


def counter_json(
    counter: Counter, current: Ticket | None = None, *, staff: bool = False
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": counter.id,
        "number": counter.number,
        "state": str(counter.state),
        "services": [s.code for s in counter.services],
        "current": (
            {
                "number": current.number,
                "status": str(current.status),
                "service": current.service.code,
                # the latest call: hall boards list the counters newest call first
                "called_at": iso(current.called_at, counter.center),
            }
            if current
            else None
        ),
    }
    if staff:
        operator = counter.operator
        out["pause_reason"] = counter.pause_reason
        out["state_since"] = iso(counter.state_since, counter.center)
        out["operator"] = (
            {"username": operator.username, "name": operator.full_name} if operator else None
        )
    return out


def center_summary(center: Center) -> dict[str, Any]:
    return {
        "slug": center.slug,
        "name": center.name,
        "address": center.address,
        "timezone": center.timezone,
        "languages": center.language_list,
    }


def ticket_links(ticket: Ticket) -> dict[str, str]:
    """Relative links of a ticket (plain paths: usable outside a request, e.g. in events)."""
    base = f"/api/v1/tickets/{ticket.token}"
    return {
        "status": base,
        "page": f"/t/{ticket.token}",
        "receipt_pdf": f"{base}/receipt.pdf",
        "receipt_png": f"{base}/receipt.png",
    }


def ticket_json(
    session: Session, ticket: Ticket, now: datetime, model: QueueModel | None = None
) -> dict[str, Any]:
    """The public ticket body. A waiting ticket's position and ETA come from `model` (the
    center's queue now), loaded here when the caller has none."""
    center = ticket.center
    place, eta = None, None
    if ticket.status == TicketStatus.WAITING:
        model = model if model is not None else queue_model(session, center, now)
        place = model.place(ticket.id)
        # Waiting but in no queue: a ticket of an earlier day, about to expire.
        eta = place.eta if place is not None else Eta(DAY_CLOSED)
    counter = ticket.counter
    return {
        "token": ticket.token,
        "number": ticket.number,
        "center": center.slug,
        "service": ticket.service.code,
        "service_name": ticket.service.name,
        "agency": ticket.service.agency.code,
        "agency_name": ticket.service.agency.name,
        "status": str(ticket.status),
        "lang": ticket.lang,
        "priority": ticket.priority,
        "booked": ticket.appointment_id is not None,
        "position": place.position if place else 0,
        "people_ahead": place.people_ahead if place else 0,
        **eta_json(eta, center),
        "counter": counter.number if counter and ticket.status in ("called", "serving") else None,
        "call_count": ticket.call_count,
        "issued_at": iso(ticket.issued_at, center),
        "called_at": iso(ticket.called_at, center),
        "started_at": iso(ticket.started_at, center),
        "finished_at": iso(ticket.finished_at, center),
        "links": ticket_links(ticket),
    }
