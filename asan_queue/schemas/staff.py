"""Staff: tokens, counter actions, the desk's view of a counter, the day's audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..domain.desk import PauseCode
from ..domain.statuses import Role, TicketStatus
from .base import In, Instant, Integer, Localized, Out, Secret, Text
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
    code: PauseCode | None = Field(
        default=None, description="Why, from the fixed list (staff only, never public)"
    )
    reason: str = Field(default="", max_length=200, description="A note (staff only)")


class Transfer(In):
    """To another service's queue, or to one counter (its number), or both; `back`: after
    that step the visit comes back to this counter (multi-step visits)."""

    service: Text | None = Field(default=None, max_length=40)
    counter: Integer | None = Field(default=None, ge=1, le=9999)
    first: bool = False
    back: bool = False


class Finish(In):
    outcome_code: str | None = Field(
        default=None, max_length=40, description="How the visit ended (default: served)"
    )
    notes: str = Field(default="", max_length=1000, description="Staff only")


class CallNumber(In):
    number: Text = Field(max_length=12, examples=["P017"])


class Recalled(Ticket):
    """A recall's answer: what the server did (recalled, or no-show past max calls)."""

    recalls_left: int = Field(ge=0, description="Recalls before the next one marks no-show")
    marked_no_show: bool


class Undone(Ticket):
    """The ticket a finish or no-show was taken back from, at the counter again."""

    undone: str = Field(examples=["finish"])


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
    planned_minutes: int = Field(description="The service's planned minutes (overrun cue)")
    serving_seconds: float | None = Field(
        description="How long it has been served when this body was built (the desk counts on "
        "from there, whatever its own clock says)"
    )
    recalls_left: int = Field(ge=0, description="Recalls before the next one marks no-show")
    call_reason: str | None = Field(description="The policy tier it was called by")
    priority_reason: str | None = Field(description="Why a supervisor gave it priority")
    booked_name: str | None = Field(description="The booked citizen's name (staff only)")
    back_to_counter: int | None = Field(description="It returns to this counter afterwards")
    notes: str | None


class WaitingItem(Out):
    number: str
    service: str
    service_name: Localized
    waited_minutes: int | None
    priority: Priority | None
    booked: bool
    reason: str = Field(description="The policy tier that orders it here")
    for_this_counter: bool = Field(description="It waits for this counter alone")


class UndoOffer(Out):
    operation: str = Field(examples=["finish"])
    number: str
    until: Instant
    seconds_left: float = Field(ge=0, description="From the moment this body was built")


class CounterView(Out):
    """A desk's view of its counter: the `counter` room's snapshot and messages."""

    counter: StaffCounter
    current: CurrentTicket | None
    waiting: list[WaitingItem] = Field(description="The next citizens, in call order (30)")
    waiting_count: int
    served_today: int
    outcome_codes: list[str] = Field(description="How a visit here may end (served first)")
    undo: UndoOffer | None = Field(description="The finish or no-show that can be undone")


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
