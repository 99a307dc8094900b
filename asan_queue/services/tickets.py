"""Citizen-side use cases: issue a ticket (numbered, idempotent), cancel it, rate the visit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, Table, bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.events import TicketChanged
from ..domain.numbering import format_number, local_day
from ..domain.policy import Waiting
from ..domain.queue import PAST_CLOSING, Eta, Place, QueueModel
from ..domain.statuses import TicketStatus
from ..models import (
    Center,
    DayCounter,
    Feedback,
    IdempotencyKey,
    Service,
    Ticket,
    TicketEvent,
    User,
)
from ..schemas.tickets import Ticket as TicketBody
from .catalog_cache import center_catalog
from .common import check_lang, get_center, get_ticket, new_token, require_aware
from .hours import hours_today, next_opening
from .queue import JOINING_ID, queue_model
from .serialize import iso, ticket_json
from .transitions import apply, issue_event
from .uow import UnitOfWork

PRIORITY_REASONS = ("disability", "elderly", "veteran", "pregnancy")
OVERRIDE_REASON_MAX = 200


@dataclass(frozen=True)
class Override:
    """Staff issuing outside the walk-in rules (hours, last ticket), with the reason."""

    user: User
    reason: str


@dataclass(frozen=True)
class IssueRequest:
    service: str
    lang: str = "az"
    priority: str | None = None
    phone: str | None = None
    override: Override | None = None

    def fingerprint(self) -> str:
        raw = json.dumps([self.service, self.lang, self.priority, self.phone])
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    replayed: bool
    # The public body as of the commit, built inside the transaction: after commit every
    # loaded object is expired and serialising would read the ticket back row by row.
    body: TicketBody | None = None


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def _sequence(dialect: str) -> Executable:
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = _table(DayCounter)
    values = upsert(table).values(
        center_id=bindparam("center_id"), prefix=bindparam("prefix"), day=bindparam("day"), value=1
    )
    return values.on_conflict_do_update(
        index_elements=["center_id", "prefix", "day"], set_={"value": table.c.value + 1}
    ).returning(table.c.value)


# The statements of every issued ticket, built once (Core: building and flushing ORM objects
# cost more than running these).
_SEQUENCE = {dialect: _sequence(dialect) for dialect in ("postgresql", "sqlite")}
_KEY = select(IdempotencyKey.request_hash, IdempotencyKey.ticket_id).where(
    IdempotencyKey.center_id == bindparam("center_id"), IdempotencyKey.key == bindparam("key")
)
_INSERT_TICKET = insert(_table(Ticket)).returning(_table(Ticket).c.id)
_INSERT_EVENT = insert(_table(TicketEvent))
_INSERT_KEY = insert(_table(IdempotencyKey))
# Every column of a new ticket row, at its default: a ticket inserted through Core is then
# attached as if loaded, with nothing left to read back.
_TICKET_DEFAULTS = {
    c.key: (
        getattr(c.default, "arg", None) if c.default is not None and c.default.is_scalar else None
    )
    for c in _table(Ticket).columns
    if not c.primary_key
}


def next_sequence(session: Session, center: Center, prefix: str, now: datetime) -> int:
    """Bump and return the (center, prefix, local day) counter with one upsert ... RETURNING,
    inside the caller's transaction: a rollback undoes it, so numbers stay gap-free."""
    day = local_day(now, center.timezone)
    conn = session.connection()
    stmt = _SEQUENCE["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    params = {"center_id": center.id, "prefix": prefix, "day": day}
    return int(conn.execute(stmt, params).scalar_one())


def _replay(session: Session, center: Center, key: str, request: IssueRequest) -> Ticket | None:
    row = session.connection().execute(_KEY, {"center_id": center.id, "key": key}).first()
    if row is None:
        return None
    if row.request_hash != request.fingerprint():
        raise Conflict(
            "this Idempotency-Key was already used for a different request",
            code="idempotency_key_reused",
        )
    return session.get(Ticket, row.ticket_id)


def _validate(request: IssueRequest) -> None:
    check_lang(request.lang)
    if request.priority is not None and request.priority not in PRIORITY_REASONS:
        raise ValidationError(
            f"priority must be one of {', '.join(PRIORITY_REASONS)}", code="invalid_priority"
        )
    if request.override is not None:
        reason = request.override.reason.strip()
        if not reason or len(reason) > OVERRIDE_REASON_MAX:
            raise ValidationError(
                f"issuing outside the walk-in rules needs a reason (1-{OVERRIDE_REASON_MAX} "
                "characters)",
                code="override_reason_required",
            )


def _walk_in_service(center: Center, service: Service | None, code: str) -> Service:
    if service is None:
        raise NotFound(f"no service {code!r} at {center.slug}", code="service_not_found")
    if not service.walk_in:
        raise Conflict(
            "this service is served by appointment only; book a time online",
            code="service_not_walk_in",
        )
    return service


def center_closed(center: Center, now: datetime) -> Conflict | None:
    """The refusal of every walk-in ticket while the center is closed (with when it opens),
    or None while it is open. A center taken out of service in the back office
    (`centers.active` off) is closed whatever its hours."""
    if not center.active:
        return Conflict(
            "this center is out of service and takes no tickets",
            code="center_closed",
            details={"reason": "out_of_service", "opens_at": None, "opens": "—", "note": None},
        )
    hours = hours_today(center, now)
    if hours.open_now:
        return None
    opens_at = next_opening(center, now)
    opens = "—"
    if opens_at is not None:
        local = opens_at.astimezone(ZoneInfo(center.timezone))
        same_day = local.date() == now.astimezone(ZoneInfo(center.timezone)).date()
        opens = local.strftime("%H:%M" if same_day else "%d.%m %H:%M")
    return Conflict(
        f"the center takes no walk-in tickets now ({hours.closed_reason}); it opens {opens}",
        code="center_closed",
        details={
            "reason": hours.closed_reason,
            "opens_at": iso(opens_at, center),
            "opens": opens,
            "note": hours.note or None,
        },
    )


def _no_more(service: Service) -> Conflict:
    return Conflict(
        "no more tickets today" + ("; book a time online" if service.bookable else ""),
        code="no_more_tickets",
        details={"bookable": service.bookable},
    )


def _last_ticket(
    center: Center, service: Service, model: QueueModel, eta: Eta, now: datetime
) -> Conflict | None:
    """After the service's last-ticket time, or the center's "N minutes before closing";
    with neither set, once the projected call (`eta`) would come after closing."""
    local = now.astimezone(ZoneInfo(center.timezone))
    periods = model.hall.periods
    closing = periods[-1][1] if periods else None
    if service.last_ticket_time is not None:
        return _no_more(service) if local.time() >= service.last_ticket_time else None
    if center.last_ticket_minutes is not None and closing is not None:
        cutoff = closing - timedelta(minutes=center.last_ticket_minutes)
        return _no_more(service) if now >= cutoff else None
    return _no_more(service) if eta.status == PAST_CLOSING else None


def walk_in_refusal(
    center: Center,
    service: Service,
    model: QueueModel,
    now: datetime,
    closed: Conflict | None,
) -> Conflict | None:
    """Why a walk-in ticket of `service` would be refused now (None if it would not): the
    center closed (`closed`, from center_closed), appointment only, or no more tickets
    today."""
    if not service.walk_in:
        return Conflict("this service is served by appointment only", code="service_not_walk_in")
    eta = model.arrival_eta(service.id)
    return closed or _last_ticket(center, service, model, eta, now)


def quoted(place: Place | None) -> dict[str, int | None]:
    """What the citizen is told at issue, as the ticket's columns: people ahead and the ETA
    (receipt, accuracy)."""
    if place is None:
        return {}
    return {
        "issued_ahead": place.people_ahead,
        "quoted_eta_minutes": place.eta.minutes,
        "quoted_eta_low": place.eta.low,
        "quoted_eta_high": place.eta.high,
    }


def quote(ticket: Ticket, model: QueueModel) -> None:
    """Store what the citizen is told at issue (quoted) on a ticket already in the queue."""
    for name, value in quoted(model.place(ticket.id)).items():
        setattr(ticket, name, value)


def ticket_values(
    center: Center,
    service: Service,
    seq: int,
    *,
    now: datetime,
    lang: str,
    priority: str | None,
    phone: str | None,
    appointment_id: int | None = None,
) -> dict[str, Any]:
    """The columns of a new waiting ticket numbered `seq` of its service's prefix."""
    return {
        "token": new_token(),
        "center_id": center.id,
        "service_id": service.id,
        "day": local_day(now, center.timezone),
        "number": format_number(service.prefix, seq),
        "status": TicketStatus.WAITING,
        "lang": lang,
        "priority": priority,
        "phone": phone,
        "appointment_id": appointment_id,
        "issued_at": now,
        "queued_at": now,
    }


def insert_ticket(
    session: Session,
    center: Center,
    service: Service,
    values: dict[str, Any],
    event: dict[str, Any],
) -> Ticket:
    """Insert a ticket row and its issue event through Core (no ORM flush) and attach the
    ticket to the session as if it had been loaded: every column is known, nothing is read
    back. `center` and `service` become its loaded relationships (see create_ticket)."""
    conn = session.connection()
    row = {**_TICKET_DEFAULTS, **values}
    ticket_id = int(conn.execute(_INSERT_TICKET, row).scalar_one())
    conn.execute(_INSERT_EVENT, {"ticket_id": ticket_id, **event})
    ticket = Ticket(id=ticket_id, **row)
    set_committed_value(ticket, "center", center)
    set_committed_value(ticket, "service", service)
    make_transient_to_detached(ticket)
    session.add(ticket)
    return ticket


def create_ticket(
    session: Session,
    center: Center,
    service: Service,
    *,
    now: datetime,
    lang: str = "az",
    priority: str | None = None,
    phone: str | None = None,
    appointment_id: int | None = None,
    reason: str = "kiosk",
    actor_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Ticket:
    """Number and insert a waiting ticket with its issue event inside the caller's write
    transaction (it has its id; no commit), the same way issue_ticket does (insert_ticket).
    `center` and `service` may be the catalogue cache's detached copies: they are set as the
    ticket's loaded relationships (its ids carry the foreign keys), never cascaded in."""
    seq = next_sequence(session, center, service.prefix, now)
    values = ticket_values(
        center,
        service,
        seq,
        now=now,
        lang=lang,
        priority=priority,
        phone=phone,
        appointment_id=appointment_id,
    )
    event = issue_event(now=now, reason=reason, actor_id=actor_id, data=data)
    return insert_ticket(session, center, service, values, event)


def issue_ticket(
    uow: UnitOfWork,
    center_slug: str,
    request: IssueRequest,
    *,
    now: datetime,
    idempotency_key: str | None = None,
) -> Issued:
    """Issue a numbered waiting ticket, quoting its place and ETA. With an idempotency key, a
    retried request returns the ticket the first one created. Raises NotFound,
    ValidationError, Conflict (center_closed with `opens_at`, no_more_tickets; a staff
    override with a reason issues anyway and is recorded).

    The essential statements only: the catalogue from the per-process cache (one version
    read), the idempotency key's lookup, the number's upsert, the queue's reads, and the
    ticket, its issue event and the key inserted with what it is quoted (no UPDATE after);
    nothing read back after the commit (the body is built inside the transaction)."""
    require_aware(now)
    _validate(request)
    session = uow.session
    try:
        with uow:
            catalog = center_catalog(session, center_slug)
            center = catalog.center
            if idempotency_key:
                existing = _replay(session, center, idempotency_key, request)
                if existing is not None:
                    return Issued(existing, True)
            service = _walk_in_service(center, catalog.service(request.service), request.service)
            override = request.override
            if override is None:
                closed = center_closed(center, now)
                if closed is not None:
                    raise closed
            seq = next_sequence(session, center, service.prefix, now)
            values = ticket_values(
                center,
                service,
                seq,
                now=now,
                lang=request.lang,
                priority=request.priority,
                phone=request.phone,
            )
            # The queue with this ticket counted in before its insert, so what it is quoted
            # goes in with it.
            joining = Waiting(
                JOINING_ID,
                values["number"],
                service.id,
                now,
                service.target_wait_minutes,
                request.priority,
            )
            model = queue_model(session, center, now, joining=joining)
            place = model.place(JOINING_ID)
            if override is None and place is not None:
                # This very ticket's projected call decides: a priority citizen may still
                # fit before closing when a regular one would not.
                refusal = _last_ticket(center, service, model, place.eta, now)
                if refusal is not None:
                    raise refusal  # rolls the number back with everything else
            event = issue_event(
                now=now,
                reason=f"staff override: {override.reason.strip()}" if override else "kiosk",
                actor_id=override.user.id if override else None,
                data={"override": True} if override else None,
            )
            ticket = insert_ticket(session, center, service, {**values, **quoted(place)}, event)
            body = ticket_json(session, ticket, now, model, model_id=JOINING_ID)
            if idempotency_key:
                session.connection().execute(
                    _INSERT_KEY,
                    {
                        "center_id": center.id,
                        "key": idempotency_key,
                        "request_hash": request.fingerprint(),
                        "ticket_id": ticket.id,
                        "created_at": now,
                    },
                )
            uow.record(TicketChanged(center.slug, ticket.token, "issue", ticket.id, now))
    except IntegrityError:
        # Another request with the same key won the race; its ticket is the answer and ours
        # (with its number bump) was rolled back, so no number is lost.
        if not idempotency_key:
            raise
        center = get_center(session, center_slug)
        existing = _replay(session, center, idempotency_key, request)
        session.rollback()
        if existing is None:
            raise
        return Issued(existing, True)
    return Issued(ticket, False, body)


def cancel_ticket(uow: UnitOfWork, token: str, *, now: datetime) -> Ticket:
    """The citizen gives up their place. Raises NotFound, InvalidTransition."""
    with uow:
        ticket = get_ticket(uow.session, token, for_update=True)
        apply(uow.session, ticket, "cancel", now=now, reason="cancelled by the citizen")
        uow.record(TicketChanged(ticket.center.slug, ticket.token, "cancel", ticket.id, now))
    return ticket


def leave_feedback(
    uow: UnitOfWork, token: str, *, rating: int, comment: str, now: datetime
) -> Feedback:
    """Rate a finished visit 1-5, once. Raises NotFound, ValidationError, Conflict."""
    if not 1 <= rating <= 5:
        raise ValidationError("rating must be between 1 and 5", code="invalid_rating")
    if len(comment) > 1000:
        raise ValidationError("comment is longer than 1000 characters", code="invalid_comment")
    with uow:
        session = uow.session
        ticket = get_ticket(session, token)
        if ticket.status != TicketStatus.DONE:
            raise Conflict("feedback is possible after the visit is served", code="not_served")
        if session.scalar(select(Feedback).where(Feedback.ticket_id == ticket.id)):
            raise Conflict("this visit has already been rated", code="feedback_exists")
        fb = Feedback(ticket_id=ticket.id, rating=rating, comment=comment.strip(), created_at=now)
        session.add(fb)
    return fb
