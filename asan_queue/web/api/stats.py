"""Reports and the dashboard (supervisors and admins), open data (no login)."""

from __future__ import annotations

from flask import Response, current_app, g
from sqlalchemy import select

from ...clock import now_utc
from ...domain.statuses import Role
from ...extensions import db
from ...models import Center
from ...schemas import stats as s
from ...schemas.paths import CenterPath
from ...services import opendata
from ...services import stats as stats_service
from ...services.common import get_center
from ...services.permissions import may_supervise, own_center_id
from ...services.supervise import dashboard
from ..contract import operation
from ..errors import request_lang
from . import bp

SUPERVISORS = (Role.ADMIN, Role.SUPERVISOR)


def csv_response(columns: list[str], rows: list[list[s.Cell]], filename: str) -> Response:
    body = stats_service.as_csv(columns, rows)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@operation(
    bp,
    "GET",
    "/centers/<slug>/stats",
    summary="A center's report over a range of local days (tables; CSV with format=csv)",
    tag="reports",
    ok=s.Report,
    path=CenterPath,
    query=s.StatsQuery,
    staff=SUPERVISORS,
    csv=True,
)
def center_stats(path: CenterPath, query: s.StatsQuery) -> s.Report | Response:
    """Arrivals and calls per bucket, waits and service times (p50, p90, max), service levels,
    no-show/cancel/left rates, bookings, ratings and comments, ETA accuracy, operators and the
    fair-queue audit, grouped `by` center, agency, service, counter or operator."""
    center = get_center(db.session, path.slug)
    may_supervise(g.user, center.id)
    found = stats_service.report(
        db.session,
        center,
        query.from_,
        query.to,
        bucket=query.bucket,
        by=query.by,
        lang=request_lang(),
    )
    wanted = query.table or ("waits" if query.format == "csv" else None)
    if wanted is not None:
        found.tables = [t for t in found.tables if t.name == wanted]
    if query.format == "csv":
        (table,) = found.tables
        name = f"{center.slug}-{wanted}-{query.from_}-{query.to}"
        return csv_response(table.columns, table.rows, name)
    return found


@operation(
    bp,
    "GET",
    "/centers/<slug>/dashboard",
    summary="The supervisor's dashboard of a center now (the supervise room's snapshot)",
    tag="reports",
    ok=s.Dashboard,
    path=CenterPath,
    staff=SUPERVISORS,
)
def center_dashboard(path: CenterPath) -> s.Dashboard:
    center = get_center(db.session, path.slug)
    may_supervise(g.user, center.id)
    return dashboard(
        db.session,
        center,
        now_utc(),
        break_alert_minutes=current_app.config.get("BREAK_ALERT_MINUTES"),
    )


@operation(
    bp,
    "GET",
    "/dashboard",
    summary="Every center's dashboard side by side (admins: all; supervisors: their own)",
    tag="reports",
    ok=s.Overview,
    staff=SUPERVISORS,
)
def overview() -> s.Overview:
    own = own_center_id(g.user)
    centers = db.session.scalars(select(Center).order_by(Center.id)).all()
    now = now_utc()
    return s.Overview(
        items=[dashboard(db.session, c, now) for c in centers if own is None or c.id == own]
    )


def _open(
    columns: list[str], rows: list[list[s.Cell]], fmt: str, name: str
) -> s.OpenTable | Response:
    if fmt == "csv":
        response = csv_response(columns, rows, name)
        response.headers["X-Licence"] = s.LICENCE
        return response
    return s.OpenTable(licence=s.LICENCE, generated_at=now_utc(), columns=columns, rows=rows)


OPEN = "Open data (CC BY 4.0): aggregates only, no personal data."


@operation(
    bp,
    "GET",
    "/open-data/load",
    summary="Every center's load now: waiting, ETA, open counters per agency and service",
    tag="open-data",
    ok=s.OpenTable,
    query=s.OpenQuery,
    csv=True,
    description=OPEN,
)
def open_load(query: s.OpenQuery) -> s.OpenTable | Response:
    rows = opendata.load(db.session, now_utc())
    return _open(opendata.LOAD_COLUMNS, rows, query.format, "load")


@operation(
    bp,
    "GET",
    "/open-data/daily",
    summary="Per center, agency and service per day: served, median wait, service level",
    tag="open-data",
    ok=s.OpenTable,
    query=s.OpenDailyQuery,
    errors=(404,),
    csv=True,
    description=OPEN,
)
def open_daily(query: s.OpenDailyQuery) -> s.OpenTable | Response:
    rows = opendata.daily(db.session, query.from_, query.to, query.center)
    return _open(opendata.DAILY_COLUMNS, rows, query.format, f"daily-{query.from_}-{query.to}")


@operation(
    bp,
    "GET",
    "/open-data/ranking",
    summary="Agencies by citizens served in a month (nationally or in one center)",
    tag="open-data",
    ok=s.OpenTable,
    query=s.OpenRankingQuery,
    errors=(404,),
    csv=True,
    description=OPEN,
)
def open_ranking(query: s.OpenRankingQuery) -> s.OpenTable | Response:
    rows = opendata.ranking(db.session, query.month, query.center)
    return _open(opendata.RANKING_COLUMNS, rows, query.format, f"ranking-{query.month}")
