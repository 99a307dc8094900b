"""What the rooms see: snapshots and event bodies, read from the database after commit.

Bodies carry primitives only (ISO 8601 times). One `HallView` is built per batch of domain
events so that the center's load and waiting list are read once, however many rooms need them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..domain.eta import eta_minutes
from ..domain.policy import Candidate, rank
from ..domain.statuses import AT_COUNTER, TicketStatus
from ..i18n import t
from ..models import Appointment, Center, Counter, Ticket, TicketEvent
from ..services.queue import ServiceLoad, center_load, day_start_utc
from ..services.serialize import center_summary, counter_json, iso, service_json, ticket_json

RECENT_CALLS = 10
# A desk lists the next citizens, not the whole hall: a long list would cost every change a
# large message to every desk. `waiting_count` still tells how many wait.
WAITING_SHOWN = 30


def spoken_number(number: str) -> str:
    """'P017' is announced as 'P 17': speech engines read digits with leading zeros badly."""
    head = number.rstrip("0123456789")
    digits = number[len(head) :]
    return f"{head} {int(digits)}" if digits else number


def announcement(center: Center, number: str, counter_number: int) -> dict[str, str]:
    spoken = spoken_number(number)
    return {
        lang: t(lang, "hall.announce", number=spoken, counter=counter_number)
        for lang in center.language_list
    }


def call_body(
    center: Center, ticket: Ticket, counter: Counter, *, recall: bool, at: datetime | None
) -> dict[str, Any]:
    service = ticket.service
    return {
        "center": center.slug,
        "number": ticket.number,
        "counter": counter.number,
        "counter_id": counter.id,
        "service": service.code,
        "service_name": service.name,
        "agency": service.agency.code,
        "agency_name": service.agency.name,
        "recall": recall,
        "languages": center.language_list,
        "announcement": announcement(center, ticket.number, counter.number),
        "called_at": iso(at, center),
    }


def minutes_since(start: datetime | None, now: datetime) -> int | None:
    return None if start is None else max(0, int((now - start) / timedelta(minutes=1)))


class HallView:
    """A read of one center at one instant, shared by every body built for one batch."""

    def __init__(self, session: Session, center: Center, now: datetime) -> None:
        self.session = session
        self.center = center
        self.now = now
        self._rankings: dict[frozenset[int], tuple[list[dict[str, Any]], int]] = {}

    @cached_property
    def load(self) -> dict[int, ServiceLoad]:
        return center_load(self.session, self.center, self.now)

    @cached_property
    def at_counters(self) -> dict[int, Ticket]:
        rows = self.session.scalars(
            select(Ticket).where(
                Ticket.center_id == self.center.id,
                Ticket.status.in_(AT_COUNTER),
                Ticket.counter_id.is_not(None),
            )
        ).all()
        return {t.counter_id: t for t in rows if t.counter_id is not None}

    @cached_property
    def waiting(self) -> list[Any]:
        """Every waiting ticket of the center as light rows (no ORM objects: a busy hall has
        hundreds waiting and this is read on every change)."""
        return list(
            self.session.execute(
                select(
                    Ticket.id,
                    Ticket.number,
                    Ticket.service_id,
                    Ticket.queued_at,
                    Ticket.issued_at,
                    Ticket.priority,
                    Ticket.appointment_id,
                    Appointment.starts_at.label("slot_start"),
                )
                .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
                .where(Ticket.center_id == self.center.id, Ticket.status == TicketStatus.WAITING)
                .order_by(Ticket.queued_at, Ticket.id)
            ).all()
        )

    @cached_property
    def services_by_id(self) -> dict[int, Any]:
        return {s.id: s for s in self.center.services}

    def counters_json(self) -> list[dict[str, Any]]:
        return [counter_json(c, self.at_counters.get(c.id)) for c in self.center.counters]

    def services_json(self) -> list[dict[str, Any]]:
        return [service_json(s, self.load.get(s.id)) for s in self.center.services if s.active]

    def center_state(self) -> dict[str, Any]:
        """The center snapshot (less room/seq): the body of GET /api/v1/centers/<slug> plus the
        last calls, newest first."""
        return {
            "now": iso(self.now, self.center),
            "center": center_summary(self.center),
            "services": self.services_json(),
            "agencies": [{"code": a.code, "name": a.name} for a in self.center.agencies],
            "counters": self.counters_json(),
            "recent_calls": self.recent_calls(),
        }

    def queue_body(self) -> dict[str, Any]:
        services = [
            {
                "code": s["code"],
                "waiting": s["waiting"],
                "eta_minutes": s["eta_minutes"],
                "open_counters": s["open_counters"],
            }
            for s in self.services_json()
        ]
        return {"center": self.center.slug, "services": services, "counters": self.counters_json()}

    def recent_calls(self) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(TicketEvent, Ticket, Counter)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Counter, Counter.id == TicketEvent.counter_id)
            .where(
                Ticket.center_id == self.center.id,
                TicketEvent.operation.in_(("call", "recall")),
                TicketEvent.at >= day_start_utc(self.center, self.now),
            )
            .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
            .limit(RECENT_CALLS)
        ).all()
        return [
            call_body(self.center, ticket, counter, recall=ev.operation == "recall", at=ev.at)
            for ev, ticket, counter in rows
        ]

    def counter_body(self, counter: Counter) -> dict[str, Any]:
        """The desk's view of its counter: state, the ticket at it, who waits for it (in the
        order call-next would take them) and how many it served today."""
        current = self.at_counters.get(counter.id)
        current_json = None
        if current is not None:
            current_json = ticket_json(self.session, current, self.now)
            called = current.first_called_at or self.now
            current_json["waited_minutes"] = minutes_since(current.issued_at, called)
            current_json["service_started_at"] = iso(current.started_at, self.center)
        served = self.session.scalar(
            select(func.count()).where(
                Ticket.counter_id == counter.id,
                Ticket.status == TicketStatus.DONE,
                Ticket.finished_at >= day_start_utc(self.center, self.now),
            )
        )
        waiting, waiting_count = self.waiting_for(counter)
        return {
            "counter": counter_json(counter, current),
            "current": current_json,
            "waiting": waiting,
            "waiting_count": waiting_count,
            "served_today": served or 0,
        }

    def waiting_for(self, counter: Counter) -> tuple[list[dict[str, Any]], int]:
        """The first WAITING_SHOWN tickets this counter would call, in order, and how many
        wait for it in all. Counters serving the same services share one ranking."""
        served = frozenset(s.id for s in counter.services)
        if served not in self._rankings:
            self._rankings[served] = self._rank_waiting(served)
        return self._rankings[served]

    def _rank_waiting(self, served: frozenset[int]) -> tuple[list[dict[str, Any]], int]:
        services = self.services_by_id
        tickets = {t.id: t for t in self.waiting if t.service_id in served}
        candidates = [
            Candidate(
                t.id,
                t.number,
                t.queued_at,
                services[t.service_id].target_wait_minutes,
                t.priority,
                t.slot_start,
            )
            for t in tickets.values()
        ]
        out = []
        for choice in rank(candidates, self.now, self.center.call_policy)[:WAITING_SHOWN]:
            ticket = tickets[choice.ticket_id]
            service = services[ticket.service_id]
            out.append(
                {
                    "number": ticket.number,
                    "service": service.code,
                    "service_name": service.name,
                    "waited_minutes": minutes_since(ticket.issued_at, self.now),
                    "priority": ticket.priority,
                    "booked": ticket.appointment_id is not None,
                }
            )
        return out, len(candidates)

    def positions(self, service_ids: set[int]) -> list[tuple[Ticket, tuple[int, int]]]:
        """(ticket, (people ahead, ETA)) for every waiting ticket of these services, computed
        in one pass; the same figures as services.queue.ticket_eta gives one at a time."""
        out: list[tuple[Ticket, tuple[int, int]]] = []
        if not service_ids:
            return out
        tickets = self.session.scalars(
            select(Ticket)
            .where(
                Ticket.center_id == self.center.id,
                Ticket.status == TicketStatus.WAITING,
                Ticket.service_id.in_(service_ids),
            )
            .options(selectinload(Ticket.service), selectinload(Ticket.counter))
        ).all()
        for service_id in service_ids:
            queue = sorted(
                (t for t in tickets if t.service_id == service_id),
                key=lambda t: (t.priority is None, t.queued_at, t.id),
            )
            load = self.load.get(service_id)
            if load is None:
                continue
            for ahead, ticket in enumerate(queue):
                eta = eta_minutes(ahead, load.service_minutes, load.open_counters)
                out.append((ticket, (ahead, eta)))
        return out
