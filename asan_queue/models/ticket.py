"""Tickets, their event log, the day counters that number them, idempotency keys, feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.statuses import TicketStatus
from .base import Base, UTCDateTime

if TYPE_CHECKING:
    from .booking import Appointment
    from .center import Center, Counter, Service


class DayCounter(Base):
    """Next ticket sequence per (center, prefix, local day): bumped by an upsert in the same
    transaction as the ticket insert, so a rollback undoes the bump (gap-free)."""

    __tablename__ = "day_counters"

    center_id: Mapped[int] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("center_id", "day", "number"),
        # Every queue read is one center's waiting tickets of one local day.
        Index("ix_tickets_queue", "center_id", "day", "status", "service_id"),
        # A counter's visit in progress and its served-today count, whatever the history.
        Index("ix_tickets_counter_day", "counter_id", "day", "status"),
        # Today's priority tickets (the projection expects more of them): a handful of rows
        # read at every queue build, not a scan of the day's tickets.
        Index(
            "ix_tickets_priority_day",
            "center_id",
            "day",
            sqlite_where=text("priority IS NOT NULL"),
            postgresql_where=text("priority IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date]
    number: Mapped[str] = mapped_column(String(12))
    status: Mapped[TicketStatus] = mapped_column(String(12), default=TicketStatus.WAITING)
    lang: Mapped[str] = mapped_column(String(2), default="az")
    priority: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"))
    # Put ahead of everyone by a supervisor; waits for one counter only (a transfer to a
    # counter, a return to the first counter of a multi-step visit); goes back there next.
    call_first: Mapped[bool] = mapped_column(default=False, server_default=false())
    target_counter_id: Mapped[int | None] = mapped_column(
        ForeignKey("counters.id", ondelete="SET NULL", name="fk_tickets_target_counter")
    )
    return_counter_id: Mapped[int | None] = mapped_column(
        ForeignKey("counters.id", ondelete="SET NULL", name="fk_tickets_return_counter")
    )
    return_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("services.id", ondelete="SET NULL", name="fk_tickets_return_service")
    )
    # How the visit ended (served | not_served) and why, and the operator's notes: staff only.
    outcome: Mapped[str | None] = mapped_column(String(12))
    outcome_code: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(String(1000))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    # What the citizen was told when the ticket was issued (receipt, ETA accuracy).
    quoted_eta_minutes: Mapped[int | None] = mapped_column(Integer)
    quoted_eta_low: Mapped[int | None] = mapped_column(Integer)
    quoted_eta_high: Mapped[int | None] = mapped_column(Integer)
    issued_ahead: Mapped[int | None] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # No save-update cascade: a ticket may hold the catalogue cache's detached center and
    # service (services/catalog_cache.py), which must never be pulled into a session.
    center: Mapped[Center] = relationship(cascade="merge")
    service: Mapped[Service] = relationship(foreign_keys=[service_id], cascade="merge")
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])
    appointment: Mapped[Appointment | None] = relationship(foreign_keys=[appointment_id])
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", cascade="all, delete-orphan"
    )


class TicketEvent(Base):
    """Every transition: what, from/to, when, who, at which counter, and why."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    operation: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the hall's recent calls
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class DayClosure(Base):
    """A center's local day that the server has closed; the primary key makes closing a day
    happen once, however many server processes try at the same moment."""

    __tablename__ = "day_closures"

    center_id: Mapped[int] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tickets_expired: Mapped[int] = mapped_column(Integer, default=0)
    bookings_missed: Mapped[int] = mapped_column(Integer, default=0)
    counters_closed: Mapped[int] = mapped_column(Integer, default=0)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("center_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), unique=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
