"""The hall: centers, their hours, agencies, services and counters."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    event,
    inspect,
    update,
)
from sqlalchemy import true as sql_true
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..domain.statuses import CounterState
from .base import Base, UTCDateTime

if TYPE_CHECKING:
    from .user import User

counter_services = Table(
    "counter_services",
    Base.metadata,
    Column("counter_id", ForeignKey("counters.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Center(Base):
    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    address: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Baku")
    languages: Mapped[str] = mapped_column(String(40), default="az,ru,en")
    call_policy: Mapped[str] = mapped_column(String(10), default="fair")
    max_calls: Mapped[int] = mapped_column(Integer, default=3)
    checkin_before_minutes: Mapped[int] = mapped_column(Integer, default=30)
    checkin_after_minutes: Mapped[int] = mapped_column(Integer, default=10)
    # The server closes the day this long after the last closing time (at the latest at
    # local midnight): waiting tickets expire, missed bookings become no-shows.
    close_grace_minutes: Mapped[int] = mapped_column(Integer, default=30)
    # Walk-in tickets stop this many minutes before closing; None: when the projected wait
    # would run past closing.
    last_ticket_minutes: Mapped[int | None] = mapped_column(Integer)
    # The address citizens reach this center's pages at (printed on tickets); None: the
    # installation's PUBLIC_URL.
    public_url: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=sql_true())
    # Bumped in the transaction of every change of this center's catalogue (the center, its
    # hours, closed days, services, an agency): bump_catalog_versions below. Every process
    # checks its cached copy against it (services/catalog_cache.py).
    catalog_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    services: Mapped[list[Service]] = relationship(back_populates="center", order_by="Service.id")
    counters: Mapped[list[Counter]] = relationship(
        back_populates="center", order_by="Counter.number"
    )
    hours: Mapped[list[OpeningPeriod]] = relationship(
        order_by="(OpeningPeriod.weekday, OpeningPeriod.opens)", cascade="all, delete-orphan"
    )
    closed_days: Mapped[list[ClosedDay]] = relationship(
        order_by="ClosedDay.day", cascade="all, delete-orphan"
    )

    @property
    def agencies(self) -> list[Agency]:
        """The national agencies this center offers an active service of, in catalogue order."""
        found = {s.agency_id: s.agency for s in self.services if s.active}
        return sorted(found.values(), key=lambda a: a.id)

    @property
    def language_list(self) -> list[str]:
        return [x for x in self.languages.split(",") if x]


class OpeningPeriod(Base):
    """One open stretch of a weekday (0 = Monday); a lunch break is the gap between two."""

    __tablename__ = "opening_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time]
    closes: Mapped[time]


class ClosedDay(Base):
    __tablename__ = "closed_days"
    __table_args__ = (UniqueConstraint("center_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    day: Mapped[date]
    reason: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class Agency(Base):
    """A state agency of the national catalogue, shared by every center (so figures can be
    compared across centers); a center offers the agencies it has services of."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)

    services: Mapped[list[Service]] = relationship(back_populates="agency", order_by="Service.id")


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (
        UniqueConstraint("center_id", "code"),
        UniqueConstraint("center_id", "prefix"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    prefix: Mapped[str] = mapped_column(String(2))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    bring: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    planned_minutes: Mapped[int] = mapped_column(Integer, default=10)
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=15)
    walk_in: Mapped[bool] = mapped_column(default=True)
    bookable: Mapped[bool] = mapped_column(default=False)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    seats_per_slot: Mapped[int] = mapped_column(Integer, default=1)
    horizon_days: Mapped[int] = mapped_column(Integer, default=30)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=60)
    max_bookings_per_phone: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(default=True)
    # Today's smoothed service minutes, folded in at every finished visit, so an ETA costs no
    # query over the day's tickets; a figure from an earlier day counts as none.
    smoothed_minutes: Mapped[float | None] = mapped_column(Float)
    smoothed_spread: Mapped[float | None] = mapped_column(Float)
    smoothed_visits: Mapped[int | None] = mapped_column(Integer)  # folded in on smoothed_on
    smoothed_on: Mapped[date | None]
    # No walk-in ticket after this local time (None: the center's rule).
    last_ticket_time: Mapped[time | None]
    # Reason codes an operator may give when a visit ends without the service.
    outcome_codes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    center: Mapped[Center] = relationship(back_populates="services")
    agency: Mapped[Agency] = relationship(back_populates="services")
    counters: Mapped[list[Counter]] = relationship(
        secondary=counter_services, back_populates="services", order_by="Counter.number"
    )


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("center_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[CounterState] = mapped_column(String(10), default=CounterState.CLOSED)
    label: Mapped[str | None] = mapped_column(String(40))
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    # Why it is paused, from domain.desk.PAUSE_CODES (staff only, never public).
    pause_code: Mapped[str | None] = mapped_column(String(20))
    # The services a supervisor set it to serve on the local day `today_on` (None: its own).
    today_service_ids: Mapped[list[int] | None] = mapped_column(JSON)
    today_on: Mapped[date | None]
    # When the counter was last opened, paused or closed (break length, day close).
    state_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Planned breaks of a working day, [{"at": "HH:MM", "minutes": N}] in the center's local
    # time (the hall's lunch rota): the ETA projection expects the counter to pause then.
    break_rota: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    # An operator holds one counter at a time, a counter one operator: unique both ways.
    operator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )

    center: Mapped[Center] = relationship(back_populates="counters")
    services: Mapped[list[Service]] = relationship(
        secondary=counter_services, back_populates="counters", order_by="Service.id"
    )
    operator: Mapped[User | None] = relationship()


class CounterEvent(Base):
    """A supervisor's (or the desk's) change to a counter: opened, paused, closed remotely,
    its services of the day set; who, when, why."""

    __tablename__ = "counter_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(
        ForeignKey("counters.id", ondelete="CASCADE"), index=True
    )
    operation: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# What changes at every finished visit, not in the back office: no catalogue change.
_NOT_CATALOG: dict[type, frozenset[str]] = {
    Service: frozenset({"smoothed_minutes", "smoothed_spread", "smoothed_visits", "smoothed_on"}),
    Center: frozenset({"counters", "catalog_version"}),
}
# Of a counter, the catalogue holds which services it serves (its state, operator and
# today's choices are read afresh with every hall): a new, deleted or re-assigned counter.
_CATALOG_ONLY: dict[type, frozenset[str]] = {Counter: frozenset({"services"})}
_CATALOG = (Center, Service, OpeningPeriod, ClosedDay, Agency, Counter)


def _catalog_change(obj: object, dirty: bool) -> bool:
    if not dirty:
        return True
    only = _CATALOG_ONLY.get(type(obj))
    ignored = _NOT_CATALOG.get(type(obj), frozenset())
    return any(
        a.history.has_changes()
        for a in inspect(obj).attrs
        if (a.key in only if only is not None else a.key not in ignored)
    )


@event.listens_for(Session, "after_flush")
def bump_catalog_versions(session: Session, _flush: Any) -> None:
    """Every flush that changes a center's catalogue (the center, its hours, closed days,
    services, and which services its counters serve: a counter added, deleted or re-assigned;
    an agency: every center) bumps its `catalog_version` in the same transaction, whatever
    code path made the change (back office, catalogue import, CLI, a test). Bulk UPDATE or
    DELETE statements bypass the flush: nothing in the app writes the catalogue that way,
    and a script that does must go through the ORM (tests/kiosk/live_hours.py does)."""
    ids: set[int] = set()
    every = False
    for objects, dirty in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in objects:
            if not isinstance(obj, _CATALOG) or not _catalog_change(obj, dirty):
                continue
            if isinstance(obj, Agency):
                every = True
            elif isinstance(obj, Center):
                if dirty and obj.id is not None:
                    ids.add(obj.id)
            elif obj.center_id is not None:
                ids.add(obj.center_id)
    if not ids and not every:
        return
    table = cast(Table, Center.__table__)
    stmt = update(table).values(catalog_version=table.c.catalog_version + 1)
    if not every:
        stmt = stmt.where(table.c.id.in_(sorted(ids)))
    session.connection().execute(stmt)
