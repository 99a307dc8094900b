"""The supervisor's dashboard of a center at an instant: per service the queue (from the one
queue model, domain/queue.py, via HallView), today's figures (services/rollup.py, live),
per counter its state and visit, the hall's devices, and the alerts that hold now.

Staff only (operator names, pause reasons): served to the `supervise:<slug>` room and to
GET /api/v1/centers/<slug>/dashboard after services/permissions.may_supervise."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.history import Figures, total
from ..models import Center, Device, Notification, Ticket, User
from ..schemas import stats as s
from .hall import HallView, minutes_since
from .queue import day_start_utc, today
from .rollup import live
from .serialize import local

# A counter paused longer than this raises a "break too long" alert (config overrides).
BREAK_ALERT_MINUTES = 20
# A device that left within this many minutes of now counts as dropped off.
DEVICE_ALERT_HOURS = 12


def _today_by_service(session: Session, center: Center, now: datetime) -> dict[int, Figures]:
    day = today(center, now)
    per: dict[int, list[Figures]] = defaultdict(list)
    for key, fig in live(session, center, day, day).items():
        if key.service_id is not None:
            per[key.service_id].append(fig)
    return {sid: total(figs) for sid, figs in per.items()}


def _failed_sms(session: Session, center: Center, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .join(Ticket, Ticket.id == Notification.ticket_id)
            .where(
                Ticket.center_id == center.id,
                Ticket.day == today(center, now),
                Notification.status == "failed",
            )
        )
        or 0
    )


def dashboard(
    session: Session, center: Center, now: datetime, *, break_alert_minutes: int | None = None
) -> s.Dashboard:
    """The center's dashboard at `now` (see the module docstring)."""
    view = HallView(session, center, now)
    model = view.model
    figures = _today_by_service(session, center, now)
    longest: dict[int, datetime] = {}
    over_double: dict[int, int] = defaultdict(int)
    for w in model.tickets.values():
        if w.service_id not in longest or w.queued_at < longest[w.service_id]:
            longest[w.service_id] = w.queued_at
        if now - w.queued_at > timedelta(minutes=2 * w.target_wait_minutes):
            over_double[w.service_id] += 1
    alerts: list[s.Alert] = []
    services: list[s.ServiceLoad] = []
    for service in center.services:
        if not service.active:
            continue
        fig = figures.get(service.id, Figures())
        waiting = model.waiting_count(service.id)
        oldest = longest.get(service.id)
        longest_wait = minutes_since(oldest, now) if oldest else None
        over = longest_wait is not None and longest_wait > service.target_wait_minutes
        eta = model.arrival_eta(service.id)
        open_counters = model.open_counters(service.id)
        services.append(
            s.ServiceLoad(
                service=service.code,
                name=service.name,
                agency=service.agency.code,
                agency_name=service.agency.name,
                waiting=waiting,
                longest_wait_minutes=longest_wait,
                target_wait_minutes=service.target_wait_minutes,
                over_target=over,
                served_today=fig.done,
                service_level=fig.service_level,
                eta_minutes=eta.minutes,
                no_shows=fig.no_show,
                open_counters=open_counters,
            )
        )
        if over:
            alerts.append(
                s.Alert(
                    kind="service_over_target",
                    key=f"over:{service.code}",
                    subject=service.code,
                    minutes=longest_wait,
                    since=local(oldest + timedelta(minutes=service.target_wait_minutes), center)
                    if oldest
                    else None,
                )
            )
        if over_double.get(service.id):
            alerts.append(
                s.Alert(
                    kind="ticket_over_double_target",
                    key=f"double:{service.code}",
                    subject=service.code,
                    count=over_double[service.id],
                    minutes=longest_wait,
                )
            )
        if waiting and not open_counters:
            alerts.append(
                s.Alert(
                    kind="no_open_counter",
                    key=f"uncovered:{service.code}",
                    subject=service.code,
                    count=waiting,
                )
            )
    limit = break_alert_minutes or BREAK_ALERT_MINUTES
    counters: list[s.CounterLoad] = []
    # The operators at the counters in one read (not one per counter).
    on_duty = {x.operator_id for x in center.counters if x.operator_id is not None}
    operators = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_(on_duty)))}
        if on_duty
        else {}
    )
    for counter in center.counters:
        operator = operators.get(counter.operator_id) if counter.operator_id else None
        current = view.at_counters.get(counter.id)
        paused = minutes_since(counter.state_since, now) if counter.state == "paused" else None
        counters.append(
            s.CounterLoad(
                counter=counter.number,
                counter_id=counter.id,
                state=str(counter.state),
                operator=(operator.full_name or operator.username) if operator else None,
                ticket=current.number if current else None,
                ticket_status=str(current.status) if current else None,
                at_counter_minutes=minutes_since(current.called_at, now) if current else None,
                pause_reason=counter.pause_reason if counter.state == "paused" else None,
                paused_minutes=paused,
            )
        )
        if paused is not None and paused > limit:
            alerts.append(
                s.Alert(
                    kind="long_break",
                    key=f"break:{counter.number}",
                    subject=str(counter.number),
                    minutes=paused,
                    since=local(counter.state_since, center),
                )
            )
    failed = _failed_sms(session, center, now)
    if failed:
        alerts.append(s.Alert(kind="sms_failed", key="sms", subject="sms", count=failed))
    devices = []
    recent = now - timedelta(hours=DEVICE_ALERT_HOURS)
    for d in session.scalars(
        select(Device).where(Device.center_id == center.id).order_by(Device.kind, Device.name)
    ):
        devices.append(
            s.DeviceSeen(
                kind=d.kind,
                name=d.name,
                connected=d.connected,
                last_seen_at=local(d.last_seen_at, center),
            )
        )
        if not d.connected and d.last_seen_at >= max(recent, day_start_utc(center, now)):
            alerts.append(
                s.Alert(
                    kind="device_offline",
                    key=f"device:{d.kind}:{d.name}",
                    subject=f"{d.kind}: {d.name}",
                    since=local(d.last_seen_at, center),
                )
            )
    whole = total(figures.values())
    return s.Dashboard(
        center=center.slug,
        name=center.name,
        now=local(now, center),
        waiting=len(model.tickets),
        served_today=whole.done,
        service_level=whole.service_level,
        services=services,
        counters=counters,
        devices=devices,
        alerts=alerts,
    )


def device_seen(
    session: Session, center_id: int, kind: str, name: str, *, connected: bool, now: datetime
) -> None:
    """Record that a hall display or kiosk (dis)connected; commits."""
    device = session.scalar(
        select(Device).where(
            Device.center_id == center_id, Device.kind == kind, Device.name == name
        )
    )
    if device is None:
        device = Device(center_id=center_id, kind=kind, name=name)
        session.add(device)
    device.connected = connected
    device.last_seen_at = now
    session.commit()
