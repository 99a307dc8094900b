"""Shapes of the public JSON answers (times ISO 8601 with offset, in the center's zone).

Shared by the HTTP API (web/) and the Socket.IO events (realtime/), so that a `ticket` event
carries exactly the body of GET /api/v1/tickets/<token>; it lives below both layers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ..models import Center, Counter, Service, Ticket
from .queue import ServiceLoad, ticket_eta


def iso(value: datetime | None, center: Center) -> str | None:
    return value.astimezone(ZoneInfo(center.timezone)).isoformat() if value else None


def service_json(service: Service, load: ServiceLoad | None) -> dict[str, Any]:
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
        "waiting": load.waiting if load else 0,
        "open_counters": load.open_counters if load else 0,
        "eta_minutes": load.eta_minutes if load else 0,
    }


def counter_json(counter: Counter, current: Ticket | None = None) -> dict[str, Any]:
    return {
        "id": counter.id,
        "number": counter.number,
        "state": str(counter.state),
        "pause_reason": counter.pause_reason,
        "services": [s.code for s in counter.services],
        "current": (
            {
                "number": current.number,
                "status": str(current.status),
                "service": current.service.code,
            }
            if current
            else None
        ),
    }


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
    session: Session, ticket: Ticket, now: datetime, ahead_eta: tuple[int, int] | None = None
) -> dict[str, Any]:
    """The public ticket body. `ahead_eta` (people ahead, ETA minutes) may be passed in when
    the caller computed a whole queue at once (realtime position updates)."""
    center = ticket.center
    ahead, eta = ahead_eta if ahead_eta is not None else ticket_eta(session, ticket, now)
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
        "position": ahead + 1 if ticket.status == "waiting" else 0,
        "people_ahead": ahead,
        "eta_minutes": eta,
        "counter": counter.number if counter and ticket.status in ("called", "serving") else None,
        "call_count": ticket.call_count,
        "issued_at": iso(ticket.issued_at, center),
        "called_at": iso(ticket.called_at, center),
        "started_at": iso(ticket.started_at, center),
        "finished_at": iso(ticket.finished_at, center),
        "links": ticket_links(ticket),
    }
