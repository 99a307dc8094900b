"""Races on one counter and one ticket, on SQLite and PostgreSQL: requests that arrive at once
run one after another (the counter row, the operator row and the ticket row are locked), so a
counter calls one citizen at a time, a ticket moves through one state at a time, a counter has
one operator and an operator one counter. Each test runs several rounds: without the locks
PostgreSQL lets the parallel requests interleave in nearly every round."""

from collections import Counter as Tally

import pytest

from asan_queue.extensions import db
from asan_queue.models import Counter, Ticket, TicketEvent
from tests.core.test_concurrency import run_parallel
from tests.factories import token_for

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
ROUNDS = 6


def _issue(client, n):
    for _ in range(n):
        res = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
        assert res.status_code == 201, res.get_json()


def _post_all(app, urls_and_headers):
    def one(i):
        url, headers = urls_and_headers[i]
        res = app.test_client().post(url, headers=headers)
        return res.status_code, (res.get_json(silent=True) or {})

    return run_parallel(len(urls_and_headers), one)


def _fresh(session):
    session.rollback()  # end the old read snapshot; see what the workers committed
    session.expire_all()


@BACKENDS
def test_parallel_call_next_on_one_counter_calls_one_citizen(app, world, session):
    client = app.test_client()
    _issue(client, 4 * ROUNDS)
    h = token_for(client, "op1")
    cid = world.counters[0].id
    assert client.post(f"/api/v1/counters/{cid}/open", headers=h).status_code == 200
    for _ in range(ROUNDS):
        answers = _post_all(app, [(f"/api/v1/counters/{cid}/call-next", h)] * 4)
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409, 409, 409], answers
        assert {body["error"]["code"] for s, body in answers if s == 409} == {"ticket_at_counter"}
        _fresh(session)
        at_counter = session.query(Ticket).filter_by(counter_id=cid, status="called").all()
        assert len(at_counter) == 1
        called_number = next(body["number"] for s, body in answers if s == 200)
        assert at_counter[0].number == called_number
        assert client.post(f"/api/v1/counters/{cid}/no-show", headers=h).status_code == 200
    _fresh(session)
    called = Tally(e.ticket_id for e in session.query(TicketEvent).filter_by(operation="call"))
    assert len(called) == ROUNDS and set(called.values()) == {1}


@BACKENDS
def test_parallel_recall_and_no_show_keep_one_story(app, world, session):
    client = app.test_client()
    _issue(client, ROUNDS)
    h = token_for(client, "op1")
    cid = world.counters[0].id
    max_calls = world.center.max_calls
    assert client.post(f"/api/v1/counters/{cid}/open", headers=h).status_code == 200
    for _ in range(ROUNDS):
        res = client.post(f"/api/v1/counters/{cid}/call-next", headers=h)
        assert res.status_code == 200, res.get_json()
        token = res.get_json()["token"]
        recall, no_show = f"/api/v1/counters/{cid}/recall", f"/api/v1/counters/{cid}/no-show"
        answers = _post_all(app, [(recall, h), (recall, h), (no_show, h), (recall, h)])
        assert all(s in (200, 409) for s, _ in answers), answers
        _fresh(session)
        ticket = session.query(Ticket).filter_by(token=token).one()
        assert ticket.status == "no_show"
        story = (
            session.query(TicketEvent)
            .filter_by(ticket_id=ticket.id)
            .order_by(TicketEvent.at, TicketEvent.id)
            .all()
        )
        operations = [e.operation for e in story]
        # Nothing happens to a ticket after its no-show; every logged step starts where the
        # one before it ended.
        assert operations[-1] == "no_show", operations
        assert operations.count("no_show") == 1, operations
        for before, after in zip(story, story[1:], strict=False):
            assert after.from_status == before.to_status, operations
        recalls = operations.count("recall")
        assert ticket.call_count == 1 + recalls
        assert ticket.call_count <= max_calls


@BACKENDS
def test_two_operators_opening_one_counter_one_wins(app, world, session):
    client = app.test_client()
    headers = [token_for(client, "op1"), token_for(client, "op2")]
    for n in range(ROUNDS):
        cid = world.counters[n % 4].id
        answers = _post_all(app, [(f"/api/v1/counters/{cid}/open", h) for h in headers])
        statuses = sorted(s for s, _ in answers)
        assert statuses == [200, 409], answers
        winner_index = [s for s, _ in answers].index(200)
        winner = headers[winner_index]
        _fresh(session)
        holder = db.session.get(Counter, cid).operator
        assert holder is not None and holder.username == f"op{winner_index + 1}"
        assert answers[1 - winner_index][1]["error"]["code"] == "counter_taken"
        assert client.post(f"/api/v1/counters/{cid}/close", headers=winner).status_code == 200


@BACKENDS
def test_one_operator_opening_two_counters_holds_one(app, world, session):
    client = app.test_client()
    h = token_for(client, "op1")
    user_id = world.operators[0].id
    for n in range(ROUNDS):
        first, second = world.counters[n % 4].id, world.counters[(n + 1) % 4].id
        urls = [f"/api/v1/counters/{first}/open", f"/api/v1/counters/{second}/open"]
        answers = _post_all(app, [(url, h) for url in urls])
        statuses = sorted(s for s, _ in answers)
        assert statuses == [200, 409], answers
        _fresh(session)
        held = session.query(Counter).filter_by(operator_id=user_id).all()
        assert len(held) == 1
        assert client.post(f"/api/v1/counters/{held[0].id}/close", headers=h).status_code == 200
