from datetime import UTC, datetime, timedelta

from asan_queue.domain.eta import eta_minutes, smoothing_step
from asan_queue.domain.policy import Candidate, rank

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_fair_policy_serves_started_bookings_then_priority_then_most_overdue():
    walk_in_long = Candidate(1, "P001", ago(40), target_wait_minutes=60)  # 0.67x
    walk_in_overdue = Candidate(2, "A001", ago(20), target_wait_minutes=10)  # 2.0x
    priority = Candidate(3, "P002", ago(1), 15, priority="elderly")
    booked = Candidate(4, "P003", ago(2), 15, slot_start=ago(1))
    booked_future = Candidate(5, "P004", ago(3), 15, slot_start=NOW + timedelta(minutes=30))
    order = rank([walk_in_long, walk_in_overdue, priority, booked, booked_future], NOW)
    assert [c.ticket_id for c in order] == [4, 3, 2, 1, 5]
    assert order[0].reason.startswith("booking: slot started")
    assert order[1].reason == "priority: elderly"
    assert "2.00x" in order[2].reason and "target 10" in order[2].reason


def test_overdue_ties_go_by_arrival():
    a = Candidate(10, "P010", ago(30), 15)
    b = Candidate(9, "P009", ago(30), 15)
    c = Candidate(8, "P008", ago(31), 15)
    assert [x.ticket_id for x in rank([a, b, c], NOW)] == [8, 9, 10]


def test_priority_citizens_among_themselves_by_arrival():
    late = Candidate(1, "P001", ago(1), 15, priority="veteran")
    early = Candidate(2, "P002", ago(5), 15, priority="disability")
    assert [x.ticket_id for x in rank([late, early], NOW)] == [2, 1]


def test_fifo_ignores_priority_and_targets():
    a = Candidate(1, "P001", ago(10), 60)
    b = Candidate(2, "A001", ago(5), 1, priority="elderly")
    order = rank([b, a], NOW, "fifo")
    assert [x.ticket_id for x in order] == [1, 2]
    assert all(x.reason == "fifo: earliest arrival" for x in order)


def test_eta():
    assert eta_minutes(0, 10, 2) == 0
    assert eta_minutes(3, 10, 2) == 15
    assert eta_minutes(1, 10, 0) == 10  # no counter open: assume one will
    assert smoothing_step(10, 20) == 13  # 0.3 x 20 + 0.7 x 10
    assert smoothing_step(smoothing_step(10, 20), 20) < 20
