"""Property-based: tickets put first and tickets waiting for one counter (a transfer to a
counter, the return of a multi-step visit) live in the one queue model's lanes, and for
every hall and policy:
- each counter calls exactly the tickets of the services it serves that wait for no one in
  particular, plus those waiting for it alone, each once;
- a ticket waiting for one counter is never called by another;
- a ticket put first is called before every ticket that was not;
- among the tickets of one service that wait for anyone, a counter calls them in the order
  of their positions;
- the ETA projection gives a time to every ticket some open counter can call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from asan_queue.domain.policy import POLICIES, Waiting
from asan_queue.domain.queue import CounterView, Hall, QueueModel, ServiceTimes

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
SERVICES = (1, 2, 3)

tickets = st.lists(
    st.tuples(
        st.sampled_from(SERVICES),
        st.integers(0, 90),  # waited minutes
        st.booleans(),  # priority
        st.booleans(),  # first
        st.none() | st.none() | st.integers(1, 3),  # waits for this counter
    ),
    max_size=15,
)
counters = st.lists(st.sets(st.sampled_from(SERVICES), min_size=0), min_size=3, max_size=3)


def hall(policy: str, specs: list, served: list[set[int]]) -> QueueModel:
    waiting = [
        Waiting(
            n,
            f"T{n:03d}",
            service,
            NOW - timedelta(minutes=minutes, seconds=n),
            15,
            priority="elderly" if priority else None,
            counter_id=target,
            first=first,
        )
        for n, (service, minutes, priority, first, target) in enumerate(specs, start=1)
    ]
    views = [CounterView(i, i, "open", frozenset(s)) for i, s in enumerate(served, start=1)]
    times = {s: ServiceTimes(s, 15, 10.0, 3.0) for s in SERVICES}
    periods = [(NOW - timedelta(hours=1), NOW + timedelta(hours=8))]
    return QueueModel(Hall(policy, waiting, views, times, periods), NOW)


@settings(max_examples=200, deadline=None)
@given(policy=st.sampled_from(sorted(POLICIES)), specs=tickets, served=counters)
def test_targeted_and_first_tickets_keep_one_order(policy, specs, served) -> None:
    model = hall(policy, specs, served)
    for counter_id, services in enumerate(served, start=1):
        calls = [c.ticket_id for c in model.calls_for(counter_id)]
        assert len(calls) == len(set(calls))
        expected = {
            w.ticket_id
            for w in model.hall.waiting
            if w.counter_id == counter_id or (w.counter_id is None and w.service_id in services)
        }
        assert set(calls) == expected
        flags = [model.tickets[t].first for t in calls]
        assert flags == sorted(flags, reverse=True), "put first comes before the rest"
        for service in services:
            mine = [t for t in calls if model.tickets[t].service_id == service]
            anyone = [t for t in mine if model.tickets[t].counter_id is None]
            order = [t for t in model.order(service) if t in set(anyone)]
            assert anyone == order
    for w in model.hall.waiting:
        callable_by = [
            i
            for i, services in enumerate(served, start=1)
            if w.counter_id == i or (w.counter_id is None and w.service_id in services)
        ]
        assert (model.projected_call(w.ticket_id) is not None) == bool(callable_by)
        place = model.place(w.ticket_id)
        assert place is not None and place.position >= 1
