"""Staff endpoints of the booking area: weekly hours and closed days of a center (admin or
that center's supervisor), and the notification outbox with its failures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import g, jsonify, request

from ...clock import now_utc
from ...domain.errors import Forbidden, ValidationError
from ...domain.statuses import Role
from ...extensions import db
from ...models import Center
from ...services import schedule
from ...services.channels import mask_recipient
from ...services.common import get_center
from ...services.notifications import list_notifications
from ..auth import staff_required
from ..uow import unit_of_work
from ..validation import field, json_body, only_fields
from . import bp

STAFF = (Role.ADMIN, Role.SUPERVISOR)


def hours_json(center: Center) -> dict[str, Any]:
    return {
        "center": center.slug,
        "timezone": center.timezone,
        "hours": [
            {
                "weekday": p.weekday,
                "opens": p.opens.strftime("%H:%M"),
                "closes": p.closes.strftime("%H:%M"),
            }
            for p in center.hours
        ],
        "closed_days": [{"day": c.day.isoformat(), "reason": c.reason} for c in center.closed_days],
    }


@bp.get("/centers/<slug>/hours")
def get_hours(slug: str) -> Any:
    """Public: opening hours and closed days are shown to citizens too."""
    return jsonify(hours_json(get_center(db.session, slug)))


@bp.put("/centers/<slug>/hours")
@staff_required(*STAFF)
def put_hours(slug: str) -> Any:
    data = json_body()
    only_fields(data, {"hours"})
    items = field(data, "hours", list, required=True)
    if not all(isinstance(x, dict) for x in items):
        raise ValidationError("hours must be a list of objects", code="invalid_hours")
    periods = schedule.parse_periods(items)
    center = schedule.set_hours(unit_of_work(), slug, periods, g.user, now=now_utc())
    return jsonify(hours_json(center))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("day must be a date YYYY-MM-DD", code="invalid_date") from None


@bp.post("/centers/<slug>/closed-days")
@staff_required(*STAFF)
def add_closed_day(slug: str) -> Any:
    data = json_body()
    only_fields(data, {"day", "reason"})
    day = _day(field(data, "day", str, required=True, max_len=10))
    reason = field(data, "reason", (dict, str)) or {}
    if isinstance(reason, str):
        reason = {"az": reason, "ru": reason, "en": reason}
    if not all(isinstance(v, str) and len(v) <= 200 for v in reason.values()):
        raise ValidationError("reason must be text (or az/ru/en texts)", code="invalid_reason")
    closed = schedule.add_closed_day(unit_of_work(), slug, day, reason, g.user, now=now_utc())
    return jsonify({"day": closed.day.isoformat(), "reason": closed.reason}), 201


@bp.delete("/centers/<slug>/closed-days/<day>")
@staff_required(*STAFF)
def remove_closed_day(slug: str, day: str) -> Any:
    schedule.remove_closed_day(unit_of_work(), slug, _day(day), g.user, now=now_utc())
    return "", 204


@bp.get("/notifications")
@staff_required(*STAFF)
def notifications() -> Any:
    """The outbox, newest first; ?status=failed shows what could not be delivered."""
    status = request.args.get("status") or None
    if status not in (None, "pending", "sending", "sent", "failed", "cancelled"):
        raise ValidationError("unknown status", code="invalid_status")
    center_id = None
    if g.user.role != Role.ADMIN:
        if g.user.center_id is None:
            raise Forbidden("you have no center", code="wrong_center")
        center_id = g.user.center_id
    rows = list_notifications(db.session, status=status, center_id=center_id)
    return jsonify(
        items=[
            {
                "id": n.id,
                "kind": n.kind,
                "channel": n.channel,
                "recipient": mask_recipient(n.recipient) if n.recipient else "",
                "status": n.status,
                "attempts": n.attempts,
                "last_error": n.last_error,
                "created_at": _iso(n.created_at),
                "next_attempt_at": _iso(n.next_attempt_at),
                "sent_at": _iso(n.sent_at),
            }
            for n in rows
        ]
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
