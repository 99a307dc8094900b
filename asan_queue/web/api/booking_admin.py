"""Staff endpoints of the booking area: weekly hours and closed days of a center (admin or
that center's supervisor), and the notification outbox with its failures."""

from __future__ import annotations

from datetime import date

from flask import g

from ...clock import now_utc
from ...domain.errors import ValidationError
from ...domain.statuses import Role
from ...extensions import db
from ...models import Center
from ...schemas import booking as b
from ...schemas.paths import CenterPath, ClosedDayPath
from ...services import schedule
from ...services.channels import mask_recipient
from ...services.common import get_center
from ...services.notifications import list_notifications
from ...services.permissions import own_center_id
from ..contract import Reply, operation
from ..uow import unit_of_work
from . import bp

STAFF = (Role.ADMIN, Role.SUPERVISOR)


def hours_json(center: Center) -> b.Hours:
    return b.Hours(
        center=center.slug,
        timezone=center.timezone,
        hours=[
            b.WeeklyPeriod(
                weekday=p.weekday,
                opens=p.opens.strftime("%H:%M"),
                closes=p.closes.strftime("%H:%M"),
            )
            for p in center.hours
        ],
        closed_days=[b.ClosedDayOut(day=c.day, reason=c.reason) for c in center.closed_days],
    )


@operation(
    bp,
    "GET",
    "/centers/<slug>/hours",
    summary="Weekly opening hours and closed days (public: citizens see them too)",
    tag="schedule",
    ok=b.Hours,
    path=CenterPath,
)
def get_hours(path: CenterPath) -> b.Hours:
    return hours_json(get_center(db.session, path.slug))


@operation(
    bp,
    "PUT",
    "/centers/<slug>/hours",
    summary="Replace the weekly hours (a lunch break is the gap between two periods)",
    tag="schedule",
    ok=b.Hours,
    path=CenterPath,
    body=b.SetHours,
    staff=STAFF,
)
def put_hours(path: CenterPath, body: b.SetHours) -> b.Hours:
    periods = schedule.parse_periods([p.model_dump() for p in body.hours])
    center = schedule.set_hours(unit_of_work(), path.slug, periods, g.user, now=now_utc())
    return hours_json(center)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("day must be a date YYYY-MM-DD", code="invalid_date") from None


@operation(
    bp,
    "POST",
    "/centers/<slug>/closed-days",
    summary="Close the center on a day (holiday, one-off closure)",
    tag="schedule",
    ok=b.ClosedDayOut,
    status=201,
    path=CenterPath,
    body=b.AddClosedDay,
    staff=STAFF,
    errors=(409,),
)
def add_closed_day(path: CenterPath, body: b.AddClosedDay) -> Reply:
    day = _day(body.day)
    reason = body.reason
    if isinstance(reason, str):
        reason = {"az": reason, "ru": reason, "en": reason}
    if not all(isinstance(v, str) and len(v) <= 200 for v in reason.values()):
        raise ValidationError("reason must be text (or az/ru/en texts)", code="invalid_reason")
    closed = schedule.add_closed_day(unit_of_work(), path.slug, day, reason, g.user, now=now_utc())
    return Reply(b.ClosedDayOut(day=closed.day, reason=closed.reason), 201)


@operation(
    bp,
    "DELETE",
    "/centers/<slug>/closed-days/<day>",
    summary="Open the center again on a closed day",
    tag="schedule",
    ok=None,
    status=204,
    path=ClosedDayPath,
    staff=STAFF,
    errors=(422,),
)
def remove_closed_day(path: ClosedDayPath) -> None:
    schedule.remove_closed_day(unit_of_work(), path.slug, _day(path.day), g.user, now=now_utc())


@operation(
    bp,
    "GET",
    "/notifications",
    summary="The notification outbox, newest first (?status=failed: what did not go out)",
    tag="notifications",
    ok=b.Notifications,
    query=b.NotificationsQuery,
    staff=STAFF,
)
def notifications(query: b.NotificationsQuery) -> b.Notifications:
    center_id = own_center_id(g.user)
    rows = list_notifications(db.session, status=query.status, center_id=center_id)
    return b.Notifications(
        items=[
            b.Notification(
                id=n.id,
                kind=n.kind,
                channel=n.channel,
                recipient=mask_recipient(n.recipient) if n.recipient else "",
                status=n.status,  # type: ignore[arg-type]
                attempts=n.attempts,
                last_error=n.last_error,
                created_at=n.created_at,
                next_attempt_at=n.next_attempt_at,
                sent_at=n.sent_at,
            )
            for n in rows
        ]
    )
