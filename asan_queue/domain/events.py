"""Domain events a use case publishes after its transaction commits (primitives only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketChanged:
    """A ticket moved (issued, called, recalled, started, finished, cancelled, ...)."""

    center: str
    token: str
    operation: str
    ticket_id: int
    counter_id: int | None = None


@dataclass(frozen=True)
class TicketCalled:
    """A counter called (or recalled) a ticket: the hall display announces it."""

    center: str
    token: str
    ticket_id: int
    counter_id: int
    recall: bool


@dataclass(frozen=True)
class CounterChanged:
    center: str
    counter_id: int


Event = TicketChanged | TicketCalled | CounterChanged
