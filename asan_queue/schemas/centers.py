"""Centers, their services and counters, as citizens, kiosks and displays see them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.statuses import CounterState, TicketStatus
from .base import Instant, Localized, Out
from .tickets import Eta

Refusal = Literal["center_closed", "no_more_tickets", "service_not_walk_in"]
ClosedReason = Literal["holiday", "day_off", "before_opening", "break", "after_closing"]


class CenterSummary(Out):
    slug: str
    name: Localized
    address: Localized
    timezone: str = Field(examples=["Asia/Baku"])
    languages: list[str]


class Centers(Out):
    items: list[CenterSummary]


class Agency(Out):
    code: str
    name: Localized


class ServiceQueue(Eta):
    """A service's queue now: the body of the `queue` message's services."""

    code: str
    waiting: int = Field(ge=0)
    open_counters: int = Field(ge=0)
    tickets_available: bool = Field(description="Whether a walk-in ticket is issued now")
    unavailable_reason: Refusal | None = Field(description="Why not (the refusal's code)")
    next_numbers: list[str] = Field(description="The next numbers to be called, first first")


class Service(ServiceQueue):
    prefix: str
    agency: str
    name: Localized
    bring: Localized
    walk_in: bool
    bookable: bool
    planned_minutes: int
    target_wait_minutes: int


class AtCounter(Out):
    number: str
    status: TicketStatus
    service: str
    called_at: Instant | None = Field(description="The latest call (or recall)")


class Counter(Out):
    """A counter as the hall sees it (no staff data)."""

    id: int
    number: int
    state: CounterState
    services: list[str]
    current: AtCounter | None


class Operator(Out):
    username: str
    name: str


class StaffCounter(Counter):
    """A counter as its desk and the staff API see it."""

    pause_reason: str | None
    pause_code: str | None = Field(description="Why it is paused (staff only)")
    label: str | None
    today_services: list[str] | None = Field(
        description="The services a supervisor set it to serve today (null: its own)"
    )
    state_since: Instant | None
    operator: Operator | None


class Period(Out):
    opens: str = Field(examples=["09:00"])
    closes: str = Field(examples=["18:00"])


class CenterDetail(CenterSummary):
    """GET /centers/{slug}: its services with their queue, counters and today's hours."""

    agencies: list[Agency]
    services: list[Service]
    counters: list[Counter]
    call_policy: str
    open_now: bool
    closed_reason: ClosedReason | None
    closed_note: Localized | None
    opens_at: str | None = Field(description="The next opening later today, HH:MM")
    hours_today: list[Period]
    sms_available: bool = Field(description="Whether a phone may be given for SMS")
