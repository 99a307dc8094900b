"""Domain events a use case records; the unit of work hands them on after commit. Primitives
only, and the instant they happened (`at`), so a handler needs nothing else to act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketChanged:
    """A ticket moved (issued, called, recalled, started, finished, cancelled, ...)."""

    center: str
    token: str
    operation: str
    ticket_id: int
    at: datetime
    counter_id: int | None = None


@dataclass(frozen=True)
class TicketCalled:
    """A counter called (or recalled) a ticket: the hall display announces it."""

    center: str
    token: str
    ticket_id: int
    counter_id: int
    recall: bool
    at: datetime


@dataclass(frozen=True)
class CounterChanged:
    center: str
    counter_id: int
    at: datetime


@dataclass(frozen=True)
class CatalogChanged:
    """A center's catalogue changed (its settings, hours, services, counters): kiosks and
    displays take the new one without a reload."""

    center: str
    at: datetime


Event = TicketChanged | TicketCalled | CounterChanged | CatalogChanged
