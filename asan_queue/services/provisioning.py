"""Provisioning: creating and changing centers, national agencies, services, counters and
staff accounts. The one code path of the back office, the admin API and the `flask users` /
`flask catalog` commands.

Every operation validates (coded errors naming the field at fault), checks permissions
(services/permissions.py), writes an audit row with the entity's fields before and after in
the same transaction, and records CatalogChanged for the center so kiosks and displays
follow the change live. Nothing is deleted that has a history: a service is deactivated.

`actor` is the staff member acting, or None for a command run on the server itself (whoever
has a shell there is already all-powerful; the audit log says "cli")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.events import CatalogChanged
from ..domain.slots import Period, validate_periods
from ..domain.statuses import CounterState, Role
from ..models import (
    Agency,
    AuditEntry,
    Center,
    ClosedDay,
    Counter,
    OpeningPeriod,
    Service,
    User,
)
from ..schemas.catalog import (
    WEEKDAYS,
    AgencyIn,
    Catalog,
    CenterIn,
    CenterSettings,
    ClosedDayIn,
    CounterIn,
    PeriodIn,
    ServiceIn,
    UserIn,
    UserUpdate,
)
from . import permissions
from .auth import check_password_strength, end_sessions, hash_password
from .common import require_aware
from .uow import UnitOfWork

CLI = "cli"


# ---- snapshots (what the audit log stores, what export prints) ----------------------------


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def center_settings(center: Center) -> CenterSettings:
    hours: dict[str, list[PeriodIn]] = {}
    for p in sorted(center.hours, key=lambda p: (p.weekday, p.opens)):
        hours.setdefault(WEEKDAYS[p.weekday], []).append(
            PeriodIn(opens=_hhmm(p.opens) or "", closes=_hhmm(p.closes) or "")
        )
    return CenterSettings(
        slug=center.slug,
        name=dict(center.name),
        address=dict(center.address or {}),
        timezone=center.timezone,
        call_policy=center.call_policy,  # type: ignore[arg-type]
        max_calls=center.max_calls,
        checkin_before_minutes=center.checkin_before_minutes,
        checkin_after_minutes=center.checkin_after_minutes,
        last_ticket_minutes=center.last_ticket_minutes,
        public_url=center.public_url,
        active=center.active,
        hours=hours,  # type: ignore[arg-type]
        closed_days=[
            ClosedDayIn(day=d.day, reason=dict(d.reason or {}))
            for d in sorted(center.closed_days, key=lambda d: d.day)
        ],
    )


def service_in(service: Service) -> ServiceIn:
    return ServiceIn(
        code=service.code,
        agency=service.agency.code,
        prefix=service.prefix,
        name=dict(service.name),
        bring=dict(service.bring or {}),
        planned_minutes=service.planned_minutes,
        target_wait_minutes=service.target_wait_minutes,
        walk_in=service.walk_in,
        bookable=service.bookable,
        slot_minutes=service.slot_minutes,
        seats_per_slot=service.seats_per_slot,
        last_ticket_time=_hhmm(service.last_ticket_time),
        outcome_codes=list(service.outcome_codes or []),
        active=service.active,
    )


def counter_in(counter: Counter) -> CounterIn:
    return CounterIn(
        number=counter.number, label=counter.label, services=[s.code for s in counter.services]
    )


def user_fields(user: User, session: Session) -> dict[str, Any]:
    """A user as the audit log keeps it: never the password (nor its hash)."""
    center = session.get(Center, user.center_id) if user.center_id is not None else None
    return {
        "username": user.username,
        "role": str(user.role),
        "center": center.slug if center else None,
        "full_name": user.full_name,
        "active": user.active,
    }


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")  # type: ignore[no-any-return]


# ---- the audit log -----------------------------------------------------------------------


def _audit(
    session: Session,
    actor: User | None,
    *,
    entity: str,
    entity_id: int,
    center_id: int | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    now: datetime,
) -> bool:
    """Write one audit row; nothing when an update changed nothing. Returns whether written."""
    if action == "update" and before == after:
        return False
    session.add(
        AuditEntry(
            at=now,
            user_id=actor.id if actor is not None else None,
            actor=actor.username if actor is not None else CLI,
            center_id=center_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=before,
            after=after,
        )
    )
    return True


def audit_log(session: Session, center_id: int | None, *, limit: int = 200) -> list[AuditEntry]:
    """The newest changes of a center (None: changes of no center, e.g. agencies, admins)."""
    where = (
        AuditEntry.center_id.is_(None) if center_id is None else AuditEntry.center_id == center_id
    )
    return list(
        session.scalars(
            select(AuditEntry).where(where).order_by(AuditEntry.id.desc()).limit(limit)
        ).all()
    )


# ---- checks -------------------------------------------------------------------------------


def _admin(actor: User | None) -> None:
    if actor is not None:
        permissions.may_administer(actor)


def _supervise(actor: User | None, center_id: int) -> None:
    if actor is not None:
        permissions.may_supervise(actor, center_id)


def _center(session: Session, slug: str) -> Center:
    center = session.scalar(select(Center).where(Center.slug == slug))
    if center is None:
        raise NotFound(f"no center {slug!r}", code="center_not_found", details={"field": "center"})
    return center


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"unknown timezone {name!r}", code="unknown_timezone", details={"field": "timezone"}
        ) from None
    if name not in available_timezones():
        raise ValidationError(
            f"unknown timezone {name!r}", code="unknown_timezone", details={"field": "timezone"}
        )
    return name


def _periods(hours: dict[str, list[PeriodIn]]) -> list[Period]:
    periods = [
        Period(WEEKDAYS.index(day), time.fromisoformat(p.opens), time.fromisoformat(p.closes))
        for day, items in hours.items()
        for p in items
    ]
    try:
        return validate_periods(periods)
    except ValueError as err:
        bad = next((p for p in periods if p.opens >= p.closes), None)
        if bad is not None:
            raise ValidationError(
                f"{WEEKDAYS[bad.weekday]}: a period must open before it closes "
                f"({_hhmm(bad.opens)}-{_hhmm(bad.closes)})",
                code="end_before_start",
                details={"field": "hours", "day": WEEKDAYS[bad.weekday]},
            ) from None
        raise ValidationError(str(err), code="invalid_hours", details={"field": "hours"}) from err


def _closed_days(items: Iterable[ClosedDayIn]) -> list[ClosedDayIn]:
    seen: set[Any] = set()
    for item in items:
        if item.day in seen:
            raise ValidationError(
                f"{item.day.isoformat()} is listed twice",
                code="already_closed",
                details={"field": "closed_days"},
            )
        seen.add(item.day)
    return sorted(items, key=lambda d: d.day)


# ---- agencies -----------------------------------------------------------------------------


def save_agency(uow: UnitOfWork, data: AgencyIn, actor: User | None, *, now: datetime) -> Agency:
    """Create the national agency `data.code`, or rename it: admins only (listing it as it is
    changes nothing and needs no right). Raises Forbidden, ValidationError (no az name)."""
    require_aware(now)
    if not data.name.get("az"):
        raise ValidationError(
            "an az name is required", code="name_required", details={"field": "name"}
        )
    with uow:
        session = uow.session
        agency = session.scalar(select(Agency).where(Agency.code == data.code))
        if agency is not None and agency.name == dict(data.name):
            return agency  # as it is: a supervisor's catalogue file may list it
        _admin(actor)
        before = None
        if agency is None:
            agency = Agency(code=data.code, name=dict(data.name))
            session.add(agency)
        else:
            before = _dump(AgencyIn(code=agency.code, name=agency.name))
            agency.name = dict(data.name)
        session.flush()
        after = _dump(data)
        changed = _audit(
            session,
            actor,
            entity="agency",
            entity_id=agency.id,
            center_id=None,
            action="create" if before is None else "update",
            before=before,
            after=after,
            now=now,
        )
        if changed and before is not None:
            slugs = session.scalars(
                select(Center.slug).join(Service).where(Service.agency_id == agency.id).distinct()
            ).all()
            uow.record(*(CatalogChanged(center=s, at=now) for s in slugs))
    return agency


# ---- centers ------------------------------------------------------------------------------


def save_center(
    uow: UnitOfWork,
    data: CenterSettings,
    actor: User | None,
    *,
    now: datetime,
    slug: str | None = None,
) -> Center:
    """Create a center (`slug` None; admins only) or change center `slug` (its supervisor or
    an admin): names, timezone, hours with breaks, closed days, call policy, max calls,
    check-in window, public URL. Raises NotFound, Forbidden, ValidationError, Conflict."""
    require_aware(now)
    _timezone(data.timezone)
    if not data.name.get("az"):
        raise ValidationError(
            "an az name is required", code="name_required", details={"field": "name"}
        )
    periods = _periods(data.hours)  # type: ignore[arg-type]
    closed = _closed_days(data.closed_days)
    with uow:
        session = uow.session
        if slug is None:
            _admin(actor)
            if session.scalar(select(Center.id).where(Center.slug == data.slug)) is not None:
                raise Conflict(
                    f"a center {data.slug!r} exists",
                    code="duplicate_slug",
                    details={"field": "slug"},
                )
            center = Center(slug=data.slug, name={}, address={})
            session.add(center)
            before = None
        else:
            center = _center(session, slug)
            _supervise(actor, center.id)
            if data.slug != center.slug:
                raise ValidationError(
                    "a center's slug is its address and does not change",
                    code="slug_fixed",
                    details={"field": "slug"},
                )
            before = _dump(center_settings(center))
        if actor is not None and not permissions.is_admin(actor) and data.active != center.active:
            raise ValidationError(
                "only an admin may open or close a center for good",
                code="wrong_role",
                details={"field": "active"},
            )
        center.name = dict(data.name)
        center.address = dict(data.address)
        center.timezone = data.timezone
        center.call_policy = data.call_policy
        center.max_calls = data.max_calls
        center.checkin_before_minutes = data.checkin_before_minutes
        center.checkin_after_minutes = data.checkin_after_minutes
        center.last_ticket_minutes = data.last_ticket_minutes
        center.public_url = data.public_url
        center.active = data.active
        wanted_hours = [(p.weekday, p.opens, p.closes) for p in periods]
        if [(p.weekday, p.opens, p.closes) for p in center.hours] != wanted_hours:
            center.hours.clear()
            session.flush()
            for p in periods:
                center.hours.append(
                    OpeningPeriod(weekday=p.weekday, opens=p.opens, closes=p.closes)
                )
        have = {d.day: d for d in center.closed_days}
        for d in list(center.closed_days):
            if d.day not in {c.day for c in closed}:
                center.closed_days.remove(d)
        for c in closed:
            row = have.get(c.day)
            if row is None:
                center.closed_days.append(ClosedDay(day=c.day, reason=dict(c.reason)))
            elif row.reason != dict(c.reason):
                row.reason = dict(c.reason)
        session.flush()
        after = _dump(center_settings(center))
        if _audit(
            session,
            actor,
            entity="center",
            entity_id=center.id,
            center_id=center.id,
            action="create" if before is None else "update",
            before=before,
            after=after,
            now=now,
        ):
            uow.record(CatalogChanged(center=center.slug, at=now))
    return center


# ---- services -----------------------------------------------------------------------------


def save_service(
    uow: UnitOfWork,
    center_slug: str,
    data: ServiceIn,
    actor: User | None,
    *,
    now: datetime,
    code: str | None = None,
) -> Service:
    """Create a service of the center (`code` None) or change service `code`. Its supervisor
    or an admin. Raises NotFound, Forbidden, ValidationError (duplicate_prefix,
    duplicate_code, agency_not_found, ...)."""
    require_aware(now)
    if not data.name.get("az"):
        raise ValidationError(
            "an az name is required", code="name_required", details={"field": "name"}
        )
    with uow:
        session = uow.session
        center = _center(session, center_slug)
        _supervise(actor, center.id)
        agency = session.scalar(select(Agency).where(Agency.code == data.agency))
        if agency is None:
            raise ValidationError(
                f"no agency {data.agency!r} in the national catalogue",
                code="agency_not_found",
                details={"field": "agency"},
            )
        others = session.scalars(select(Service).where(Service.center_id == center.id)).all()
        service = None
        if code is not None:
            service = next((s for s in others if s.code == code), None)
            if service is None:
                raise NotFound(f"no service {code!r} at {center.slug}", code="service_not_found")
        for other in others:
            if other is service:
                continue
            if other.prefix == data.prefix:
                raise ValidationError(
                    f"prefix {data.prefix} is already used by {other.code} at this center",
                    code="duplicate_prefix",
                    details={"field": "prefix", "prefix": data.prefix, "service": other.code},
                )
            if other.code == data.code:
                raise ValidationError(
                    f"this center already has a service {data.code!r}",
                    code="duplicate_code",
                    details={"field": "code"},
                )
        before = None
        if service is None:
            service = Service(center=center, code=data.code)
            session.add(service)
        else:
            before = _dump(service_in(service))
        service.code = data.code
        service.agency = agency
        service.prefix = data.prefix
        service.name = dict(data.name)
        service.bring = dict(data.bring)
        service.planned_minutes = data.planned_minutes
        service.target_wait_minutes = data.target_wait_minutes
        service.walk_in = data.walk_in
        service.bookable = data.bookable
        service.slot_minutes = data.slot_minutes
        service.seats_per_slot = data.seats_per_slot
        service.last_ticket_time = (
            time.fromisoformat(data.last_ticket_time) if data.last_ticket_time else None
        )
        service.outcome_codes = list(data.outcome_codes)
        service.active = data.active
        session.flush()
        if _audit(
            session,
            actor,
            entity="service",
            entity_id=service.id,
            center_id=center.id,
            action="create" if before is None else "update",
            before=before,
            after=_dump(service_in(service)),
            now=now,
        ):
            uow.record(CatalogChanged(center=center.slug, at=now))
    return service


def deactivate_service(
    uow: UnitOfWork, center_slug: str, code: str, actor: User | None, *, now: datetime
) -> Service:
    """Stop offering a service. It is never deleted: its tickets and figures keep it."""
    require_aware(now)
    with uow:
        session = uow.session
        center = _center(session, center_slug)
        _supervise(actor, center.id)
        service = session.scalar(
            select(Service).where(Service.center_id == center.id, Service.code == code)
        )
        if service is None:
            raise NotFound(f"no service {code!r} at {center.slug}", code="service_not_found")
        before = _dump(service_in(service))
        service.active = False
        if _audit(
            session,
            actor,
            entity="service",
            entity_id=service.id,
            center_id=center.id,
            action="deactivate",
            before=before,
            after=_dump(service_in(service)),
            now=now,
        ):
            uow.record(CatalogChanged(center=center.slug, at=now))
    return service


# ---- counters -----------------------------------------------------------------------------


def save_counter(
    uow: UnitOfWork,
    center_slug: str,
    data: CounterIn,
    actor: User | None,
    *,
    now: datetime,
    number: int | None = None,
) -> Counter:
    """Create counter `data.number` (`number` None) or change counter `number`: its number
    and the services it serves. Raises NotFound, Forbidden, ValidationError."""
    require_aware(now)
    with uow:
        session = uow.session
        center = _center(session, center_slug)
        _supervise(actor, center.id)
        services = {
            s.code: s
            for s in session.scalars(select(Service).where(Service.center_id == center.id))
        }
        unknown = [c for c in data.services if c not in services]
        if unknown:
            raise ValidationError(
                f"this center has no service {unknown[0]!r}",
                code="service_not_found",
                details={"field": "services"},
            )
        counters = {
            c.number: c
            for c in session.scalars(select(Counter).where(Counter.center_id == center.id))
        }
        counter = counters.get(number) if number is not None else None
        if number is not None and counter is None:
            raise NotFound(f"no counter {number} at {center.slug}", code="counter_not_found")
        taken = counters.get(data.number)
        if taken is not None and taken is not counter:
            raise ValidationError(
                f"counter {data.number} exists at this center",
                code="duplicate_counter",
                details={"field": "number", "counter": data.number},
            )
        before = None
        if counter is None:
            counter = Counter(center=center, number=data.number, state=CounterState.CLOSED)
            session.add(counter)
        else:
            before = _dump(counter_in(counter))
        counter.number = data.number
        counter.label = (data.label or "").strip() or None
        counter.services = [services[c] for c in dict.fromkeys(data.services)]
        session.flush()
        if _audit(
            session,
            actor,
            entity="counter",
            entity_id=counter.id,
            center_id=center.id,
            action="create" if before is None else "update",
            before=before,
            after=_dump(counter_in(counter)),
            now=now,
        ):
            uow.record(CatalogChanged(center=center.slug, at=now))
    return counter


# ---- users --------------------------------------------------------------------------------


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", code="user_not_found")
    return user


def _user_center(session: Session, role: str, slug: str | None) -> Center | None:
    if role == Role.ADMIN:
        if slug:
            raise ValidationError(
                "an admin works across every center: give no center",
                code="admin_has_no_center",
                details={"field": "center"},
            )
        return None
    if not slug:
        raise ValidationError(
            f"a {role} belongs to one center: give its slug",
            code="center_required",
            details={"field": "center"},
        )
    return _center(session, slug)


def create_user(
    uow: UnitOfWork, data: UserIn, password: str, actor: User | None, *, now: datetime
) -> User:
    """A new staff account. Admins create anyone; a supervisor creates operators of their own
    center. Raises Forbidden, Conflict (duplicate_username), ValidationError (weak_password,
    center_required, ...)."""
    require_aware(now)
    check_password_strength(password, data.username)
    with uow:
        session = uow.session
        center = _user_center(session, data.role, data.center)
        if actor is not None:
            permissions.may_manage_user(actor, data.role, center.id if center else None)
        if session.scalar(select(User.id).where(User.username == data.username)) is not None:
            raise Conflict(
                f"user {data.username!r} exists",
                code="duplicate_username",
                details={"field": "username"},
            )
        user = User(
            username=data.username,
            role=Role(data.role),
            center_id=center.id if center else None,
            full_name=data.full_name,
            password_hash=hash_password(password),
        )
        session.add(user)
        session.flush()
        _audit(
            session,
            actor,
            entity="user",
            entity_id=user.id,
            center_id=user.center_id,
            action="create",
            before=None,
            after=user_fields(user, session),
            now=now,
        )
    return user


def update_user(
    uow: UnitOfWork, username: str, data: UserUpdate, actor: User | None, *, now: datetime
) -> User:
    """Change a user's role, center or name. Raises NotFound, Forbidden, ValidationError."""
    require_aware(now)
    with uow:
        session = uow.session
        user = _user(session, username)
        if actor is not None:
            permissions.may_manage_user(actor, str(user.role), user.center_id)
        center = _user_center(session, data.role, data.center)
        if actor is not None:
            permissions.may_manage_user(actor, data.role, center.id if center else None)
        before = user_fields(user, session)
        moved = user.role != data.role or user.center_id != (center.id if center else None)
        user.role = Role(data.role)
        user.center_id = center.id if center else None
        user.full_name = data.full_name
        session.flush()
        _audit(
            session,
            actor,
            entity="user",
            entity_id=user.id,
            center_id=user.center_id,
            action="update",
            before=before,
            after=user_fields(user, session),
            now=now,
        )
        if moved:  # new rights: sessions made under the old ones end
            end_sessions(uow, user.id, now=now)
    return user


def set_password(
    uow: UnitOfWork, username: str, password: str, actor: User | None, *, now: datetime
) -> User:
    """Give a user a new password; every session and token of theirs ends. The audit log
    says that it changed, never what it is. Raises NotFound, Forbidden, ValidationError."""
    require_aware(now)
    check_password_strength(password, username)
    with uow:
        session = uow.session
        user = _user(session, username)
        if actor is not None:
            permissions.may_manage_user(actor, str(user.role), user.center_id)
        user.password_hash = hash_password(password)
        fields = user_fields(user, session)
        _audit(
            session,
            actor,
            entity="user",
            entity_id=user.id,
            center_id=user.center_id,
            action="set_password",
            before=fields,
            after={**fields, "password": "changed"},
            now=now,
        )
        end_sessions(uow, user.id, now=now)
    return user


def set_user_active(
    uow: UnitOfWork, username: str, active: bool, actor: User | None, *, now: datetime
) -> User:
    """Deactivate (or reactivate) an account; deactivating ends its sessions and tokens and
    frees the counter it held. Nobody deactivates themselves."""
    require_aware(now)
    with uow:
        session = uow.session
        user = _user(session, username)
        if actor is not None:
            permissions.may_manage_user(actor, str(user.role), user.center_id)
            if actor.id == user.id and not active:
                raise ValidationError(
                    "you cannot deactivate yourself", code="cannot_deactivate_self"
                )
        before = user_fields(user, session)
        user.active = active
        released = None
        if not active:
            held = session.scalar(select(Counter).where(Counter.operator_id == user.id))
            if held is not None:
                held.operator_id = None
                held.state = CounterState.CLOSED
                held.state_since = now
                released = held
        session.flush()
        _audit(
            session,
            actor,
            entity="user",
            entity_id=user.id,
            center_id=user.center_id,
            action="deactivate" if not active else "activate",
            before=before,
            after=user_fields(user, session),
            now=now,
        )
        if not active:
            end_sessions(uow, user.id, now=now)
        if released is not None:
            uow.record(CatalogChanged(center=released.center.slug, at=now))
    return user


# ---- the catalogue file -------------------------------------------------------------------


@dataclass
class ImportReport:
    centers: list[str] = field(default_factory=list)
    changes: int = 0  # audit rows written (0: the file matched the database)
    deactivated: list[str] = field(default_factory=list)  # services no longer in the file


def import_catalog(
    uow: UnitOfWork, catalog: Catalog, actor: User | None, *, now: datetime
) -> ImportReport:
    """Create or update everything the file describes, in one transaction (all or nothing).
    Idempotent: importing the same file twice changes nothing the second time. A center's
    services missing from its file are deactivated (never deleted); counters missing from it
    are left as they are."""
    require_aware(now)
    report = ImportReport()
    with uow:
        session = uow.session
        first = _count_audit(session)
        for agency in catalog.agencies:
            save_agency(uow, agency, actor, now=now)
        for spec in catalog.centers:
            report.centers.append(spec.slug)
            exists = session.scalar(select(Center).where(Center.slug == spec.slug))
            settings = CenterSettings(**{k: getattr(spec, k) for k in CenterSettings.model_fields})
            save_center(uow, settings, actor, now=now, slug=exists.slug if exists else None)
            have = {
                s.code
                for s in session.scalars(
                    select(Service).join(Center).where(Center.slug == spec.slug)
                )
            }
            for service in spec.services:
                save_service(
                    uow,
                    spec.slug,
                    service,
                    actor,
                    now=now,
                    code=service.code if service.code in have else None,
                )
            for code in sorted(have - {s.code for s in spec.services}):
                s = session.scalar(
                    select(Service)
                    .join(Center)
                    .where(Center.slug == spec.slug, Service.code == code)
                )
                if s is not None and s.active:
                    deactivate_service(uow, spec.slug, code, actor, now=now)
                    report.deactivated.append(f"{spec.slug}/{code}")
            numbers = set(
                session.scalars(select(Counter.number).join(Center).where(Center.slug == spec.slug))
            )
            for counter in spec.counters:
                save_counter(
                    uow,
                    spec.slug,
                    counter,
                    actor,
                    now=now,
                    number=counter.number if counter.number in numbers else None,
                )
        session.flush()
        report.changes = _count_audit(session) - first
    return report


def _count_audit(session: Session) -> int:
    session.flush()
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def export_center(session: Session, slug: str) -> Catalog:
    """Center `slug` as a catalogue file (with the national agencies its services use)."""
    center = _center(session, slug)
    services = sorted(center.services, key=lambda s: s.id)
    agencies = sorted({s.agency_id: s.agency for s in services}.values(), key=lambda a: a.id)
    settings = center_settings(center)
    return Catalog(
        agencies=[AgencyIn(code=a.code, name=dict(a.name)) for a in agencies],  # type: ignore[arg-type]
        centers=[
            CenterIn(
                **settings.model_dump(),
                services=[service_in(s) for s in services],
                counters=[counter_in(c) for c in sorted(center.counters, key=lambda c: c.number)],
            )
        ],
    )
