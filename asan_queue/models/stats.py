"""History read fast: daily rollups, the fair-queue audit of calls, the hall's devices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class DailyStat(Base):
    """One closed local day's figures of one (service, counter, operator) of a center:
    counts and minute histograms (domain/history.py Figures), so a month's report sums ~30
    rows per key instead of scanning every past ticket. Rewritten whole when a day closes
    (services/rollup.py), so a rerun (the backfill) gives the same rows."""

    __tablename__ = "daily_stats"
    __table_args__ = (Index("ix_daily_stats_center_day", "center_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    day: Mapped[date]
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id", ondelete="SET NULL"))
    # The agency by its national code: a ranking groups agencies across centers by code.
    agency_code: Mapped[str] = mapped_column(String(20))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class CallAudit(Base):
    """A call that passed over a ticket waiting longer for the same counter, and why: the
    policy's tier, wait/target ratio and slot as fields, plus its sentence."""

    __tablename__ = "call_audits"
    __table_args__ = (Index("ix_call_audits_center_at", "center_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    tier: Mapped[str] = mapped_column(String(12))
    ratio: Mapped[float | None] = mapped_column(Float)
    slot_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waited_minutes: Mapped[int] = mapped_column(Integer)
    passed_over: Mapped[int] = mapped_column(Integer)  # tickets waiting longer, passed over
    longest_waited_minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300), default="")


class Device(Base):
    """A hall display or kiosk that named itself when it subscribed, and when it was last
    connected (the dashboard warns when one drops off)."""

    __tablename__ = "devices"
    __table_args__ = (
        Index("uq_devices_center_kind_name", "center_id", "kind", "name", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # display | kiosk
    name: Mapped[str] = mapped_column(String(60))
    connected: Mapped[bool] = mapped_column(default=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
