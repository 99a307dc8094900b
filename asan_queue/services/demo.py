"""Demo data for a fresh install: the demo catalogue (asan_queue/demo_catalog.json, one
catalogue file as `flask catalog import` reads it, imported through the same code) and the
demo staff accounts.

Demo users all have the password `demo`; this module is for demo data only. Production
(ASAN_ENV=production) never loads it (serve.py, `flask seed-demo`)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from sqlalchemy import func, select

from ..domain.statuses import Role
from ..models import Center, User
from ..schemas.catalog import Catalog
from .auth import hash_password
from .provisioning import import_catalog
from .uow import UnitOfWork

DEMO_PASSWORD = "demo"  # noqa: S105 - demo data only, printed at start-up
GANJA = "ganja-1"


def load_catalog() -> Catalog:
    text = resources.files("asan_queue").joinpath("demo_catalog.json").read_text("utf-8")
    return Catalog.model_validate_json(text)


def catalog_centers() -> list[str]:
    return [c.slug for c in load_catalog().centers]


def add_center(uow: UnitOfWork, slug: str, *, now: datetime) -> Center:
    """Import the catalogue's center `slug` (and its agencies). Raises ValueError for a slug
    the catalogue does not have."""
    catalog = load_catalog()
    spec = next((c for c in catalog.centers if c.slug == slug), None)
    if spec is None:
        known = ", ".join(c.slug for c in catalog.centers)
        raise ValueError(f"the catalogue has no center {slug!r} (it has {known})")
    used = {s.agency for s in spec.services}
    agencies = [a for a in catalog.agencies if a.code in used]
    with uow:
        import_catalog(uow, Catalog(agencies=agencies, centers=[spec]), None, now=now)
        center = uow.session.scalar(select(Center).where(Center.slug == slug))
        assert center is not None  # noqa: S101 - just imported
    return center


def seed_demo(uow: UnitOfWork, *, now: datetime) -> bool:
    """Load the demo centers and users when the database has no center. Returns whether it
    loaded anything."""
    with uow:
        session = uow.session
        if session.scalar(select(func.count()).select_from(Center)):
            return False
        import_catalog(uow, load_catalog(), None, now=now)
        baku = session.scalar(select(Center).where(Center.slug == "baku-1"))
        ganja = session.scalar(select(Center).where(Center.slug == GANJA))
        assert baku is not None and ganja is not None  # noqa: S101 - just imported
        pw = hash_password(DEMO_PASSWORD)

        def staff(username: str, role: Role, center: Center | None, name: str) -> User:
            return User(
                username=username,
                role=role,
                center_id=center.id if center else None,
                password_hash=pw,
                full_name=name,
            )

        users = [staff("admin", Role.ADMIN, None, "Admin")]
        users.append(staff("supervisor", Role.SUPERVISOR, baku, "Supervisor"))
        users += [staff(f"operator{i}", Role.OPERATOR, baku, f"Operator {i}") for i in range(1, 21)]
        users.append(staff("ganja-supervisor", Role.SUPERVISOR, ganja, "Ganja supervisor"))
        users += [
            staff(f"ganja-operator{i}", Role.OPERATOR, ganja, f"Ganja operator {i}")
            for i in range(1, 5)
        ]
        session.add_all(users)
    return True
