"""What a hall looks like at an instant: the bodies of GET /api/v1/centers/<slug>, of the
center and counter rooms' snapshots and of the `queue`, `counter` and `ticket_called`
events. One HallView reads the center's queue model once, however many bodies are built
from it (a batch of realtime events, a snapshot, an API answer), so they all agree.

Bodies carry primitives only (ISO 8601 times). Public bodies (center detail, hall) never
carry staff data; the desk's counter body is staff-only (its room needs a login)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from typing import cast

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.queue import QueueModel
from ..domain.statuses import AT_COUNTER, TicketStatus
from ..i18n import t
from ..models import Center, Counter, Service, Ticket, TicketEvent
from ..schemas import centers as c
from ..schemas import events as e
from ..schemas import staff as st
from ..speech import CHIME_PATH, audio_path
from .hours import hours_today
from .queue import Visit, counter_view, day_start_utc, queue_model, today
from .serialize import (
    center_summary,
    counter_json,
    local,
    service_json,
    staff_counter_json,
    ticket_shaped,
)
from .tickets import center_closed, walk_in_refusal

RECENT_CALLS = 10
# A desk lists the next citizens, not the whole hall: a long list would cost every change a
# large message to every desk. `waiting_count` still tells how many wait.
WAITING_SHOWN = 30
# The hall shows the next numbers of each service.
NEXT_SHOWN = 3


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
    center: Center,
    number: str,
    service: Service,
    counter: Counter,
    *,
    recall: bool,
    at: datetime | None,
) -> e.Call:
    """Ticket `number` (of `service`) called to `counter`: the hall's and the counter's
    message, and one of the hall snapshot's recent calls."""
    return e.Call(
        center=center.slug,
        number=number,
        counter=counter.number,
        counter_id=counter.id,
        service=service.code,
        service_name=service.name,
        agency=service.agency.code,
        agency_name=service.agency.name,
        recall=recall,
        languages=center.language_list,
        announcement=announcement(center, number, counter.number),
        # The same call spoken (numbers as words), rendered by the server: chime, then each
        # language's audio in `languages` order.
        chime=CHIME_PATH,
        audio={lang: audio_path(lang, number, counter.number) for lang in center.language_list},
        called_at=local(at, center),
    )


def minutes_since(start: datetime | None, now: datetime) -> int | None:
    return None if start is None else max(0, int((now - start) / timedelta(minutes=1)))


class HallView:
    """A read of one center at one instant, shared by every body built from it."""

    def __init__(self, session: Session, center: Center, now: datetime) -> None:
        self.session = session
        self.center = center
        self.now = now

    @cached_property
    def model(self) -> QueueModel:
        counters = [
            counter_view(
                x,
                {s.id for s in x.services},
                Visit(v.service_id, str(v.status), v.called_at, v.started_at)
                if (v := self.at_counters.get(x.id)) is not None
                else None,
                self.center,
                self.now,
            )
            for x in self.center.counters
        ]
        return queue_model(self.session, self.center, self.now, counters=counters)

    @cached_property
    def _services_by_id(self) -> dict[int, Service]:
        return {s.id: s for s in self.center.services}

    @cached_property
    def _counters_by_id(self) -> dict[int, Counter]:
        return {c.id: c for c in self.center.counters}

    @cached_property
    def at_counters(self) -> dict[int, Ticket]:
        """Today's tickets at this center's counters, by counter id. Each points at the
        view's center, service and counter (where it has not loaded its own), so that
        serialising it reads no center, service or agency row again."""
        out: dict[int, Ticket] = {}
        for ticket in self.session.scalars(
            select(Ticket).where(
                Ticket.center_id == self.center.id,
                Ticket.day == today(self.center, self.now),
                Ticket.status.in_(AT_COUNTER),
                Ticket.counter_id.is_not(None),
            )
        ):
            loaded = inspect(ticket).dict
            related = (
                ("center", self.center),
                ("service", self._services_by_id.get(ticket.service_id)),
                ("counter", self._counters_by_id.get(ticket.counter_id or 0)),
            )
            for key, value in related:
                if value is not None and key not in loaded:
                    set_committed_value(ticket, key, value)
            if ticket.counter_id is not None:
                out[ticket.counter_id] = ticket
        return out

    @cached_property
    def _numbers(self) -> dict[int, str]:
        return {w.ticket_id: w.number for w in self.model.hall.waiting}

    def counters_json(self) -> list[c.Counter]:
        return [counter_json(x, self.at_counters.get(x.id)) for x in self.center.counters]

    @cached_property
    def services(self) -> list[c.Service]:
        out = []
        closed = center_closed(self.center, self.now)
        for service in self.center.services:
            if not service.active:
                continue
            refusal = walk_in_refusal(self.center, service, self.model, self.now, closed)
            nexts = [self._numbers[i] for i in self.model.head(service.id, NEXT_SHOWN)]
            reason = cast(c.Refusal, refusal.code) if refusal else None
            out.append(service_json(service, self.model, reason, nexts))
        return out

    def agencies(self) -> list[c.Agency]:
        return [c.Agency(code=a.code, name=a.name) for a in self.center.agencies]

    def center_detail(self, *, sms_available: bool) -> c.CenterDetail:
        """GET /api/v1/centers/<slug>: services with their queue, counters, today's hours."""
        hours = hours_today(self.center, self.now).as_json()
        return c.CenterDetail(
            **center_summary(self.center).model_dump(),
            agencies=self.agencies(),
            services=self.services,
            counters=self.counters_json(),
            call_policy=self.center.call_policy,
            **hours,
            sms_available=sms_available,
        )

    def center_state(self) -> e.HallState:
        """The center room's snapshot (less room/seq): the center detail's queue plus the
        last calls, newest first, and the server's time."""
        return e.HallState(
            now=local(self.now, self.center),
            center=center_summary(self.center),
            services=self.services,
            agencies=self.agencies(),
            counters=self.counters_json(),
            recent_calls=self.recent_calls(),
        )

    def queue_body(self) -> e.Queue:
        fields = set(c.ServiceQueue.model_fields)
        services = [c.ServiceQueue(**s.model_dump(include=fields)) for s in self.services]
        return e.Queue(center=self.center.slug, services=services, counters=self.counters_json())

    def recent_calls(self) -> list[e.Call]:
        counters = self._counters_by_id
        rows = self.session.execute(
            select(
                TicketEvent.operation,
                TicketEvent.at,
                TicketEvent.counter_id,
                Ticket.number,
                Ticket.service_id,
            )
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(
                # Today's calls at this center's counters, newest first: read backwards on
                # ix_ticket_events_at until ten are found, each joined to its ticket by key.
                # A few rows whatever the history, the size of today or the number of
                # centers; the counters' ids are known, so no planner is asked to guess how
                # many of the center's tickets a join would meet. Counters and services are
                # the view's own: plain rows, no objects.
                TicketEvent.counter_id.in_(list(counters)),
                TicketEvent.operation.in_(("call", "recall")),
                TicketEvent.at >= day_start_utc(self.center, self.now),
            )
            .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
            .limit(RECENT_CALLS)
        ).all()
        return [
            call_body(
                self.center,
                number,
                self._services_by_id[service_id],
                counters[counter_id],
                recall=operation == "recall",
                at=at,
            )
            for operation, at, counter_id, number, service_id in rows
            if counter_id is not None  # the IN above: always
        ]

    def counter_body(self, counter: Counter) -> st.CounterView:
        """The desk's view of its counter (staff only): state, the ticket at it, who waits
        for it (in the order call-next would take them), how many it served today, how a
        visit may end here and the finish or no-show it may still undo."""
        from .visits import card_extras, outcome_codes, undo_offer

        current = self.at_counters.get(counter.id)
        current_json = None
        if current is not None:
            called = current.first_called_at or self.now
            current_json = ticket_shaped(
                st.CurrentTicket,
                self.session,
                current,
                self.now,
                self.model,
                waited_minutes=minutes_since(current.issued_at, called),
                service_started_at=local(current.started_at, self.center),
                serving_seconds=(
                    (self.now - current.started_at).total_seconds()
                    if current.started_at is not None
                    else None
                ),
                **card_extras(self.session, current),
            )
        served = self.session.scalar(
            select(func.count()).where(
                Ticket.counter_id == counter.id,
                Ticket.day == today(self.center, self.now),  # ix_tickets_counter_day
                Ticket.status == TicketStatus.DONE,
                Ticket.finished_at >= day_start_utc(self.center, self.now),
            )
        )
        waiting, waiting_count = self.waiting_for(counter)
        return st.CounterView(
            counter=staff_counter_json(counter, current, self.now),
            current=current_json,
            waiting=waiting,
            waiting_count=waiting_count,
            served_today=served or 0,
            outcome_codes=outcome_codes(current.service if current else None),
            undo=undo_offer(self.session, counter, self.now) if current is None else None,
        )

    def waiting_for(self, counter: Counter) -> tuple[list[st.WaitingItem], int]:
        """The first WAITING_SHOWN tickets this counter would call, in order, and how many
        wait for it in all."""
        services = {s.id: s for s in self.center.services}
        tickets = self.model.tickets
        out: list[st.WaitingItem] = []
        count = 0
        for choice in self.model.calls_for(counter.id):
            count += 1
            if len(out) == WAITING_SHOWN:
                continue
            w = tickets[choice.ticket_id]
            service = services[w.service_id]
            out.append(
                st.WaitingItem(
                    number=w.number,
                    service=service.code,
                    service_name=service.name,
                    waited_minutes=minutes_since(w.queued_at, self.now),
                    priority=w.priority,  # type: ignore[arg-type]
                    booked=w.slot_start is not None,
                    reason=choice.reason.tier,
                    for_this_counter=w.counter_id == counter.id,
                )
            )
        return out, count
