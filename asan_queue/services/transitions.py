"""Apply a named transition to a ticket and log it as a TicketEvent (the only way a ticket's
status changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..domain.statuses import TicketStatus, check_transition
from ..models import Ticket, TicketEvent


def apply(
    session: Session,
    ticket: Ticket,
    operation: str,
    *,
    now: datetime,
    actor_id: int | None = None,
    counter_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Check `operation` against the transition table, move the ticket, stamp its times and
    append the event. Raises InvalidTransition (409) when the move is not allowed."""
    before = TicketStatus(ticket.status)
    after = check_transition(operation, before)
    ticket.status = after
    if after in (TicketStatus.DONE,):
        ticket.finished_at = now
    if after in (
        TicketStatus.DONE,
        TicketStatus.NO_SHOW,
        TicketStatus.CANCELLED,
        TicketStatus.REMOVED,
        TicketStatus.EXPIRED,
    ):
        ticket.ended_at = now
    event = TicketEvent(
        ticket_id=ticket.id,
        operation=operation,
        from_status=before.value,
        to_status=after.value,
        at=now,
        actor_id=actor_id,
        counter_id=counter_id,
        reason=reason[:300],
        data=data or {},
    )
    # Added to the session, not to `ticket.events`: appending would first load every earlier
    # event of the ticket only to add one.
    session.add(event)
    return event


def issue_event(
    *, now: datetime, reason: str, actor_id: int | None = None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The columns of every ticket's first event: it came into being (no from-state)."""
    return {
        "operation": "issue",
        "from_status": None,
        "to_status": TicketStatus.WAITING.value,
        "at": now,
        "actor_id": actor_id,
        "counter_id": None,
        "reason": reason[:300],
        "data": data or {},
    }
