"""The ETA projection on hand-built halls with known answers: one or two counters, visits of
known length, bookings due and priority citizens expected in the coming hour; and the
supervisors' what-if on the same projection."""

from datetime import UTC, datetime, timedelta

import pytest

from asan_queue.domain.expected import BookingRow, expected_arrivals, show_rate
from asan_queue.domain.policy import Waiting
from asan_queue.domain.queue import (
    EXPECTED_BASE,
    WALK_MINUTES,
    CounterView,
    Expected,
    Hall,
    QueueModel,
    ServiceTimes,
    remaining_minutes,
)
from asan_queue.domain.whatif import what_if

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
P, A = 1, 2
VISIT = WALK_MINUTES + 10  # every visit: walk up, then 10 minutes at the counter


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def model(waiting, *, expected=(), counters=None, policy="fair") -> QueueModel:
    counters = counters or [CounterView(1, 1, "open", frozenset({P, A}))]
    times = {s: ServiceTimes(s, 15, 10, 0) for s in (P, A)}
    return QueueModel(Hall(policy, waiting, counters, times, (), tuple(expected)), NOW)


def minutes_to_call(m: QueueModel, ticket_id: int) -> float:
    call = m.projected_call(ticket_id)
    assert call is not None
    return (call - NOW).total_seconds() / 60


def regular(n: int, waited: float, service: int = P) -> Waiting:
    return Waiting(n, f"P{n:03d}", service, at(-waited), 15)


def booking_due(in_minutes: float, weight: float = 1.0) -> Expected:
    slot = at(in_minutes)
    return Expected(Waiting(EXPECTED_BASE, "", P, slot, 15, slot_start=slot), weight)


def test_a_booking_due_soon_takes_the_counter_before_the_second_ticket():
    m = model([regular(1, 2), regular(2, 1)], expected=[booking_due(5)])
    # Free now: ticket 1 (the booking is not here yet); free at +11: the booking (its slot
    # started at +5) goes first under `fair`; ticket 2 after it.
    assert minutes_to_call(m, 1) == 0
    assert minutes_to_call(m, 2) == pytest.approx(2 * VISIT)
    assert m.eta(2).minutes == round(2 * VISIT)


def test_a_booking_that_may_not_come_counts_for_its_chance():
    m = model([regular(1, 2), regular(2, 1)], expected=[booking_due(5, weight=0.5)])
    assert minutes_to_call(m, 2) == pytest.approx(VISIT + 0.5 * VISIT)


def test_fifo_calls_present_tickets_before_anyone_expected():
    m = model([regular(1, 2), regular(2, 1)], expected=[booking_due(5)], policy="fifo")
    assert minutes_to_call(m, 2) == pytest.approx(VISIT)


def test_an_idle_counter_waits_for_an_expected_priority_citizen_then_goes_on():
    priority = Expected(Waiting(EXPECTED_BASE, "", P, at(4), 15, priority="expected"), 1.0)
    m = model([], expected=[priority])
    # A walk-in taking a ticket now: called at once (the counter is free and nobody is in
    # the hall before them), the expected citizen comes later.
    assert m.arrival_eta(P).minutes == 0
    busy = CounterView(
        1, 1, "open", frozenset({P}), busy_service_id=P, busy_since=at(-7), busy_started=True
    )
    m = model([regular(1, 1)], expected=[priority], counters=[busy])
    # Free at +3, the expected citizen is not here before +4: ticket 1 at +3.
    assert minutes_to_call(m, 1) == pytest.approx(3)
    # Free at +5 instead: the priority citizen (here at +4) goes first.
    busy5 = CounterView(
        1, 1, "open", frozenset({P}), busy_service_id=P, busy_since=at(-5), busy_started=True
    )
    m = model([regular(1, 1)], expected=[priority], counters=[busy5])
    assert minutes_to_call(m, 1) == pytest.approx(5 + VISIT)


def test_a_priority_citizen_expected_before_the_counter_is_free_goes_first_under_fair():
    priority = Expected(Waiting(EXPECTED_BASE, "", P, at(4), 15, priority="expected"), 0.5)
    m = model([regular(1, 5), regular(2, 4)], expected=[priority])
    assert minutes_to_call(m, 1) == 0
    assert minutes_to_call(m, 2) == pytest.approx(VISIT + 0.5 * VISIT)
    fifo = model([regular(1, 5), regular(2, 4)], expected=[priority], policy="fifo")
    assert minutes_to_call(fifo, 2) == pytest.approx(VISIT)


def test_expected_arrivals_of_the_coming_hour():
    # Two bookings due (one within the hour), one lapsed, one past without a show; three
    # priority tickets of P in the last 30 minutes of opening.
    rows = [
        BookingRow(P, 15, at(20), "booked"),
        BookingRow(P, 15, at(90), "booked"),
        BookingRow(P, 15, at(-40), "booked"),  # check-in closed 30 minutes ago: missed
        BookingRow(P, 15, at(-60), "checked_in"),
        BookingRow(A, 15, at(-5), "booked"),  # may still check in (10 minutes after)
    ]
    rate = show_rate(rows, NOW, 10)
    assert rate == pytest.approx((1 + 0.71 * 5) / (2 + 5))
    out = expected_arrivals(
        rows, {P: 3}, {P: 15, A: 20}, now=NOW, opened_at=at(-30), checkin_after_minutes=10
    )
    bookings = [e for e in out if e.ticket.slot_start is not None]
    assert sorted((e.ticket.service_id, e.ticket.queued_at) for e in bookings) == [
        (P, at(20)),
        (A, NOW),
    ]
    assert all(e.weight == pytest.approx(rate) for e in bookings)
    priority = [e for e in out if e.ticket.priority]
    assert len(priority) == 4 and {e.ticket.service_id for e in priority} == {P}
    # 3 in 30 minutes: six expected in the coming hour, in four steps of 15 minutes.
    assert sum(e.weight for e in priority) == pytest.approx(6)
    assert len({e.ticket.ticket_id for e in out}) == len(out)
    too_early = expected_arrivals(
        rows, {P: 3}, {P: 15}, now=NOW, opened_at=at(-5), checkin_after_minutes=10
    )
    assert not [e for e in too_early if e.ticket.priority]


def test_what_if_one_more_counter_serves_the_service():
    tickets = [regular(n, 10 - n) for n in range(1, 5)]  # four waiting, 9..6 minutes ago
    hall = Hall(
        "fair",
        tickets,
        [CounterView(1, 1, "open", frozenset({P}))],
        {P: ServiceTimes(P, 15, 10, 0)},
    )
    result = what_if(hall, NOW, P)
    # One counter: the fourth is called at +33 after waiting 6 minutes: 39 in all. Two: the
    # fourth is called at +11 (7 + 11 = 18 for the third, 6 + 11 = 17 for the fourth).
    assert result.before.longest_wait_minutes == round(6 + 3 * VISIT)
    assert result.after.longest_wait_minutes == round(7 + VISIT)
    assert result.before.over_target == 3 and result.after.over_target == 2
    assert result.before.cleared_at == at(3 * VISIT)
    assert result.after.cleared_at == at(VISIT)
    # An existing counter that also takes the service does the same.
    hall2 = Hall(
        "fair",
        tickets,
        [CounterView(1, 1, "open", frozenset({P})), CounterView(2, 2, "closed", frozenset({A}))],
        {P: ServiceTimes(P, 15, 10, 0), A: ServiceTimes(A, 15, 10, 0)},
    )
    assert what_if(hall2, NOW, P, counter_id=2).after == result.after


def test_what_if_with_no_counter_open_says_so():
    hall = Hall("fair", [regular(1, 5)], [], {P: ServiceTimes(P, 15, 10, 0)})
    result = what_if(hall, NOW, P)
    assert result.before.longest_wait_minutes is None and result.before.unserved == 1
    assert result.after.longest_wait_minutes == 5 and result.after.unserved == 0


def test_a_counter_pauses_for_the_break_of_its_rota_once_its_visit_is_over():
    busy = CounterView(
        1,
        1,
        "open",
        frozenset({P}),
        busy_service_id=P,
        busy_since=at(-1),
        busy_started=True,
        state_since=at(-60),
        breaks=((at(5), 30.0),),
    )
    m = model([regular(1, 1), regular(2, 0.5)], counters=[busy])
    # The visit ends at +9, the break fell due at +5: 30 minutes off, then ticket 1, then 2.
    assert minutes_to_call(m, 1) == pytest.approx(9 + 30)
    assert minutes_to_call(m, 2) == pytest.approx(9 + 30 + VISIT)


def test_a_break_taken_is_not_taken_again_and_lasts_as_the_rota_says():
    paused = CounterView(
        1,
        1,
        "paused",
        frozenset({P}),
        state_since=at(-10),
        breaks=((at(-12), 30.0), (at(200), 10.0)),
    )
    m = model([regular(1, 5)], counters=[paused])
    assert minutes_to_call(m, 1) == pytest.approx(20)  # back 30 minutes after it began
    opened = CounterView(
        1, 1, "open", frozenset({P}), state_since=at(-1), breaks=((at(-12), 30.0),)
    )
    m = model([regular(1, 5)], counters=[opened])
    assert minutes_to_call(m, 1) == 0  # the 30 minutes were taken before it opened


def test_a_skewed_visit_that_has_run_long_has_more_left_than_mean_minus_elapsed():
    times = ServiceTimes(P, 15, 6.0, 2.0)
    assert remaining_minutes(times, 0) == pytest.approx(6.0)
    left = [remaining_minutes(times, e) for e in (1, 3, 6, 9, 12)]
    assert left[0] < 6.0 and left[:3] == sorted(left[:3], reverse=True)
    assert left[1] > 6.0 - 3  # already more than "mean - elapsed"
    assert 1.5 < left[3] and left[4] > 0.25 * 6.0  # past the mean: still minutes to go
    # With no spread the visit takes its mean: what is left is the mean less the elapsed.
    assert remaining_minutes(ServiceTimes(P, 15, 6.0, 0.0), 2) == pytest.approx(4.0, abs=0.01)
