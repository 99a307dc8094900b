"""A desk for a whole day, through the API: looking does not take a counter, the last recall
warns before it marks no-show, a stray finish or no-show can be undone, a ticket is called by
its number, a visit ends with an outcome and notes, and a break's reason stays private."""

from __future__ import annotations

from typing import Any

import pytest

from asan_queue.domain.statuses import CounterState
from asan_queue.models import Counter, Ticket, TicketEvent
from tests.factories import PASSWORD, token_for

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def issue(client: Any, service: str = "passport") -> dict[str, Any]:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service})
    assert res.status_code == 201
    return res.get_json()


def act(client: Any, counter: Counter, action: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(
        f"/api/v1/counters/{counter.id}/{action}", json=body or None, headers=headers
    )


@pytest.fixture
def op1(client: Any, world: Any) -> dict[str, str]:
    return token_for(client, "op1")


def test_a_supervisor_viewing_a_counter_leaves_it_closed(world: Any, client: Any, session: Any):
    counter = world.counters[0]
    client.post("/desk/login?lang=en", data={"username": "super", "password": PASSWORD})
    page = client.get(f"/desk/counter/{counter.id}?lang=en")
    assert page.status_code == 200
    assert "Start at this counter" in page.get_data(as_text=True)
    session.expire_all()
    again = session.get(Counter, counter.id)
    assert again.state == CounterState.CLOSED and again.operator_id is None
    # An operator viewing it does not take it either.
    other = client.application.test_client()
    other.post("/desk/login?lang=en", data={"username": "op2", "password": PASSWORD})
    assert other.get(f"/desk/counter/{counter.id}").status_code == 200
    session.expire_all()
    assert session.get(Counter, counter.id).operator_id is None


def test_the_last_recall_warns_then_the_next_marks_no_show(world, client, op1, clock):
    c1 = world.counters[0]
    t = issue(client)
    act(client, c1, "open", op1)
    assert act(client, c1, "call-next", op1).get_json()["call_count"] == 1
    first = act(client, c1, "recall", op1).get_json()
    assert (first["status"], first["recalls_left"], first["marked_no_show"]) == ("called", 1, False)
    last = act(client, c1, "recall", op1).get_json()
    # max_calls is 3: the third call announced it; the desk is told the next recall ends it.
    assert (last["status"], last["recalls_left"], last["marked_no_show"]) == ("called", 0, False)
    view = client.get(f"/api/v1/tickets/{t['token']}").get_json()
    assert view["status"] == "called"
    gone = act(client, c1, "recall", op1).get_json()
    assert (gone["status"], gone["marked_no_show"]) == ("no_show", True)


@BACKENDS
def test_undo_restores_a_finished_ticket_within_ten_seconds(world, client, op1, clock, session):
    c1 = world.counters[0]
    t = issue(client)
    act(client, c1, "open", op1)
    act(client, c1, "call-next", op1)
    act(client, c1, "start", op1)
    clock.advance(minutes=5)
    done = act(client, c1, "finish", op1, outcome_code="documents_missing", notes="no photo")
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    clock.advance(seconds=4)
    undone = act(client, c1, "undo", op1)
    assert undone.status_code == 200, undone.get_json()
    body = undone.get_json()
    assert (body["status"], body["undone"], body["counter"]) == ("serving", "finish", 1)
    session.expire_all()
    ticket = session.query(Ticket).filter_by(token=t["token"]).one()
    assert ticket.finished_at is None and ticket.outcome is None
    # Finished again, then too late to undo.
    act(client, c1, "finish", op1)
    clock.advance(seconds=11)
    late = act(client, c1, "undo", op1)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "nothing_to_undo"


def test_undo_restores_a_no_show_and_not_after_the_next_call(world, client, op1, clock):
    c1 = world.counters[0]
    t = issue(client)
    issue(client)
    act(client, c1, "open", op1)
    act(client, c1, "call-next", op1)
    assert act(client, c1, "no-show", op1).get_json()["status"] == "no_show"
    back = act(client, c1, "undo", op1).get_json()
    assert (back["number"], back["status"], back["undone"]) == (t["number"], "called", "no_show")
    act(client, c1, "no-show", op1)
    act(client, c1, "call-next", op1)  # the counter moved on: nothing to undo
    refused = act(client, c1, "undo", op1)
    assert refused.get_json()["error"]["code"] == "nothing_to_undo"


def test_the_desk_offers_the_undo_in_its_counter_view(world, client, op1, app, clock):
    from asan_queue.services.hall import HallView

    c1 = world.counters[0]
    issue(client)
    act(client, c1, "open", op1)
    act(client, c1, "call-next", op1)
    act(client, c1, "no-show", op1)
    from asan_queue.extensions import db

    view = HallView(db.session, world.center, clock.now).counter_body(c1)
    assert view.undo is not None and view.undo.operation == "no_show"
    clock.advance(seconds=11)
    assert HallView(db.session, world.center, clock.now).counter_body(c1).undo is None


def test_call_by_number(world, client, op1, session):
    c1 = world.counters[0]
    first = issue(client)
    second = issue(client)
    notary = issue(client, "notary")
    act(client, c1, "open", op1)
    called = act(client, c1, "call-number", op1, number=second["number"].lower())
    assert called.status_code == 200, called.get_json()
    body = called.get_json()
    assert body["number"] == second["number"] and body["reason_detail"]["tier"] == "staff"
    assert client.get(f"/api/v1/tickets/{first['token']}").get_json()["status"] == "waiting"
    act(client, c1, "start", op1)
    act(client, c1, "finish", op1)
    # Counter 1 does not serve notary; an unknown number is a 404; a called one a 409.
    wrong = act(client, c1, "call-number", op1, number=notary["number"])
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "not_served_here"
    assert act(client, c1, "call-number", op1, number="Z999").status_code == 404
    again = act(client, c1, "call-number", op1, number=second["number"])
    assert again.get_json()["error"]["code"] == "ticket_not_waiting"


@BACKENDS
def test_finish_records_outcome_and_notes(world, client, op1, session):
    c1 = world.counters[0]
    t = issue(client)
    act(client, c1, "open", op1)
    act(client, c1, "call-next", op1)
    act(client, c1, "start", op1)
    bad = act(client, c1, "finish", op1, outcome_code="nonsense")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid_outcome"
    assert (
        act(client, c1, "finish", op1, outcome_code="not_eligible", notes=" age ").status_code
        == 200
    )
    session.expire_all()
    ticket = session.query(Ticket).filter_by(token=t["token"]).one()
    assert (ticket.status, ticket.outcome, ticket.outcome_code, ticket.notes) == (
        "done",
        "not_served",
        "not_eligible",
        "age",
    )
    public = client.get(f"/api/v1/tickets/{t['token']}").get_json()
    assert "notes" not in public and "outcome_code" not in public


def test_a_break_has_a_reason_code_that_stays_private(world, client, op1):
    c1 = world.counters[0]
    act(client, c1, "open", op1)
    paused = act(client, c1, "pause", op1, code="lunch")
    assert paused.status_code == 200
    assert (paused.get_json()["pause_code"], paused.get_json()["state"]) == ("lunch", "paused")
    assert act(client, c1, "pause", op1, code="nap").status_code == 422
    public = client.get("/api/v1/centers/test-1").get_json()
    counter = next(c for c in public["counters"] if c["number"] == 1)
    assert counter["state"] == "paused"
    assert "pause_code" not in counter and "pause_reason" not in counter
    assert "lunch" not in str(public)


def test_the_card_shows_why_and_for_how_long(world, client, op1, clock, app):
    from asan_queue.extensions import db
    from asan_queue.services.hall import HallView

    c1 = world.counters[0]
    client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "passport", "priority": "elderly"}
    )
    act(client, c1, "open", op1)
    act(client, c1, "call-next", op1)
    act(client, c1, "start", op1)
    clock.advance(minutes=12)
    card = HallView(db.session, world.center, clock.now).counter_body(c1).current
    assert card is not None
    assert (card.priority, card.call_reason, card.planned_minutes) == ("elderly", "priority", 10)
    assert db.session.query(TicketEvent).filter_by(operation="call").count() == 1


def test_the_language_chosen_at_sign_in_is_remembered(world: Any, client: Any) -> None:
    res = client.post("/desk/login?lang=ru", data={"username": "op1", "password": PASSWORD})
    assert res.status_code == 302
    assert "lang=ru" in res.headers.get("Set-Cookie", "")
    page = client.get(f"/desk/counter/{world.counters[0].id}").get_data(as_text=True)
    assert '<html lang="ru">' in page
