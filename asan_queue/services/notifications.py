"""The notification outbox: rows written in the use case's own transaction, sent later by a
worker (a background thread of the app, or `flask notify-send`), so no request ever waits
for an SMS gateway. Failures retry with exponential backoff and stay visible (status,
attempts, last_error)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.booking import backoff_seconds
from ..domain.events import Event, TicketCalled, TicketChanged
from ..domain.statuses import TicketStatus
from ..i18n import pick, t
from ..models import Appointment, Center, Notification, Ticket
from ..models.engine import begin_write, write_transaction
from .channels import Channel, LogChannel, scrub
from .queue import head_model, today

MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=2)  # a claimed row whose worker died is retried after this
THIRD_IN_LINE = 3


def enqueue(
    session: Session,
    *,
    channel: str,
    kind: str,
    recipient: str,
    body: str,
    now: datetime,
    lang: str = "az",
    send_at: datetime | None = None,
    dedupe_key: str | None = None,
    data: dict[str, Any] | None = None,
    appointment_id: int | None = None,
    ticket_id: int | None = None,
) -> bool:
    """Add a pending notification inside the caller's transaction (no commit). A second row
    with the same dedupe_key is silently skipped (also under races: ON CONFLICT DO NOTHING).
    Returns whether a row was added."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(Notification)
        .values(
            channel=channel,
            kind=kind,
            recipient=recipient,
            lang=lang,
            body=body,
            data=data or {},
            dedupe_key=dedupe_key,
            status="pending",
            attempts=0,
            last_error="",
            created_at=now,
            next_attempt_at=send_at or now,
            appointment_id=appointment_id,
            ticket_id=ticket_id,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    result = session.execute(stmt)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def cancel_pending(session: Session, *, appointment_id: int, kinds: Sequence[str]) -> None:
    """Drop not-yet-sent messages of an appointment (e.g. the reminder of a cancelled slot)."""
    session.execute(
        update(Notification)
        .where(
            Notification.appointment_id == appointment_id,
            Notification.kind.in_(list(kinds)),
            Notification.status == "pending",
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class SendReport:
    sent: int
    retrying: int
    failed: int
    logged: int = 0  # written to the log channel only: no gateway configured, not "sent"


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel: str
    recipient: str
    body: str
    subject: str
    attempts: int


def _claim(session: Session, now: datetime, batch: int) -> list[_Claimed]:
    begin_write(session)
    stmt = (
        select(Notification)
        .where(
            or_(Notification.status == "pending", Notification.status == "sending"),
            Notification.next_attempt_at <= now,
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    claimed = []
    try:
        for row in session.scalars(stmt).all():
            row.status = "sending"
            row.next_attempt_at = now + LEASE
            subject = t(row.lang, f"notify.subject.{row.kind}")
            claimed.append(
                _Claimed(row.id, row.channel, row.recipient, row.body, subject, row.attempts)
            )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return claimed


def send_due(
    session: Session,
    channels: Mapping[str, Channel],
    *,
    now: datetime,
    batch: int = 50,
    max_attempts: int = MAX_ATTEMPTS,
) -> SendReport:
    """Send the notifications that are due. Rows are claimed in one short transaction and
    sent outside any transaction (a slow gateway never holds the database lock); results are
    written in a second one. A failure is retried after 30 s, 1 min, 2 min, ... and marked
    `failed` after `max_attempts`. Each message goes out with its own id, so a gateway that
    drops repeats delivers it once even when a worker died after sending and before
    recording it. A message that only reached the log channel is `logged`, not `sent`."""
    claimed = _claim(session, now, batch)
    results: list[tuple[_Claimed, str | None, bool]] = []
    for item in claimed:
        channel = channels.get(item.channel)
        try:
            if channel is None:
                raise LookupError(f"no channel {item.channel!r}")
            channel.send(
                item.recipient, item.body, subject=item.subject, message_id=f"asan-{item.id}"
            )
            results.append((item, None, isinstance(channel, LogChannel)))
        except Exception as err:  # noqa: BLE001 - any failure is recorded and retried
            text = scrub(f"{type(err).__name__}: {err}", item.recipient)[:500]
            results.append((item, text, False))
    sent = retrying = failed = logged = 0
    with write_transaction(session):
        for item, error, to_log in results:
            row = session.get(Notification, item.id)
            if row is None:
                continue
            row.attempts = item.attempts + 1
            if error is None:
                row.status = "logged" if to_log else "sent"
                row.sent_at, row.last_error = now, ""
                logged += to_log
                sent += not to_log
            elif row.attempts >= max_attempts:
                row.status, row.last_error = "failed", error
                failed += 1
            else:
                row.status, row.last_error = "pending", error
                row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts))
                retrying += 1
    return SendReport(sent, retrying, failed, logged)


def list_notifications(
    session: Session, *, status: str | None, center_id: int | None, limit: int = 100
) -> list[Notification]:
    """Newest first; `center_id` limits to notifications of that center's tickets and
    appointments (a supervisor's view)."""
    stmt = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Notification.status == status)
    if center_id is not None:
        stmt = (
            stmt.outerjoin(Ticket, Ticket.id == Notification.ticket_id)
            .outerjoin(Appointment, Appointment.id == Notification.appointment_id)
            .where(or_(Ticket.center_id == center_id, Appointment.center_id == center_id))
        )
    return list(session.scalars(stmt).all())


# --- messages -----------------------------------------------------------------------------


def local_text(when: datetime, timezone: str) -> str:
    return when.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


def notify_booking(
    session: Session,
    appointment: Appointment,
    *,
    now: datetime,
    manage_url: str,
    reminder_before: timedelta,
) -> None:
    """Queue the confirmation now and a reminder `reminder_before` the slot (skipped when
    that moment has passed), by SMS to the phone and by email, inside the caller's
    transaction. Keys carry the slot start, so a reschedule sends fresh ones."""
    center, service, lang = appointment.center, appointment.service, appointment.lang
    values = {
        "code": appointment.code,
        "when": local_text(appointment.starts_at, center.timezone),
        "center": pick(center.name, lang),
        "service": pick(service.name, lang),
        "url": manage_url,
    }
    stamp = int(appointment.starts_at.timestamp())
    remind_at = appointment.starts_at - reminder_before
    for channel, recipient in (("sms", appointment.phone), ("email", appointment.email)):
        if not recipient:
            continue
        for kind, send_at in (("booking_confirmation", now), ("booking_reminder", remind_at)):
            if send_at < now:
                continue
            enqueue(
                session,
                channel=channel,
                kind=kind,
                recipient=recipient,
                body=t(lang, f"notify.{kind}", **values),
                now=now,
                lang=lang,
                send_at=send_at,
                dedupe_key=f"appt:{appointment.id}:{kind}:{channel}:{stamp}",
                appointment_id=appointment.id,
            )


def _ticket_message(session: Session, ticket: Ticket, kind: str, now: datetime) -> bool:
    counter = ticket.counter.number if ticket.counter else ""
    body = t(ticket.lang, f"notify.{kind}", number=ticket.number, counter=counter)
    return enqueue(
        session,
        channel="sms",
        kind=kind,
        recipient=ticket.phone or "",
        body=body,
        now=now,
        lang=ticket.lang,
        dedupe_key=f"ticket:{ticket.id}:{kind}",
        ticket_id=ticket.id,
    )


def _phones_waiting(session: Session, center_id: int, day: Any, service_ids: set[int]) -> bool:
    return (
        session.scalar(
            select(Ticket.id)
            .where(
                Ticket.center_id == center_id,
                Ticket.day == day,
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id.in_(service_ids),
                Ticket.phone.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


def queue_ticket_messages(session: Session, events: Sequence[Event]) -> int:
    """The outbox of a ticket use case, run inside its own transaction (in-transaction
    handler of the unit of work): "you are called" for a ticket called with a phone, and
    "you are 3rd in line" for whoever is now third of a queue that moved, as the queue model
    orders it. Each message once per ticket (dedupe key). Returns how many were queued."""
    wanted: list[tuple[Ticket, str]] = []
    moved: dict[int, set[int]] = defaultdict(set)  # center id -> services whose line moved
    now: datetime | None = None
    for event in events:
        if not isinstance(event, TicketChanged | TicketCalled):
            continue
        now = event.at if now is None else max(now, event.at)
        ticket = session.get(Ticket, event.ticket_id)
        if ticket is None:
            continue
        # A plain new ticket joins at the back and moves no one: only it can have become
        # 3rd, so a new ticket without a phone cannot change who gets "3rd in line".
        joins_at_back = (
            isinstance(event, TicketChanged) and event.operation == "issue" and not ticket.priority
        )
        if not joins_at_back or ticket.phone:
            moved[ticket.center_id].add(ticket.service_id)
        if isinstance(event, TicketCalled) and not event.recall and ticket.phone:
            wanted.append((ticket, "ticket_called"))
    if now is None:
        return 0
    for center_id, service_ids in moved.items():
        center = session.get(Center, center_id)
        if center is None or not _phones_waiting(
            session, center_id, today(center, now), service_ids
        ):
            continue
        # Who is third needs the first three of each line only: the lanes' heads.
        model = head_model(session, center, now, service_ids, 2 * THIRD_IN_LINE)
        for service_id in service_ids:
            order = model.order(service_id)
            if len(order) >= THIRD_IN_LINE:
                third = session.get(Ticket, order[THIRD_IN_LINE - 1])
                if third is not None and third.phone:
                    wanted.append((third, "ticket_third"))
    return sum(_ticket_message(session, ticket, kind, now) for ticket, kind in wanted)
