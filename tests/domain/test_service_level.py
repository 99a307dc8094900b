"""The service-level policy (`sla`): priority first, those who can still make their target
before those who cannot, and nobody left behind: rules that must hold in every hall."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from asan_queue.domain.policy import ServiceLevel, Waiting
from asan_queue.domain.queue import CounterView, Hall, QueueModel, ServiceTimes

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
P, A = 1, 2
TARGETS = {P: 15, A: 20}
AGED = ServiceLevel.aged_share


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def model(waiting: list[Waiting]) -> QueueModel:
    counters = [CounterView(1, 1, "open", frozenset({P, A}))]
    times = {s: ServiceTimes(s, t, 10, 0) for s, t in TARGETS.items()}
    return QueueModel(Hall("sla", waiting, counters, times), NOW)


def order(waiting: list[Waiting]) -> list[int]:
    return [c.ticket_id for c in model(waiting).calls({P, A})]


def test_booked_then_priority_then_those_who_can_still_make_their_target():
    booked = Waiting(1, "P001", P, ago(2), 15, slot_start=ago(1))
    priority = Waiting(2, "P002", P, ago(1), 15, priority="elderly")
    missed = Waiting(3, "A001", A, ago(25), 20)  # past its target of 20, not yet twice
    makeable = Waiting(4, "P003", P, ago(10), 15)  # 5 minutes left
    fresh = Waiting(5, "P004", P, ago(1), 15)  # behind P003 in its own line
    assert order([fresh, makeable, missed, priority, booked]) == [1, 2, 4, 5, 3]
    reasons = {c.ticket_id: c.reason for c in model([missed, makeable]).calls({P, A})}
    assert reasons[4].tier == "due" and "can still make its target" in reasons[4].text
    assert reasons[3].tier == "overdue" and reasons[3].data()["ratio"] == 1.25


def test_a_ticket_that_waited_long_goes_before_priority_citizens():
    aged = Waiting(1, "P001", P, ago(AGED * 15 + 3), 15)  # aged 3 minutes ago
    earlier = Waiting(2, "A001", A, ago(5), 20, priority="disability")
    later = Waiting(3, "A002", A, ago(1), 20, priority="veteran")
    assert order([later, aged, earlier]) == [1, 2, 3]
    reason = next(model([aged]).calls({P})).reason
    assert reason.tier == "aged" and reason.ratio is not None and reason.ratio > AGED
    # The long-waiting among themselves: in the order they got there.
    older = Waiting(4, "A003", A, ago(AGED * 20 + 10), 20)  # aged 10 minutes ago
    assert order([aged, older]) == [4, 1]


def test_within_a_service_regular_tickets_keep_their_arrival_order():
    tickets = [Waiting(n, f"P{n:03d}", P, ago(40 - 3 * n), 15) for n in range(1, 8)]
    assert order(list(reversed(tickets))) == [1, 2, 3, 4, 5, 6, 7]


waiting_tickets = st.lists(
    st.tuples(
        st.sampled_from([P, A]),
        st.integers(0, 120),  # waited minutes
        st.booleans(),  # priority
    ),
    min_size=1,
    max_size=15,
)


def tickets_of(specs: list[tuple[int, int, bool]]) -> list[Waiting]:
    return [
        Waiting(
            n,
            f"X{n:03d}",
            service,
            ago(minutes + n / 100),
            TARGETS[service],
            priority="elderly" if prio else None,
        )
        for n, (service, minutes, prio) in enumerate(specs, start=1)
    ]


@settings(deadline=None)  # the machine is shared: time is no part of these rules
@given(waiting_tickets)
def test_every_ticket_is_called_once(specs: list[tuple[int, int, bool]]) -> None:
    tickets = tickets_of(specs)
    called = order(tickets)
    assert sorted(called) == sorted(w.ticket_id for w in tickets)


@settings(deadline=None)  # the machine is shared: time is no part of these rules
@given(waiting_tickets)
def test_the_long_waiting_go_first_in_the_order_they_got_there(
    specs: list[tuple[int, int, bool]],
) -> None:
    tickets = tickets_of(specs)
    by_id = {w.ticket_id: w for w in tickets}

    def aged_at(w: Waiting) -> datetime:
        return w.queued_at + timedelta(minutes=AGED * w.target_wait_minutes)

    called = [by_id[t] for t in order(tickets)]
    aged = [w for w in called if aged_at(w) <= NOW]
    assert called[: len(aged)] == aged  # no one passes a ticket that waited that long
    assert [aged_at(w) for w in aged] == sorted(aged_at(w) for w in aged)


@settings(deadline=None)  # the machine is shared: time is no part of these rules
@given(waiting_tickets)
def test_priority_citizens_go_before_every_regular_ticket_that_has_not_aged(
    specs: list[tuple[int, int, bool]],
) -> None:
    tickets = tickets_of(specs)
    by_id = {w.ticket_id: w for w in tickets}
    called = order(tickets)
    seen_young_regular = False
    for tid in called:
        w = by_id[tid]
        aged_at = w.queued_at + timedelta(minutes=AGED * w.target_wait_minutes)
        if w.priority and aged_at > NOW:
            assert not seen_young_regular
        elif not w.priority and aged_at > NOW:
            seen_young_regular = True
