"""Concurrency by construction, proven on SQLite and PostgreSQL: parallel kiosks never share
a number or leave a gap; parallel counters never get the same ticket; a retried request with
one Idempotency-Key never makes two tickets."""

import threading
from collections import Counter as Tally

import pytest

from asan_queue.models import Ticket, TicketEvent
from tests.factories import token_for

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def run_parallel(n, fn):
    """Run fn(i) in n threads released together; re-raise the first failure."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except BaseException as err:  # noqa: BLE001 - reported to the test below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    if errors:
        raise errors[0]
    return results


@BACKENDS
def test_parallel_kiosks_get_distinct_gap_free_numbers(app, world, session):
    issuers, per_issuer = 8, 20

    def kiosk(i):
        client = app.test_client()
        numbers = []
        for _ in range(per_issuer):
            res = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
            assert res.status_code == 201, res.get_json()
            numbers.append(res.get_json()["number"])
        return numbers

    numbers = [n for batch in run_parallel(issuers, kiosk) for n in batch]
    total = issuers * per_issuer
    assert len(set(numbers)) == total
    assert sorted(numbers) == [f"P{i:03d}" for i in range(1, total + 1)]
    session.rollback()  # end the old read snapshot; see what the workers committed
    assert session.query(Ticket).count() == total


@BACKENDS
def test_parallel_counters_never_share_a_ticket(app, world, session):
    client = app.test_client()
    for _ in range(40):
        assert (
            client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}).status_code
            == 201
        )
    headers = [token_for(client, f"op{i}") for i in range(1, 5)]
    for counter, h in zip(world.counters, headers, strict=True):
        assert client.post(f"/api/v1/counters/{counter.id}/open", headers=h).status_code == 200
    counter_ids = [c.id for c in world.counters]

    def desk(i):
        c = app.test_client()
        got = []
        while True:
            res = c.post(f"/api/v1/counters/{counter_ids[i]}/call-next", headers=headers[i])
            if res.status_code == 204:
                return got
            assert res.status_code == 200, res.get_json()
            got.append(res.get_json()["number"])
            assert (
                c.post(f"/api/v1/counters/{counter_ids[i]}/start", headers=headers[i]).status_code
                == 200
            )
            assert (
                c.post(f"/api/v1/counters/{counter_ids[i]}/finish", headers=headers[i]).status_code
                == 200
            )

    per_counter = run_parallel(4, desk)
    called = [n for batch in per_counter for n in batch]
    assert len(called) == 40 and len(set(called)) == 40
    assert sum(1 for batch in per_counter if batch) >= 2  # the work really was shared
    session.rollback()  # end the old read snapshot; see what the workers committed
    calls = Tally(e.ticket_id for e in session.query(TicketEvent).filter_by(operation="call"))
    assert len(calls) == 40 and set(calls.values()) == {1}


@BACKENDS
def test_retried_kiosk_requests_make_one_ticket(app, world, session):
    def retry(i):
        res = app.test_client().post(
            "/api/v1/centers/test-1/tickets",
            json={"service": "passport"},
            headers={"Idempotency-Key": "press-1"},
        )
        assert res.status_code == 201, res.get_json()
        return res.get_json()["token"]

    tokens = run_parallel(6, retry)
    assert len(set(tokens)) == 1
    session.rollback()  # end the old read snapshot; see what the workers committed
    assert session.query(Ticket).count() == 1
    # The losers' rolled-back number bumps left no gap.
    res = app.test_client().post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    assert res.get_json()["number"] == "P002"
