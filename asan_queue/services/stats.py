"""Reports: a center's figures over a range of local days as tables (GET
/api/v1/centers/<slug>/stats and the /reports page), read from the daily rollups
(services/rollup.py) plus today's live figures; the audit and the comments are bounded reads
of their own rows. Every table has columns and rows of primitives, so CSV and JSON agree."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationError
from ..domain.history import Figures, buckets, hist_max, percentile, total
from ..models import Agency, CallAudit, Center, Counter, Feedback, Service, Ticket, User
from ..schemas import stats as s
from .rollup import Key, _utc_range, figures
from .serialize import local

COMMENTS_SHOWN = 200
# Figures exist for these years (no calendar arithmetic overflows at the ends of time).
FIRST_YEAR, LAST_YEAR = 1900, 2999
AUDIT_SHOWN = 1000


def check_range(first: date, last: date) -> None:
    """Raises ValidationError (invalid_range) for a reversed or over-long range."""
    if last < first:
        raise ValidationError("'to' is before 'from'", code="invalid_range")
    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        raise ValidationError(f"dates run from {FIRST_YEAR} to {LAST_YEAR}", code="invalid_range")
    if (last - first).days >= s.MAX_RANGE_DAYS:
        raise ValidationError(
            f"a range covers at most {s.MAX_RANGE_DAYS} days", code="invalid_range"
        )


class Names:
    """Display names of a report's groups (services, agencies, counters, operators)."""

    def __init__(self, session: Session, center: Center, lang: str = "az") -> None:
        self.lang = lang
        self.center = center
        self.services = {
            x.id: x for x in session.scalars(select(Service).where(Service.center_id == center.id))
        }
        self.agencies: dict[str, dict[str, str]] = {}
        for a in session.scalars(select(Agency)):
            self.agencies.setdefault(a.code, a.name)
        self.counters = {
            x.id: x.number
            for x in session.scalars(select(Counter).where(Counter.center_id == center.id))
        }
        self.session = session
        self._users: dict[int, str] = {}

    def text(self, names: Mapping[str, str] | None) -> str:
        names = names or {}
        return names.get(self.lang) or names.get("az") or next(iter(names.values()), "")

    def operator(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self._users:
            user = self.session.get(User, user_id)
            self._users[user_id] = (user.full_name or user.username) if user else str(user_id)
        return self._users[user_id]

    def group(self, by: str, key: Key) -> tuple[str, str]:
        """(group code, display name) of a rollup key."""
        if by == "center":
            return self.center.slug, self.text(self.center.name)
        if by == "agency":
            return key.agency_code, self.text(self.agencies.get(key.agency_code))
        if by == "service":
            service = self.services.get(key.service_id or 0)
            return (service.code, self.text(service.name)) if service else ("", "")
        if by == "counter":
            number = self.counters.get(key.counter_id or 0)
            return ("", "") if number is None else (str(number), str(number))
        return (str(key.operator_id or ""), self.operator(key.operator_id))


def _groups(by: str, found: Mapping[Key, Figures], names: Names) -> list[tuple[str, str, Figures]]:
    grouped: dict[tuple[str, str], Figures] = defaultdict(Figures)
    for key, fig in found.items():
        grouped[names.group(by, key)].merge(fig)
    return [(code, name, fig) for (code, name), fig in sorted(grouped.items())]


def _table(name: str, columns: list[str], rows: list[list[s.Cell]]) -> s.Table:
    return s.Table(name=name, columns=columns, rows=rows)


Row = Callable[[Figures], Sequence[s.Cell]]

GROUP_TABLES: dict[str, tuple[list[str], Row]] = {
    "waits": (
        ["tickets", "called", "wait_p50", "wait_p90", "wait_max"]
        + ["service_p50", "service_p90", "service_max"],
        lambda f: [
            f.tickets,
            f.called,
            percentile(f.wait, 0.5),
            percentile(f.wait, 0.9),
            hist_max(f.wait),
            percentile(f.service, 0.5),
            percentile(f.service, 0.9),
            hist_max(f.service),
        ],
    ),
    "service_level": (
        ["tickets", "within_target", "within_10", "within_20", "within_30"],
        lambda f: [
            f.tickets,
            f.share(f.within_target),
            f.share(f.within_10),
            f.share(f.within_20),
            f.share(f.within_30),
        ],
    ),
    "outcomes": (
        ["tickets", "done", "no_show_rate", "cancel_rate", "left_before_call_rate"],
        lambda f: [
            f.tickets,
            f.done,
            f.share(f.no_show),
            f.share(f.cancelled),
            f.share(f.left_before_call),
        ],
    ),
    "bookings": (
        ["appointments", "lead_p50_hours", "lead_p90_hours", "no_show_rate", "booked_tickets"],
        lambda f: [
            f.appointments,
            percentile(f.lead_hours, 0.5),
            percentile(f.lead_hours, 0.9),
            f.share(f.appointment_no_show, f.appointments),
            f.booked,
        ],
    ),
    "ratings": (
        ["ratings", "average", "r1", "r2", "r3", "r4", "r5"],
        lambda f: (
            [sum(f.ratings.values()), f.average_rating] + [f.ratings.get(n, 0) for n in range(1, 6)]
        ),
    ),
    "eta": (
        ["quoted", "within_2", "within_5", "mean_error", "mean_abs_error"],
        lambda f: [
            f.eta_quoted,
            f.share(f.eta_within_2, f.eta_quoted),
            f.share(f.eta_within_5, f.eta_quoted),
            f.eta_mean_error,
            f.eta_mean_abs_error,
        ],
    ),
}


def _per_day(found: Mapping[Key, Figures]) -> dict[date, Figures]:
    per_day: dict[date, Figures] = defaultdict(Figures)
    for key, fig in found.items():
        per_day[key.day].merge(fig)
    return dict(per_day)


def _arrivals(per_day: Mapping[date, Figures], bucket: int) -> s.Table:
    all_days = total(per_day.values())
    arrivals, calls = buckets(all_days.arrivals, bucket), buckets(all_days.calls, bucket)
    rows: list[list[s.Cell]] = [
        [f"{m // 60:02d}:{m % 60:02d}", arrivals.get(m, 0), calls.get(m, 0)]
        for m in sorted(set(arrivals) | set(calls))
    ]
    return _table("arrivals", ["time", "arrivals", "calls"], rows)


def _days(per_day: Mapping[date, Figures]) -> s.Table:
    rows: list[list[s.Cell]] = []
    for day in sorted(per_day):
        f = per_day[day]
        rows.append([day.isoformat(), f.tickets, f.done, f.service_level, percentile(f.wait, 0.5)])
    return _table("days", ["day", "tickets", "done", "service_level", "wait_p50"], rows)


def _operators(found: Mapping[Key, Figures], names: Names) -> s.Table:
    rows: list[list[s.Cell]] = []
    for code, name, f in _groups("operator", found, names):
        if not code:
            continue
        rows.append(
            [code, name, f.done, f.average_service_minutes, f.no_show, f.transferred, f.called]
        )
    columns = ["operator", "name", "visits", "avg_service_minutes", "no_show", "transferred"]
    return _table("operators", [*columns, "calls"], rows)


def _comments(session: Session, center: Center, first: date, last: date) -> s.Table:
    rows = session.execute(
        select(Ticket.day, Service.code, Feedback.rating, Feedback.comment)
        .join(Ticket, Ticket.id == Feedback.ticket_id)
        .join(Service, Service.id == Ticket.service_id)
        .where(
            Ticket.center_id == center.id,
            Ticket.day >= first,
            Ticket.day <= last,
            Feedback.comment != "",
        )
        .order_by(Feedback.created_at.desc())
        .limit(COMMENTS_SHOWN)
    ).all()
    return _table(
        "comments",
        ["day", "service", "rating", "comment"],
        [[r.day.isoformat(), r.code, r.rating, r.comment] for r in rows],
    )


def _audit(session: Session, center: Center, first: date, last: date) -> s.Table:
    start, end = _utc_range(center, first, last)
    rows = session.execute(
        select(CallAudit, Ticket.number, Counter.number.label("counter_number"))
        .join(Ticket, Ticket.id == CallAudit.ticket_id)
        .outerjoin(Counter, Counter.id == CallAudit.counter_id)
        .where(CallAudit.center_id == center.id, CallAudit.at >= start, CallAudit.at < end)
        .order_by(CallAudit.at)
        .limit(AUDIT_SHOWN)
    ).all()

    def when(value: datetime | None) -> str | None:
        moment = local(value, center)
        return moment.isoformat() if moment else None

    columns = ["at", "ticket", "counter", "tier", "ratio", "slot", "waited_minutes"]
    return _table(
        "audit",
        [*columns, "passed_over", "longest_waited_minutes", "reason"],
        [
            [
                when(a.at),
                number,
                counter_number,
                a.tier,
                a.ratio,
                when(a.slot_start),
                a.waited_minutes,
                a.passed_over,
                a.longest_waited_minutes,
                a.reason,
            ]
            for a, number, counter_number in rows
        ],
    )


def report(
    session: Session,
    center: Center,
    first: date,
    last: date,
    *,
    bucket: int = 30,
    by: s.GroupBy = "service",
    lang: str = "az",
) -> s.Report:
    """The center's report over local days first..last. Raises ValidationError."""
    check_range(first, last)
    found = figures(session, center, first, last)
    names = Names(session, center, lang)
    groups = _groups(by, found, names)
    per_day = _per_day(found)
    tables = [_arrivals(per_day, bucket), _days(per_day)]
    for name, (columns, row) in GROUP_TABLES.items():
        rows = [[code, label, *row(f)] for code, label, f in groups]
        tables.append(_table(name, [by, "name", *columns], rows))
    tables.append(_operators(found, names))
    tables.append(_comments(session, center, first, last))
    tables.append(_audit(session, center, first, last))
    return s.Report.model_validate(
        {"center": center.slug, "from": first, "to": last, "bucket": bucket, "by": by}
        | {"tables": tables}
    )


def as_csv(columns: list[str], rows: list[list[s.Cell]]) -> str:
    """A table as CSV text (a header row, then the rows; empty cells for none)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def month_range(month: str) -> tuple[date, date]:
    year, number = (int(x) for x in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)
