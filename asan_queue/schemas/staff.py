"""Staff: tokens, counter actions, the desk's view of a counter, the day's audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..domain.statuses import Role, TicketStatus
from .base import In, Instant, Localized, Out, Secret, Text
from .centers import StaffCounter
from .tickets import Priority, Ticket


class Credentials(In):
    username: Text = Field(max_length=80)
    password: Secret


class TokenUser(Out):
    username: str
    role: Role


class Token(Out):
    token: str
    expires_at: Instant
    user: TokenUser


class Pause(In):
    reason: str = Field(default="", max_length=200)


class Transfer(In):
    service: Text = Field(max_length=40)
    first: bool = False


class ReasonDetail(Out):
    """Why the policy chose a ticket, as fields (the fair-queue audit reads these)."""

    tier: str = Field(examples=["overdue"])
    waited_minutes: int
    ratio: float | None = Field(description="wait / target, for the overdue tier")
    slot: str | None = Field(description="The booked slot's start, for the booking tier")


class Called(Ticket):
    """The ticket call-next called, with the policy's reason."""

    reason: str
    reason_detail: ReasonDetail


class CurrentTicket(Ticket):
    """The ticket at a desk's counter, with how long it waited and is being served."""

    waited_minutes: int | None
    service_started_at: Instant | None


class WaitingItem(Out):
    number: str
    service: str
    service_name: Localized
    waited_minutes: int | None
    priority: Priority | None
    booked: bool
    reason: str = Field(description="The policy tier that orders it here")


class CounterView(Out):
    """A desk's view of its counter: the `counter` room's snapshot and messages."""

    counter: StaffCounter
    current: CurrentTicket | None
    waiting: list[WaitingItem] = Field(description="The next citizens, in call order (30)")
    waiting_count: int
    served_today: int


class AuditEvent(Out):
    operation: str
    from_: str | None = Field(alias="from")
    to: str
    at: Instant
    counter_id: int | None
    reason: str
    reason_detail: dict[str, Any]


class AuditTicket(Out):
    number: str
    token: str
    service: str
    status: TicketStatus
    priority: Priority | None
    issued_at: Instant
    events: list[AuditEvent]


class AuditTrail(Out):
    items: list[AuditTicket]
