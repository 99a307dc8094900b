"""The audit log: every provisioning change (back office or command line), who made it, when,
and the entity's fields before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_center_id", "center_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The username at the time (or "cli" for a command run on the server): kept when the
    # user row changes.
    actor: Mapped[str] = mapped_column(String(80))
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id", ondelete="SET NULL"))
    entity: Mapped[str] = mapped_column(String(20))  # center, agency, service, counter, user
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))  # create, update, deactivate, ...
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
