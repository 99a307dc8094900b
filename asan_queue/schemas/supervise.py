"""A supervisor's controls: counters opened, paused, closed from afar, their services of the
day, and moves of waiting tickets; every one with the reason that is recorded."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain.desk import PauseCode
from .base import In, Integer, Localized, Loose, Out, Text, coded
from .centers import StaffCounter
from .paths import CenterPath
from .tickets import Priority

Reason = Text  # said in a few words; written to the ticket's or counter's event log

NUMBER_PATTERN = r"^[A-Za-z0-9]{1,12}$"


class TicketNumberPath(CenterPath):
    number: str = coded("ticket_not_found", pattern=NUMBER_PATTERN)


class CounterIdPath(Loose):
    counter_id: int = coded("counter_not_found", ge=1, le=2**31 - 1)


class CounterState(In):
    state: Literal["open", "paused", "closed"]
    code: PauseCode | None = Field(default=None, description="Why it pauses (required to pause)")
    reason: Reason = Field(max_length=300)


class TodayServices(In):
    services: list[Text] | None = Field(
        description="Service codes it serves today (at least one); null: back to its own",
        min_length=1,
        max_length=50,
    )
    reason: Reason = Field(max_length=300)


class WithReason(In):
    reason: Reason = Field(max_length=300)


class MoveTicket(WithReason):
    service: Text | None = Field(default=None, max_length=40)
    counter: Integer | None = Field(default=None, ge=1, le=9999, description="Counter number")


class GivePriority(WithReason):
    priority: Priority


class CallTicket(WithReason):
    counter: Integer = Field(ge=1, le=9999, description="The counter's number")


class ServiceItem(Out):
    code: str
    name: Localized


class WaitingTicket(Out):
    number: str
    service: str
    service_name: Localized
    waited_minutes: int
    priority: Priority | None
    booked: bool
    first: bool = Field(description="Put first by a supervisor")
    for_counter: int | None = Field(description="It waits for this counter (number) alone")
    position: int = Field(ge=1, description="Its place in its own order (1 = next)")


class Controls(Out):
    """What the controls page shows: every counter and every waiting ticket."""

    center: str
    name: Localized
    counters: list[StaffCounter]
    waiting: list[WaitingTicket]
    services: list[ServiceItem]
