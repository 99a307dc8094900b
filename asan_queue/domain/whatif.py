"""What-if for supervisors: the queue model's own projection, run once on the hall as it is
and once with a change of staffing from now (one more counter serving a service, or an
existing counter also serving it), so the dashboard can say "if one more counter serves
Passport from now, the longest wait drops from X to Y minutes". Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .queue import CounterView, Hall, QueueModel

# Counter ids the hall's real counters never have.
EXTRA_BASE = -1
# The most extra counters one question may add.
MAX_EXTRA_COUNTERS = 10


@dataclass(frozen=True)
class Outlook:
    """A service's waiting tickets as the projection sees them."""

    waiting: int
    unserved: int  # waiting tickets no counter can call (none open for the service)
    longest_wait_minutes: int | None  # the longest total wait (queued to call) among them
    over_target: int  # how many are projected to be called after their target wait
    cleared_at: datetime | None  # when the last of them is projected to be called
    hall_longest_wait_minutes: int | None  # the longest among every service's tickets


@dataclass(frozen=True)
class WhatIf:
    before: Outlook
    after: Outlook


def outlook(model: QueueModel, service_id: int) -> Outlook:
    """The projected waits of `service_id`'s waiting tickets in `model`."""
    waits: list[float] = []
    hall: list[float] = []
    over = unserved = 0
    cleared: datetime | None = None
    for w in model.hall.waiting:
        at = model.projected_call(w.ticket_id)
        if at is None:
            unserved += w.service_id == service_id
            continue
        total = max((at - w.queued_at).total_seconds() / 60, 0.0)
        hall.append(total)
        if w.service_id != service_id:
            continue
        waits.append(total)
        over += total > w.target_wait_minutes
        cleared = at if cleared is None else max(cleared, at)
    return Outlook(
        waiting=model.waiting_count(service_id),
        unserved=unserved,
        longest_wait_minutes=round(max(waits)) if waits else None,
        over_target=over,
        cleared_at=cleared,
        hall_longest_wait_minutes=round(max(hall)) if hall else None,
    )


def with_counter(
    hall: Hall, service_id: int, counter_id: int | None = None, count: int = 1
) -> Hall:
    """The hall with `count` more open counters serving only `service_id` from now, or, with
    `counter_id`, with that counter also serving it (and open, if it was closed)."""
    counters = list(hall.counters)
    if counter_id is not None:
        counters = [
            replace(
                c,
                service_ids=c.service_ids | {service_id},
                state="open" if c.state == "closed" else c.state,
            )
            if c.counter_id == counter_id
            else c
            for c in counters
        ]
    else:
        top = max((c.number for c in counters), default=0)
        counters += [
            CounterView(EXTRA_BASE - n, top + 1 + n, "open", frozenset({service_id}))
            for n in range(count)
        ]
    return replace(hall, counters=counters)


def what_if(
    hall: Hall,
    now: datetime,
    service_id: int,
    *,
    counter_id: int | None = None,
    count: int = 1,
) -> WhatIf:
    """The service's outlook now and with the change (see with_counter)."""
    before = outlook(QueueModel(hall, now), service_id)
    changed = with_counter(hall, service_id, counter_id, count)
    return WhatIf(before, outlook(QueueModel(changed, now), service_id))
