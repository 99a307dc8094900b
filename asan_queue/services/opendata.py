"""Open data: every center's load now, daily figures per center, agency and service, and the
agency ranking by citizens served (nationally or in one center) for a month. Aggregates
only: no names, phones, tokens or ticket-level rows, whatever the tables hold."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NotFound
from ..domain.history import Figures, percentile, total
from ..models import Agency, Center
from ..schemas import stats as s
from .rollup import figures
from .stats import Names, check_range, month_range
from .supervise import dashboard

LOAD_COLUMNS = [
    "center",
    "agency",
    "service",
    "waiting",
    "eta_minutes",
    "open_counters",
    "served_today",
    "service_level_today",
]
DAILY_COLUMNS = [
    "day",
    "center",
    "agency",
    "service",
    "served",
    "median_wait_minutes",
    "service_level",
    "satisfaction",
    "ratings",
]
RANKING_COLUMNS = ["rank", "agency", "name_az", "name_ru", "name_en", "served"]
RANKING_COLUMNS += ["satisfaction", "ratings"]


def _centers(session: Session, slug: str | None) -> list[Center]:
    query = select(Center).order_by(Center.id)
    if slug is not None:
        query = query.where(Center.slug == slug)
    centers = list(session.scalars(query))
    if slug is not None and not centers:
        raise NotFound(f"no center {slug!r}", code="center_not_found")
    return centers


def load(session: Session, now: datetime) -> list[list[s.Cell]]:
    rows: list[list[s.Cell]] = []
    for center in _centers(session, None):
        board = dashboard(session, center, now)
        for x in board.services:
            rows.append(
                [
                    center.slug,
                    x.agency,
                    x.service,
                    x.waiting,
                    x.eta_minutes,
                    x.open_counters,
                    x.served_today,
                    x.service_level,
                ]
            )
    return rows


def daily(
    session: Session, first: date, last: date, center_slug: str | None = None
) -> list[list[s.Cell]]:
    check_range(first, last)
    rows: list[list[s.Cell]] = []
    for center in _centers(session, center_slug):
        names = Names(session, center)
        grouped: dict[tuple[date, str, str], list[Figures]] = defaultdict(list)
        for key, fig in figures(session, center, first, last).items():
            service = names.services.get(key.service_id or 0)
            grouped[(key.day, key.agency_code, service.code if service else "")].append(fig)
        for (day, agency, service_code), figs in sorted(grouped.items()):
            f = total(figs)
            if not f.tickets:
                continue
            rows.append(
                [
                    day.isoformat(),
                    center.slug,
                    agency,
                    service_code,
                    f.done,
                    percentile(f.wait, 0.5),
                    f.service_level,
                    f.average_rating,
                    sum(f.ratings.values()),
                ]
            )
    return rows


def ranking(session: Session, month: str, center_slug: str | None = None) -> list[list[s.Cell]]:
    """Agencies by citizens served in `month` (YYYY-MM), most first, with satisfaction;
    agencies are one national catalogue, so they are grouped by code across centers."""
    first, last = month_range(month)
    per: dict[str, list[Figures]] = defaultdict(list)
    for center in _centers(session, center_slug):
        for key, fig in figures(session, center, first, last).items():
            per[key.agency_code].append(fig)
    names: dict[str, dict[str, str]] = {}
    for a in session.scalars(select(Agency)):
        names.setdefault(a.code, a.name)
    ranked = sorted(((code, total(f)) for code, f in per.items()), key=lambda x: -x[1].done)
    rows: list[list[s.Cell]] = []
    for rank, (code, f) in enumerate(ranked, start=1):
        name = names.get(code, {})
        rows.append(
            [
                rank,
                code,
                name.get("az", ""),
                name.get("ru", ""),
                name.get("en", ""),
                f.done,
                f.average_rating,
                sum(f.ratings.values()),
            ]
        )
    return rows
