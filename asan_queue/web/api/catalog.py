"""The catalogue over the API: export a center as a catalogue file, import one (the same
schema and code as `flask catalog export/import` and the back office)."""

from __future__ import annotations

from flask import g

from ...clock import now_utc
from ...domain.statuses import Role
from ...extensions import db
from ...schemas.catalog import Catalog, ImportResult
from ...schemas.paths import CenterPath
from ...services import permissions, provisioning
from ...services.common import get_center
from ..contract import operation
from ..uow import unit_of_work
from . import bp

STAFF = (Role.ADMIN, Role.SUPERVISOR)


@operation(
    bp,
    "GET",
    "/centers/<slug>/catalog",
    summary="The center as a catalogue file (services, counters, hours, closed days)",
    tag="provisioning",
    ok=Catalog,
    path=CenterPath,
    staff=STAFF,
)
def export_catalog(path: CenterPath) -> Catalog:
    center = get_center(db.session, path.slug)
    permissions.may_supervise(g.user, center.id)
    return provisioning.export_center(db.session, center.slug)


@operation(
    bp,
    "PUT",
    "/catalog",
    summary="Create or update what a catalogue file describes (idempotent; audited)",
    tag="provisioning",
    ok=ImportResult,
    body=Catalog,
    staff=STAFF,
    errors=(404, 409),
)
def import_catalog(body: Catalog) -> ImportResult:
    report = provisioning.import_catalog(unit_of_work(), body, g.user, now=now_utc())
    return ImportResult(
        centers=report.centers, changes=report.changes, deactivated=report.deactivated
    )
