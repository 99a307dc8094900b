"""SQLAlchemy 2.0 typed models; the schema only changes through migrations/."""

from . import engine as engine  # noqa: F401  (registers the SQLite connection settings)
from .audit import AuditEntry
from .base import Base, UTCDateTime
from .booking import Appointment, SlotBooking
from .center import Agency, Center, ClosedDay, Counter, OpeningPeriod, Service, counter_services
from .notification import Notification
from .ticket import DayClosure, DayCounter, Feedback, IdempotencyKey, Ticket, TicketEvent
from .user import ApiToken, User

__all__ = [
    "Agency",
    "ApiToken",
    "Appointment",
    "AuditEntry",
    "Base",
    "Center",
    "ClosedDay",
    "Counter",
    "DayClosure",
    "DayCounter",
    "Feedback",
    "IdempotencyKey",
    "Notification",
    "OpeningPeriod",
    "Service",
    "SlotBooking",
    "Ticket",
    "TicketEvent",
    "UTCDateTime",
    "User",
    "counter_services",
]
