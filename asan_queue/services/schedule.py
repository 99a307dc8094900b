"""Admin editing of a center's weekly opening hours (breaks are gaps) and closed days, for the
hours API. Each change goes through provisioning.save_center, the back office's own path: it
is audited (before and after) and reaches kiosks and displays live.

Existing bookings are kept when hours change: a citizen who holds a slot is not cancelled by
an edit; new slots follow the new hours at once."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.slots import Period, validate_periods
from ..models import Center, ClosedDay, User
from ..schemas.catalog import WEEKDAYS, ClosedDayIn, PeriodIn
from . import provisioning
from .common import get_center, require_aware
from .permissions import may_supervise
from .uow import UnitOfWork


def parse_periods(items: list[dict[str, object]]) -> list[Period]:
    """[{"weekday": 0, "opens": "09:00", "closes": "13:00"}, ...] -> Periods.
    Raises ValidationError."""
    out = []
    for i, item in enumerate(items):
        try:
            weekday = item["weekday"]
            if not isinstance(weekday, int) or isinstance(weekday, bool):
                raise TypeError("weekday")
            opens = time.fromisoformat(str(item["opens"]))
            closes = time.fromisoformat(str(item["closes"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValidationError(
                f"period {i}: needs weekday 0-6 and opens/closes as HH:MM", code="invalid_hours"
            ) from err
        out.append(Period(weekday, opens, closes))
    try:
        return validate_periods(out)
    except ValueError as err:
        raise ValidationError(str(err), code="invalid_hours") from err


def set_hours(
    uow: UnitOfWork, center_slug: str, periods: list[Period], user: User, *, now: datetime
) -> Center:
    """Replace the center's weekly hours. Raises NotFound, Forbidden, ValidationError."""
    require_aware(now)
    try:
        ordered = validate_periods(periods)
    except ValueError as err:
        raise ValidationError(str(err), code="invalid_hours") from err
    with uow:
        session = uow.session
        center = get_center(session, center_slug)
        may_supervise(user, center.id)
        hours: dict[str, list[PeriodIn]] = {}
        for p in ordered:
            hours.setdefault(WEEKDAYS[p.weekday], []).append(
                PeriodIn(opens=p.opens.strftime("%H:%M"), closes=p.closes.strftime("%H:%M"))
            )
        settings = provisioning.center_settings(center).model_copy(update={"hours": hours})
        provisioning.save_center(uow, settings, user, now=now, slug=center.slug)
    return center


def add_closed_day(
    uow: UnitOfWork,
    center_slug: str,
    day: date,
    reason: dict[str, str],
    user: User,
    *,
    now: datetime,
) -> ClosedDay:
    """Close the center on `day` (holiday, one-off closure). Raises NotFound, Forbidden,
    Conflict (already closed)."""
    require_aware(now)
    with uow:
        session = uow.session
        center = get_center(session, center_slug)
        may_supervise(user, center.id)
        exists = session.scalar(
            select(ClosedDay).where(ClosedDay.center_id == center.id, ClosedDay.day == day)
        )
        if exists is not None:
            raise Conflict(f"{day.isoformat()} is already a closed day", code="already_closed")
        settings = provisioning.center_settings(center)
        names = {k: v for k, v in reason.items() if k in ("az", "ru", "en") and v}
        days = [*settings.closed_days, ClosedDayIn(day=day, reason=names)]
        provisioning.save_center(
            uow, settings.model_copy(update={"closed_days": days}), user, now=now, slug=center.slug
        )
        closed = session.scalar(
            select(ClosedDay).where(ClosedDay.center_id == center.id, ClosedDay.day == day)
        )
        assert closed is not None  # noqa: S101 - just written
    return closed


def remove_closed_day(
    uow: UnitOfWork, center_slug: str, day: date, user: User, *, now: datetime
) -> None:
    """Open the center again on `day`. Raises NotFound, Forbidden."""
    require_aware(now)
    with uow:
        session = uow.session
        center = get_center(session, center_slug)
        may_supervise(user, center.id)
        closed = session.scalar(
            select(ClosedDay).where(ClosedDay.center_id == center.id, ClosedDay.day == day)
        )
        if closed is None:
            raise NotFound(f"{day.isoformat()} is not a closed day", code="closed_day_not_found")
        settings = provisioning.center_settings(center)
        days = [d for d in settings.closed_days if d.day != day]
        provisioning.save_center(
            uow, settings.model_copy(update={"closed_days": days}), user, now=now, slug=center.slug
        )
