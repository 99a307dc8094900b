"""Supervisor controls through the API (each recorded with who and why), an operator of one
center reaching nothing of another, and multi-step visits that come back to their first
counter with their number and arrival time, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from asan_queue.models import CounterEvent, Ticket, TicketEvent
from tests.factories import token_for

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def issue(client: Any, service: str = "passport", slug: str = "test-1") -> dict[str, Any]:
    res = client.post(f"/api/v1/centers/{slug}/tickets", json={"service": service})
    assert res.status_code == 201
    return res.get_json()


def post(client: Any, path: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1{path}", json=body, headers=headers)


@pytest.fixture
def sup(client: Any, world: Any) -> dict[str, str]:
    return token_for(client, "super")


@pytest.fixture
def op1(client: Any, world: Any) -> dict[str, str]:
    return token_for(client, "op1")


def events_of(session: Any, number: str) -> list[TicketEvent]:
    session.expire_all()
    ticket = session.query(Ticket).filter_by(number=number).one()
    return list(ticket.events)


@BACKENDS
def test_open_pause_close_a_counter_without_taking_it(world, client, sup, session):
    c2 = world.counters[1]
    base = f"/supervise/counters/{c2.id}/state"
    opened = post(client, base, sup, state="open", reason="rush hour")
    assert opened.status_code == 200, opened.get_json()
    assert (opened.get_json()["state"], opened.get_json()["operator"]) == ("open", None)
    refused = post(client, base, sup, state="paused", reason="lunch")  # no code
    assert refused.get_json()["error"]["code"] == "invalid_pause_code"
    paused = post(client, base, sup, state="paused", code="technical", reason="printer")
    assert paused.get_json()["pause_code"] == "technical"
    assert post(client, base, sup, state="closed", reason="end").get_json()["state"] == "closed"
    assert post(client, base, sup, state="open", reason=" ").status_code == 422
    session.expire_all()
    log = session.query(CounterEvent).filter_by(counter_id=c2.id).order_by(CounterEvent.id).all()
    assert [(e.operation, e.reason, e.actor_id) for e in log] == [
        ("open", "rush hour", world.supervisor.id),
        ("paused", "printer", world.supervisor.id),
        ("closed", "end", world.supervisor.id),
    ]


def test_an_operator_opened_counter_keeps_its_operator_when_paused_remotely(
    world, client, sup, op1
):
    c1 = world.counters[0]
    post(client, f"/counters/{c1.id}/open", op1)
    paused = post(
        client,
        f"/supervise/counters/{c1.id}/state",
        sup,
        state="paused",
        code="training",
        reason="briefing",
    )
    assert paused.get_json()["operator"]["username"] == "op1"


def test_services_of_today_change_what_a_counter_calls(world, client, sup, op1, clock):
    c1 = world.counters[0]  # passport + id-card
    notary = issue(client, "notary")
    issue(client, "passport")
    path = f"/supervise/counters/{c1.id}/services"
    changed = post(client, path, sup, services=["notary"], reason="notary queue is long")
    assert changed.get_json()["today_services"] == ["notary"]
    empty = post(client, path, sup, services=[], reason="x")
    assert empty.status_code == 422
    assert empty.get_json()["error"]["code"] == "missing_field"
    post(client, f"/counters/{c1.id}/open", op1)
    called = post(client, f"/counters/{c1.id}/call-next", op1).get_json()
    assert called["number"] == notary["number"]
    post(client, f"/counters/{c1.id}/no-show", op1)
    # The next local day the override lapses by itself.
    clock.advance(days=1)
    fresh = token_for(client, "super")
    again = client.get("/api/v1/supervise/test-1", headers=fresh).get_json()
    assert next(c for c in again["counters"] if c["id"] == c1.id)["today_services"] is None


@BACKENDS
def test_ticket_controls_record_who_and_why(world, client, sup, op1, session):
    a = issue(client)
    b = issue(client)
    c = issue(client)
    d = issue(client)
    slug = "/supervise/test-1/tickets"
    assert post(client, f"{slug}/{c['number']}/first", sup, reason="came back").status_code == 200
    given = post(
        client, f"{slug}/{d['number']}/priority", sup, priority="disability", reason="wheelchair"
    )
    assert given.get_json()["priority"] == "disability"
    moved = post(client, f"{slug}/{b['number']}/move", sup, service="notary", reason="wrong queue")
    assert moved.get_json()["service"] == "notary"
    removed = post(client, f"{slug}/{a['number']}/remove", sup, reason="left the hall")
    assert removed.get_json()["status"] == "removed"
    assert post(client, f"{slug}/{a['number']}/first", sup, reason="x").status_code == 409
    # Put first beats priority; priority beats the rest.
    c1 = world.counters[0]
    post(client, f"/counters/{c1.id}/open", op1)
    assert post(client, f"/counters/{c1.id}/call-next", op1).get_json()["number"] == c["number"]
    for number, operation, reason in (
        (c["number"], "put_first", "came back"),
        (d["number"], "prioritise", "wheelchair"),
        (b["number"], "move", "wrong queue"),
        (a["number"], "remove", "left the hall"),
    ):
        ev = next(e for e in events_of(session, number) if e.operation == operation)
        assert (ev.reason, ev.actor_id) == (reason, world.supervisor.id)


def test_call_a_specific_ticket_to_a_counter(world, client, sup, op1, session):
    first = issue(client)
    second = issue(client)
    c1 = world.counters[0]
    path = f"/supervise/test-1/tickets/{second['number']}/call"
    closed = post(client, path, sup, counter=1, reason="VIP")
    assert closed.get_json()["error"]["code"] == "counter_not_open"
    post(client, f"/counters/{c1.id}/open", op1)
    called = post(client, path, sup, counter=1, reason="asked for by name")
    assert called.status_code == 200, called.get_json()
    assert (called.get_json()["status"], called.get_json()["counter"]) == ("called", 1)
    ev = next(e for e in events_of(session, second["number"]) if e.operation == "call")
    assert ev.actor_id == world.supervisor.id and "asked for by name" in ev.reason
    assert client.get(f"/api/v1/tickets/{first['token']}").get_json()["status"] == "waiting"
    # The operator works the call as their own.
    assert post(client, f"/counters/{c1.id}/start", op1).get_json()["status"] == "serving"


def test_an_operator_of_one_center_reaches_nothing_of_another(world, client, sup):
    t = issue(client)
    foreign = token_for(client, "foreign")
    op = token_for(client, "op1")
    c1 = world.counters[0]
    calls = [
        client.get("/api/v1/supervise/test-1", headers=foreign),
        post(client, f"/supervise/counters/{c1.id}/state", foreign, state="open", reason="x"),
        post(
            client,
            f"/supervise/counters/{c1.id}/services",
            foreign,
            services=["notary"],
            reason="x",
        ),
        post(client, f"/supervise/test-1/tickets/{t['number']}/first", foreign, reason="x"),
        post(client, f"/supervise/test-1/tickets/{t['number']}/remove", foreign, reason="x"),
        post(client, f"/counters/{c1.id}/open", foreign),
        post(client, f"/counters/{c1.id}/call-number", foreign, number=t["number"]),
        post(client, f"/counters/{c1.id}/undo", foreign),
        # An operator of this center is no supervisor.
        post(client, f"/supervise/counters/{c1.id}/state", op, state="open", reason="x"),
    ]
    assert [r.status_code for r in calls] == [403] * len(calls)
    # A supervisor of this center cannot touch another center either.
    other = world.other_center
    foreign_ticket = issue(client, "passport", slug=other.slug)
    refused = post(
        client, f"/supervise/{other.slug}/tickets/{foreign_ticket['number']}/first", sup, reason="x"
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/supervise/{other.slug}", headers=sup).status_code == 403
    assert client.get("/api/v1/tickets/" + t["token"]).get_json()["status"] == "waiting"


@BACKENDS
def test_transfer_with_return_comes_back_to_the_first_counter(world, client, session, clock):
    op1, op3 = token_for(client, "op1"), token_for(client, "op3")
    c1, c3 = world.counters[0], world.counters[2]
    visitor = issue(client)  # passport, at counter 1
    clock.advance(minutes=2)
    later = issue(client)  # another passport citizen, arrived after
    post(client, f"/counters/{c1.id}/open", op1)
    post(client, f"/counters/{c3.id}/open", op3)
    assert (
        post(client, f"/counters/{c1.id}/call-next", op1).get_json()["number"] == visitor["number"]
    )
    post(client, f"/counters/{c1.id}/start", op1)
    clock.advance(minutes=3)
    # Document check done at counter 1: to the notary at counter 3, then back here.
    sent = post(client, f"/counters/{c1.id}/transfer", op1, service="notary", counter=3, back=True)
    assert sent.status_code == 200, sent.get_json()
    assert (sent.get_json()["service"], sent.get_json()["number"]) == ("notary", visitor["number"])
    # Counter 1 goes on with the next citizen meanwhile.
    assert post(client, f"/counters/{c1.id}/call-next", op1).get_json()["number"] == later["number"]
    assert (
        post(client, f"/counters/{c3.id}/call-next", op3).get_json()["number"] == visitor["number"]
    )
    post(client, f"/counters/{c3.id}/start", op3)
    clock.advance(minutes=4)
    step = post(client, f"/counters/{c3.id}/finish", op3)
    assert step.get_json()["status"] == "waiting"  # not done: back to counter 1
    assert step.get_json()["service"] == "passport"
    # Nobody else's counter calls it: counter 4 (passport) is told there is no one.
    op4 = token_for(client, "op4")
    c4 = world.counters[3]
    post(client, f"/counters/{c4.id}/open", op4)
    assert post(client, f"/counters/{c4.id}/call-next", op4).status_code == 204
    post(client, f"/counters/{c1.id}/start", op1)
    post(client, f"/counters/{c1.id}/finish", op1)
    back = post(client, f"/counters/{c1.id}/call-next", op1).get_json()
    assert back["number"] == visitor["number"] and back["counter"] == 1
    post(client, f"/counters/{c1.id}/start", op1)
    done = post(client, f"/counters/{c1.id}/finish", op1).get_json()
    assert done["status"] == "done"
    session.expire_all()
    ticket = session.query(Ticket).filter_by(token=visitor["token"]).one()
    assert ticket.issued_at == ticket.queued_at  # its original arrival all along
    assert [e.operation for e in ticket.events] == [
        "issue",
        "call",
        "start",
        "transfer",
        "call",
        "start",
        "return",
        "call",
        "start",
        "finish",
    ]
