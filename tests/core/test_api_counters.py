"""Operator actions at counters: open/pause/close, call-next and the ticket's life."""

import pytest

from asan_queue.models import Ticket, TicketEvent
from tests.factories import token_for


def issue(client, service="passport", **body):
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service, **body})
    assert res.status_code == 201
    return res.get_json()


@pytest.fixture
def op1(client, world):
    return token_for(client, "op1")


def post(client, counter, action, headers, **body):
    return client.post(
        f"/api/v1/counters/{counter.id}/{action}", json=body or None, headers=headers
    )


def test_full_visit_writes_an_event_for_every_transition(client, world, op1, clock, session):
    c1 = world.counters[0]
    t = issue(client)
    assert post(client, c1, "open", op1).get_json()["state"] == "open"
    clock.advance(minutes=3)
    called = post(client, c1, "call-next", op1)
    assert called.status_code == 200
    body = called.get_json()
    assert body["number"] == t["number"] and body["status"] == "called" and body["counter"] == 1
    assert "most overdue" in body["reason"]
    clock.advance(minutes=1)
    assert post(client, c1, "start", op1).get_json()["status"] == "serving"
    clock.advance(minutes=8)
    done = post(client, c1, "finish", op1).get_json()
    assert done["status"] == "done"
    assert done["finished_at"] == "2026-11-30T09:42:00+04:00"

    events = session.query(TicketEvent).order_by(TicketEvent.id).all()
    assert [(e.operation, e.from_status, e.to_status) for e in events] == [
        ("issue", None, "waiting"),
        ("call", "waiting", "called"),
        ("start", "called", "serving"),
        ("finish", "serving", "done"),
    ]
    assert all(e.actor_id == world.operators[0].id for e in events[1:])
    assert all(e.counter_id == c1.id for e in events[1:])
    # The smoothed service time now reflects the 8-minute visit, so ETAs move with reality.
    issue(client)
    issue(client)
    passport = next(
        s
        for s in client.get("/api/v1/centers/test-1").get_json()["services"]
        if s["code"] == "passport"
    )
    # A walk-in now: 2 visits ahead of 1 min walk + smoothed (0.3 x 8 + 0.7 x 10 = 9.4) min.
    assert passport["eta_minutes"] == 21


def test_call_next_answers_204_when_no_one_waits(client, world, op1):
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    res = post(client, c1, "call-next", op1)
    assert res.status_code == 204 and res.data == b""


def test_call_next_only_serves_the_counters_services(client, world, op1):
    issue(client, "notary")
    c1 = world.counters[0]  # passport + id-card only
    post(client, c1, "open", op1)
    assert post(client, c1, "call-next", op1).status_code == 204


def test_priority_and_overdue_order(client, world, op1, clock):
    p1 = issue(client, "passport")  # target 15
    clock.advance(minutes=10)
    a1 = issue(client, "id-card")  # target 30
    clock.advance(minutes=1)
    elderly = issue(client, "id-card", priority="elderly")
    clock.advance(minutes=1)
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    order = []
    for _ in range(3):
        res = post(client, c1, "call-next", op1).get_json()
        order.append((res["number"], res["reason"].split(":")[0]))
        post(client, c1, "start", op1)
        post(client, c1, "finish", op1)
    assert order == [
        (elderly["number"], "priority"),
        (p1["number"], "most overdue"),  # 12/15 = 0.8x beats 2/30
        (a1["number"], "most overdue"),
    ]


def test_fifo_policy_per_center(client, world, op1, clock, session):
    world.center.call_policy = "fifo"
    session.commit()
    first = issue(client, "id-card")
    clock.advance(minutes=1)
    issue(client, "passport", priority="elderly")
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    res = post(client, c1, "call-next", op1).get_json()
    assert res["number"] == first["number"] and res["reason"] == "fifo: earliest arrival"


def test_recall_then_automatic_no_show_after_max_calls(client, world, op1, session):
    t = issue(client)
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    post(client, c1, "call-next", op1)
    assert post(client, c1, "recall", op1).get_json()["call_count"] == 2
    assert post(client, c1, "recall", op1).get_json()["call_count"] == 3
    fourth = post(client, c1, "recall", op1).get_json()
    assert fourth["status"] == "no_show"
    ticket = session.query(Ticket).filter_by(token=t["token"]).one()
    assert ticket.events[-1].reason == "called 3 times without showing"


def test_manual_no_show_and_finish_requires_serving(client, world, op1):
    issue(client)
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    post(client, c1, "call-next", op1)
    bad = post(client, c1, "finish", op1)
    assert bad.status_code == 409
    error = bad.get_json()["error"]
    assert error["code"] == "invalid_transition"
    assert (error["operation"], error["status"]) == ("finish", "called")  # not yet serving
    assert post(client, c1, "no-show", op1).get_json()["status"] == "no_show"
    none_left = post(client, c1, "recall", op1)
    assert none_left.status_code == 409
    assert none_left.get_json()["error"]["code"] == "no_current_ticket"


def test_call_next_refused_while_a_ticket_is_at_the_counter(client, world, op1):
    issue(client)
    issue(client)
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    post(client, c1, "call-next", op1)
    res = post(client, c1, "call-next", op1)
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "ticket_at_counter"


def test_transfer_keeps_the_number_and_can_go_first(client, world, op1, clock):
    for _ in range(2):
        issue(client, "notary")
    clock.advance(minutes=5)
    t = issue(client, "passport")
    c1, c3 = world.counters[0], world.counters[2]
    post(client, c1, "open", op1)
    post(client, c1, "call-next", op1)
    post(client, c1, "start", op1)
    moved = post(client, c1, "transfer", op1, service="notary", first=True).get_json()
    assert moved["number"] == t["number"] and moved["status"] == "waiting"
    assert moved["service"] == "notary" and moved["position"] == 1
    op3 = token_for(client, "op3")
    post(client, c3, "open", op3)
    res = post(client, c3, "call-next", op3).get_json()
    assert res["number"] == t["number"]
    bad = post(client, c3, "transfer", op3, service="nope")
    assert bad.status_code == 404


def test_one_counter_per_operator_and_one_operator_per_counter(client, world, op1):
    c1, c2 = world.counters[0], world.counters[1]
    assert post(client, c1, "open", op1).status_code == 200
    op2 = token_for(client, "op2")
    taken = post(client, c1, "open", op2)
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "counter_taken"
    # The message is the catalogue's, in the caller's language (az by default), with the counter.
    assert (
        taken.get_json()["error"]["message"]
        == "1 nömrəli masa artıq başqa operatorun masasında açıqdır"
    )
    again = client.post(f"/api/v1/counters/{c1.id}/open", headers={**op2, "Accept-Language": "en"})
    assert again.get_json()["error"]["message"] == "Counter 1 is already open at another desk"
    other = post(client, c2, "open", op1)
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "holds_other"
    assert post(client, c1, "close", op1).get_json()["state"] == "closed"
    assert post(client, c2, "open", op1).status_code == 200


def test_pause_needs_reason_and_stops_calls(client, world, op1):
    issue(client)
    c1 = world.counters[0]
    post(client, c1, "open", op1)
    assert post(client, c1, "pause", op1).status_code == 422
    paused = post(client, c1, "pause", op1, reason="Fasilə").get_json()
    assert paused["state"] == "paused" and paused["pause_reason"] == "Fasilə"
    res = post(client, c1, "call-next", op1)
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "counter_not_open"


def test_operator_of_another_center_is_refused(client, world):
    foreign = token_for(client, "foreign")
    res = post(client, world.counters[0], "open", foreign)
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "wrong_center"


def test_audit_trail_for_supervisors_only(client, world, op1):
    issue(client)
    res = client.get("/api/v1/centers/test-1/tickets", headers=op1)
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "wrong_role"
    sup = token_for(client, "super")
    items = client.get("/api/v1/centers/test-1/tickets", headers=sup).get_json()["items"]
    assert [i["number"] for i in items] == ["P001"]
    assert items[0]["events"][0]["operation"] == "issue"


def test_smoothed_service_time_starts_again_from_the_plan_each_day(client, world, op1, clock):
    c1 = world.counters[0]
    issue(client)
    post(client, c1, "open", op1)
    post(client, c1, "call-next", op1)
    post(client, c1, "start", op1)
    clock.advance(minutes=30)
    post(client, c1, "finish", op1)

    def passport_eta():
        services = client.get("/api/v1/centers/test-1").get_json()["services"]
        return next(s for s in services if s["code"] == "passport")["eta_minutes"]

    issue(client)
    issue(client)
    # The plan counts as four visits: (4 x 10 + 30) / 5 = 14 min, and 1 to walk up, twice.
    assert passport_eta() == 30
    clock.advance(days=1)
    issue(client)
    # Yesterday's two are not in today's queue, and yesterday's figure is gone: 1 + 10 planned.
    assert passport_eta() == 11
