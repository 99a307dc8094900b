"""The call policies and the queue model on hand-built halls with known answers."""

from datetime import UTC, datetime, timedelta

import pytest

from asan_queue.domain.eta import (
    ALPHA,
    PRIOR_VISITS,
    learning_rate,
    smoothing_step,
    spread_step,
)
from asan_queue.domain.policy import POLICIES, Waiting, get_policy
from asan_queue.domain.queue import (
    BREAK_MINUTES,
    NO_COUNTER,
    PAST_CLOSING,
    WALK_MINUTES,
    CounterView,
    Hall,
    QueueModel,
    ServiceTimes,
    eta_range,
)

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 12:00 in Baku
P, A = 1, 2  # service ids


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def later(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def model(
    waiting: list[Waiting],
    counters: list[CounterView] | None = None,
    *,
    policy: str = "fair",
    minutes: float = 10,
    spread: float = 0,
    periods: tuple[tuple[datetime, datetime], ...] = (),
) -> QueueModel:
    counters = counters if counters is not None else [CounterView(1, 1, "open", frozenset({P, A}))]
    times = {s: ServiceTimes(s, 15, minutes, spread) for s in (P, A)}
    return QueueModel(Hall(policy, waiting, counters, times, periods), NOW)


def ids(choices) -> list[int]:
    return [c.ticket_id for c in choices]


def test_fair_policy_serves_started_bookings_then_priority_then_most_overdue():
    walk_in_long = Waiting(1, "P001", P, ago(40), target_wait_minutes=60)  # 0.67x
    walk_in_overdue = Waiting(2, "A001", A, ago(20), target_wait_minutes=10)  # 2.0x
    priority = Waiting(3, "P002", P, ago(1), 15, priority="elderly")
    booked = Waiting(4, "P003", P, ago(2), 15, slot_start=ago(1))
    booked_future = Waiting(5, "P004", P, ago(3), 15, slot_start=later(30))
    m = model([walk_in_long, walk_in_overdue, priority, booked, booked_future])
    order = list(m.calls({P, A}))
    # The future booking waits like any walk-in until its slot: 3 min of 15 is 0.2x.
    assert ids(order) == [4, 3, 2, 1, 5]
    assert order[0].reason.tier == "booking" and order[0].reason.slot_start == ago(1)
    assert order[0].reason.text.startswith("booking: slot started")
    assert order[1].reason.text == "priority: elderly"
    assert order[2].reason.tier == "overdue" and order[2].reason.ratio == pytest.approx(2.0)
    assert "2.00x" in order[2].reason.text and "target 10" in order[2].reason.text
    assert order[2].reason.data() == {
        "tier": "overdue",
        "waited_minutes": 20,
        "ratio": 2.0,
        "slot": None,
    }


def test_overdue_ties_go_by_arrival():
    a = Waiting(10, "P010", P, ago(30), 15)
    b = Waiting(9, "P009", P, ago(30), 15)
    c = Waiting(8, "P008", P, ago(31), 15)
    assert ids(model([a, b, c]).calls({P})) == [8, 9, 10]


def test_priority_citizens_among_themselves_by_arrival():
    late = Waiting(1, "P001", P, ago(1), 15, priority="veteran")
    early = Waiting(2, "P002", P, ago(5), 15, priority="disability")
    assert ids(model([late, early]).calls({P})) == [2, 1]


def test_fifo_ignores_priority_and_targets():
    a = Waiting(1, "P001", P, ago(10), 60)
    b = Waiting(2, "A001", A, ago(5), 1, priority="elderly")
    order = list(model([b, a], policy="fifo").calls({P, A}))
    assert ids(order) == [1, 2]
    assert all(x.reason.text == "fifo: earliest arrival" for x in order)


def test_policies_are_a_registry():
    assert set(POLICIES) >= {"fair", "fifo"}
    assert get_policy("fifo").summary
    with pytest.raises(ValueError):
        get_policy("random")


def test_positions_are_per_service_in_call_order_and_match_the_counter_list():
    walk_in = Waiting(1, "P001", P, ago(10), 15)
    booked = Waiting(2, "P002", P, ago(5), 15, slot_start=ago(1))
    other = Waiting(3, "A001", A, ago(30), 15)
    m = model([walk_in, booked, other])
    # The booked P002 is called before the walk-in P001, so it is shown first (issue 8).
    assert m.order(P) == [2, 1]
    assert (m.place(2).position, m.place(2).people_ahead) == (1, 0)
    assert (m.place(1).position, m.place(1).people_ahead) == (2, 1)
    assert m.place(3).position == 1
    assert m.next_for(1).ticket_id == 2
    assert m.place(99) is None


def test_eta_of_one_idle_counter_is_walk_plus_service_per_ticket_ahead():
    tickets = [Waiting(i, f"P00{i}", P, ago(10 - i), 15) for i in (1, 2, 3)]
    m = model(tickets)
    per_visit = WALK_MINUTES + 10
    assert [m.eta(i).minutes for i in (1, 2, 3)] == [0, round(per_visit), round(2 * per_visit)]
    # A walk-in taking a ticket now comes after all three.
    assert m.arrival_eta(P).minutes == round(3 * per_visit)
    assert m.eta(1).status == "estimate"


def test_eta_counts_the_visit_in_progress():
    serving = CounterView(
        1, 1, "open", frozenset({P}), busy_service_id=P, busy_since=ago(4), busy_started=True
    )
    m = model([Waiting(1, "P001", P, ago(3), 15)], [serving])
    assert m.eta(1).minutes == 6  # 10 planned minutes, 4 gone


def test_a_visit_past_its_expected_length_still_takes_a_share_of_it():
    serving = CounterView(
        1, 1, "open", frozenset({P}), busy_service_id=P, busy_since=ago(30), busy_started=True
    )
    m = model([Waiting(1, "P001", P, ago(3), 15)], [serving])
    assert m.eta(1).minutes == round(0.25 * 10)


def test_two_counters_share_the_line():
    counters = [
        CounterView(1, 1, "open", frozenset({P})),
        CounterView(2, 2, "open", frozenset({P})),
    ]
    tickets = [Waiting(i, f"P00{i}", P, ago(10 - i), 15) for i in (1, 2, 3, 4)]
    m = model(tickets, counters)
    assert [m.eta(i).minutes for i in (1, 2, 3, 4)] == [0, 0, 11, 11]
    assert m.open_counters(P) == 2


def test_no_counter_open_gives_no_figure_and_says_when_the_center_opens():
    opens = later(60)
    periods = ((opens, later(600)),)
    closed = [CounterView(1, 1, "closed", frozenset({P}))]
    m = model([Waiting(1, "P001", P, ago(3), 15)], closed, periods=periods)
    eta = m.eta(1)
    assert eta.status == NO_COUNTER and eta.minutes is None and eta.low is None
    assert eta.opens_at == opens
    assert m.arrival_eta(P).status == NO_COUNTER
    # During opening hours there is no opening time to give.
    open_now = model([], closed, periods=((ago(60), later(60)),))
    assert open_now.arrival_eta(P).opens_at is None


def test_a_paused_counter_is_expected_back_after_a_break():
    paused = CounterView(1, 1, "paused", frozenset({P}), state_since=ago(5))
    m = model([Waiting(1, "P001", P, ago(3), 15)], [paused])
    assert m.eta(1).minutes == round(BREAK_MINUTES - 5)
    assert m.open_counters(P) == 0


def test_the_projection_skips_a_lunch_break_and_flags_a_call_after_closing():
    periods = ((ago(180), later(5)), (later(65), later(120)))
    tickets = [Waiting(i, f"P00{i}", P, ago(10 - i), 15) for i in (1, 2)]
    m = model(tickets, periods=periods)
    assert m.eta(1).minutes == 0
    assert m.eta(2).minutes == 65  # free at +11, in the break: called when it ends
    late = model(tickets, periods=((ago(180), later(5)),))
    assert late.eta(2).status == PAST_CLOSING


def test_eta_range_widens_with_the_spread_of_visits_ahead():
    tickets = [Waiting(i, f"P{i:03d}", P, ago(30 - i), 15) for i in range(1, 6)]
    m = model(tickets, spread=3)
    first, fifth = m.eta(1), m.eta(5)
    assert (first.low, first.high) == (0, 1)
    assert fifth.low < fifth.minutes < fifth.high
    assert fifth.high - fifth.low >= 2 * 3 * 2 - 1  # sqrt(4) visits x 3 min spread, either side
    assert eta_range(0, 0) == (0, 1)
    assert eta_range(12, 0) == (12, 14)


def test_running_service_figures():
    assert smoothing_step(10, 20, 0.3) == 13  # 0.3 x 20 + 0.7 x 10
    assert smoothing_step(smoothing_step(10, 20), 20) < 20
    assert spread_step(4, 10, 20, 0.3) == pytest.approx(0.3 * 10 + 0.7 * 4)


def test_the_first_visits_of_a_day_are_a_running_mean_with_the_plan():
    # The plan (10) counts as PRIOR_VISITS visits: after one visit of 20 the figure moves a
    # fifth of the way, after four visits of 20 it is halfway, and later visits weigh ALPHA.
    figure = 10.0
    for visits in range(PRIOR_VISITS):
        figure = smoothing_step(figure, 20, learning_rate(visits))
    assert figure == pytest.approx(15)
    assert learning_rate(0) == pytest.approx(1 / (PRIOR_VISITS + 1))
    assert learning_rate(1000) == ALPHA


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        QueueModel(Hall("fair", [], [], {}), datetime(2026, 11, 30, 8, 0))
