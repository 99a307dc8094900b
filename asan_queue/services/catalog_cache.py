"""A center's catalogue (the center, its hours and closed days, its services and their
agencies, which services each counter serves) cached per process, for the paths that run
on every ticket (issuing) and every change of a hall (its snapshots, the emitter).

Loading it costs three to five statements and the ORM's object building on every ticket,
though it changes a few times a year. Here it is loaded once, detached from any session,
and checked on each use with one small read: `centers.catalog_version`, which every flush
that changes the catalogue bumps in its own transaction (models/center.py
bump_catalog_versions). So a change in the back office, by any process, through any code
path, is seen by the next ticket of every process, with no message to lose and nothing to
configure (SQLite or PostgreSQL, Redis or not); the check reads one row by its unique key.

The cached objects are read-only snapshots: never add them to a session, nor assign them to
a relationship (that would cascade them in); use their ids, or `set_committed_value`."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.errors import NotFound
from ..models import Center, Counter, Service, counter_services

_VERSION = select(Center.id, Center.catalog_version).where(Center.slug == bindparam("slug"))
_SERVED = (
    select(counter_services.c.counter_id, counter_services.c.service_id)
    .join(Counter, Counter.id == counter_services.c.counter_id)
    .where(Counter.center_id == bindparam("center_id"))
    .order_by(counter_services.c.counter_id, counter_services.c.service_id)
)
# The version check and the center's counters (their state read now) in one statement: a
# hall's read starts with it (load_hall).
_HALL = (
    select(Center.id, Center.catalog_version, Counter)
    .select_from(Center)
    .outerjoin(Counter, Counter.center_id == Center.id)
    .where(Center.slug == bindparam("slug"))
)
_CENTER_COLUMNS = tuple(a.key for a in inspect(Center).column_attrs)


@dataclass(frozen=True)
class Catalog:
    version: int
    center: Center  # detached, with hours, closed days, services (and their agencies) loaded
    services: dict[str, Service]  # by code, active or not
    served: dict[int, tuple[Service, ...]]  # counter id -> the services it serves, by id

    def service(self, code: str) -> Service | None:
        """The center's active service `code`, or None."""
        found = self.services.get(code)
        return found if found is not None and found.active else None

    def with_counters(self, counters: list[Counter]) -> Center:
        """The center for one read of its hall: a detached copy of the cached center whose
        `counters` are the given ones, the session's own, read now (state, operator, today's
        services), each with its `services` from the catalogue. The copy is this caller's
        alone (another read, in another greenlet, gets another); never add it to a session."""
        center = inspect(Center).class_manager.new_instance()
        source = self.center
        for key in _CENTER_COLUMNS:
            set_committed_value(center, key, getattr(source, key))
        for key in ("services", "hours", "closed_days"):
            set_committed_value(center, key, list(getattr(source, key)))
        make_transient_to_detached(center)
        counters = sorted(counters, key=lambda c: c.number)
        for counter in counters:
            set_committed_value(counter, "center", center)
            set_committed_value(counter, "services", list(self.served.get(counter.id, ())))
        set_committed_value(center, "counters", counters)
        return center


# One cache per database (engine): a test process runs many apps on many databases.
_caches: weakref.WeakKeyDictionary[Engine, dict[str, Catalog]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _cache_of(session: Session) -> dict[str, Catalog]:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = {}
        return cache


def _load(session: Session, slug: str, version: int) -> Catalog:
    """Load the catalogue on the caller's connection (its transaction's snapshot) in a
    session of its own, closed at once: the objects come out detached, fully loaded."""
    with Session(bind=session.connection(), expire_on_commit=False) as loader:
        center = loader.scalar(
            select(Center)
            .where(Center.slug == slug)
            .options(
                selectinload(Center.services).selectinload(Service.agency),
                selectinload(Center.hours),
                selectinload(Center.closed_days),
            )
        )
        if center is None:
            raise NotFound(f"no center {slug!r}", code="center_not_found")
        by_id = {s.id: s for s in center.services}
        for service in center.services:  # loaded from the center's side: not yet set
            set_committed_value(service, "center", center)
        served: dict[int, list[Service]] = {}
        for counter_id, service_id in loader.execute(_SERVED, {"center_id": center.id}):
            served.setdefault(counter_id, []).append(by_id[service_id])
    return Catalog(
        version,
        center,
        {s.code: s for s in center.services},
        {k: tuple(v) for k, v in served.items()},
    )


def _current(session: Session, slug: str, center_id: int, version: int) -> Catalog:
    """The cached catalogue of `slug` if it is at `version`, else loaded now."""
    cache = _cache_of(session)
    cached = cache.get(slug)
    if cached is not None and cached.version == version and cached.center.id == center_id:
        return cached
    loaded = _load(session, slug, version)
    cache[slug] = loaded
    return loaded


def center_catalog(session: Session, slug: str) -> Catalog:
    """The center `slug`'s catalogue as of the caller's transaction: one small read when
    the cached copy is current, a reload when any process changed it. Raises NotFound."""
    row = session.connection().execute(_VERSION, {"slug": slug}).first()
    if row is None:
        raise NotFound(f"no center {slug!r}", code="center_not_found")
    return _current(session, slug, row.id, row.catalog_version)


def load_hall(session: Session, slug: str) -> Center:
    """The center `slug` with its agencies, services (and their agencies) and counters (and
    their services), for building whole-hall views (read only; Catalog.with_counters): the
    catalogue from this cache, checked, and the counters read now, in one statement. Raises
    NotFound."""
    rows = session.execute(_HALL, {"slug": slug}).all()
    if not rows:
        raise NotFound(f"no center {slug!r}", code="center_not_found")
    catalog = _current(session, slug, rows[0].id, rows[0].catalog_version)
    return catalog.with_counters([row[2] for row in rows if row[2] is not None])
