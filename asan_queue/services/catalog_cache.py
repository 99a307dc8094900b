"""A center's catalogue (the center, its hours and closed days, its services and their
agencies) cached per process, for the paths that run on every ticket (issuing).

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

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session, selectinload

from ..domain.errors import NotFound
from ..models import Center, Service

_VERSION = select(Center.id, Center.catalog_version).where(Center.slug == bindparam("slug"))


@dataclass(frozen=True)
class Catalog:
    version: int
    center: Center  # detached, with hours, closed days, services (and their agencies) loaded
    services: dict[str, Service]  # by code, active or not

    def service(self, code: str) -> Service | None:
        """The center's active service `code`, or None."""
        found = self.services.get(code)
        return found if found is not None and found.active else None


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
    return Catalog(version, center, {s.code: s for s in center.services})


def center_catalog(session: Session, slug: str) -> Catalog:
    """The center `slug`'s catalogue as of the caller's transaction: one small read when
    the cached copy is current, a reload when any process changed it. Raises NotFound."""
    row = session.connection().execute(_VERSION, {"slug": slug}).first()
    if row is None:
        raise NotFound(f"no center {slug!r}", code="center_not_found")
    cache = _cache_of(session)
    cached = cache.get(slug)
    if cached is not None and cached.version == row.catalog_version and cached.center.id == row.id:
        return cached
    loaded = _load(session, slug, row.catalog_version)
    cache[slug] = loaded
    return loaded
