"""Citizen-side use cases: issue a ticket (numbered, idempotent), cancel it, rate the visit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.errors import Conflict, NotFound, ValidationError
from ..domain.events import TicketChanged
from ..domain.numbering import format_number, local_day
from ..domain.statuses import TicketStatus
from ..models import Center, DayCounter, Feedback, IdempotencyKey, Service, Ticket
from ..models.engine import begin_write, write_transaction
from . import bus
from .common import (
    check_lang,
    get_center,
    get_center_and_service,
    get_ticket,
    new_token,
    require_aware,
)
from .queue import people_ahead, service_eta
from .serialize import ticket_json
from .transitions import apply, log_issue

PRIORITY_REASONS = ("disability", "elderly", "veteran", "pregnancy")


@dataclass(frozen=True)
class IssueRequest:
    service: str
    lang: str = "az"
    priority: str | None = None
    phone: str | None = None

    def fingerprint(self) -> str:
        raw = json.dumps([self.service, self.lang, self.priority, self.phone])
        return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    replayed: bool
    # The public body as of the commit, built inside the transaction: after commit every
    # loaded object is expired and serialising would read the ticket back row by row.
    body: dict[str, Any] | None = None


def next_sequence(session: Session, center: Center, prefix: str, now: datetime) -> int:
    """Bump and return the (center, prefix, local day) counter with one upsert ... RETURNING,
    inside the caller's transaction: a rollback undoes it, so numbers stay gap-free."""
    day = local_day(now, center.timezone)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = insert(DayCounter).values(center_id=center.id, prefix=prefix, day=day, value=1)
    stmt = values.on_conflict_do_update(
        index_elements=["center_id", "prefix", "day"],
        set_={"value": DayCounter.value + 1},
    ).returning(DayCounter.value)
    return int(session.execute(stmt).scalar_one())


def _replay(session: Session, center: Center, key: str, request: IssueRequest) -> Ticket | None:
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.center_id == center.id, IdempotencyKey.key == key
        )
    )
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


def _walk_in_service(center: Center, service: Service | None, code: str) -> Service:
    if service is None:
        raise NotFound(f"no service {code!r} at {center.slug}", code="service_not_found")
    if not service.walk_in:
        raise Conflict(
            "this service is served by appointment only; book a time online",
            code="service_not_walk_in",
        )
    return service


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
) -> Ticket:
    """Number and add a waiting ticket inside the caller's write transaction (no commit)."""
    seq = next_sequence(session, center, service.prefix, now)
    ticket = Ticket(
        token=new_token(),
        center_id=center.id,
        service_id=service.id,
        day=local_day(now, center.timezone),
        number=format_number(service.prefix, seq),
        status=TicketStatus.WAITING,
        lang=lang,
        priority=priority,
        phone=phone,
        appointment_id=appointment_id,
        issued_at=now,
        queued_at=now,
    )
    ticket.center = center
    ticket.service = service
    log_issue(ticket, now=now, reason=reason)
    session.add(ticket)
    session.flush()
    return ticket


def issue_ticket(
    session: Session,
    center_slug: str,
    request: IssueRequest,
    *,
    now: datetime,
    idempotency_key: str | None = None,
) -> Issued:
    """Issue a numbered waiting ticket. With an idempotency key, a retried request returns the
    ticket the first one created. Raises NotFound, ValidationError, Conflict."""
    require_aware(now)
    _validate(request)
    begin_write(session)
    try:
        center, found = get_center_and_service(session, center_slug, request.service)
        if idempotency_key:
            existing = _replay(session, center, idempotency_key, request)
            if existing is not None:
                session.commit()
                return Issued(existing, True)
        service = _walk_in_service(center, found, request.service)
        ticket = create_ticket(
            session,
            center,
            service,
            now=now,
            lang=request.lang,
            priority=request.priority,
            phone=request.phone,
        )
        ahead = people_ahead(session, ticket)
        ticket.quoted_eta_minutes = service_eta(session, service, ahead, now)
        body = ticket_json(session, ticket, now, (ahead, ticket.quoted_eta_minutes))
        event = TicketChanged(center.slug, ticket.token, "issue", ticket.id)
        if idempotency_key:
            session.add(
                IdempotencyKey(
                    center_id=center.id,
                    key=idempotency_key,
                    request_hash=request.fingerprint(),
                    ticket_id=ticket.id,
                    created_at=now,
                )
            )
        session.commit()
    except IntegrityError:
        # Another request with the same key won the race; its ticket is the answer and ours
        # (with its number bump) was rolled back, so no number is lost.
        session.rollback()
        if not idempotency_key:
            raise
        center = get_center(session, center_slug)
        existing = _replay(session, center, idempotency_key, request)
        if existing is None:
            raise
        return Issued(existing, True)
    except Exception:
        session.rollback()
        raise
    bus.publish([event])
    return Issued(ticket, False, body)


def cancel_ticket(session: Session, token: str, *, now: datetime) -> Ticket:
    """The citizen gives up their place. Raises NotFound, InvalidTransition."""
    with write_transaction(session):
        ticket = get_ticket(session, token, for_update=True)
        apply(session, ticket, "cancel", now=now, reason="cancelled by the citizen")
    bus.publish([TicketChanged(ticket.center.slug, ticket.token, "cancel", ticket.id)])
    return ticket


def leave_feedback(
    session: Session, token: str, *, rating: int, comment: str, now: datetime
) -> Feedback:
    """Rate a finished visit 1-5, once. Raises NotFound, ValidationError, Conflict."""
    if not 1 <= rating <= 5:
        raise ValidationError("rating must be between 1 and 5", code="invalid_rating")
    if len(comment) > 1000:
        raise ValidationError("comment is longer than 1000 characters", code="invalid_comment")
    with write_transaction(session):
        ticket = get_ticket(session, token)
        if ticket.status != TicketStatus.DONE:
            raise Conflict("feedback is possible after the visit is served", code="not_served")
        if session.scalar(select(Feedback).where(Feedback.ticket_id == ticket.id)):
            raise Conflict("this visit has already been rated", code="feedback_exists")
        fb = Feedback(ticket_id=ticket.id, rating=rating, comment=comment.strip(), created_at=now)
        session.add(fb)
    return fb
