"""End-of-day work: tickets still active from a past local day expire."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.events import Event, TicketChanged
from ..domain.numbering import local_day
from ..domain.statuses import ACTIVE
from ..models import Center, Ticket
from ..models.engine import begin_write
from . import bus
from .transitions import apply


def expire_stale_tickets(session: Session, *, now: datetime) -> int:
    """Expire every waiting/called/serving ticket of a day before the center's today.
    Returns how many expired."""
    begin_write(session)
    events: list[Event] = []
    try:
        for center in session.scalars(select(Center)).all():
            today = local_day(now, center.timezone)
            stale = session.scalars(
                select(Ticket).where(
                    Ticket.center_id == center.id, Ticket.status.in_(ACTIVE), Ticket.day < today
                )
            ).all()
            for ticket in stale:
                apply(session, ticket, "expire", now=now, reason="the day closed")
                events.append(TicketChanged(center.slug, ticket.token, "expire", ticket.id))
        session.commit()
    except Exception:
        session.rollback()
        raise
    bus.publish(events)
    return len(events)
