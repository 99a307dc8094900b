"""Opening hours and the last-ticket time are the server's rules, not only the kiosk's: walk-in
tickets are refused (409, with the reason and when the center opens), and a supervisor or admin
may issue anyway with a reason that is recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from asan_queue.models import ClosedDay, OpeningPeriod, Ticket, TicketEvent
from tests.factories import token_for

MONDAY = date(2026, 11, 30)


def at(clock: Any, hh: int, mm: int = 0, day: date = MONDAY) -> None:
    """Move the clock to hh:mm Baku time (UTC+4) on `day`."""
    clock.now = datetime(day.year, day.month, day.day, hh - 4, mm, tzinfo=UTC)


def issue(client: Any, service: str = "passport", **body: Any) -> Any:
    return client.post("/api/v1/centers/test-1/tickets", json={"service": service, **body})


def refused(res: Any, code: str) -> dict[str, Any]:
    assert res.status_code == 409, res.get_json()
    error = res.get_json()["error"]
    assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("hh", "mm", "reason", "opens"),
    [
        (7, 10, "before_opening", "09:00"),  # the case found in issue 8
        (18, 0, "after_closing", "01.12 09:00"),
    ],
)
def test_walk_ins_are_refused_outside_opening_hours(
    client, world, clock, session, hh, mm, reason, opens
):
    at(clock, hh, mm)
    error = refused(issue(client), "center_closed")
    assert error["reason"] == reason
    assert error["opens"] == opens
    assert error["opens_at"].endswith("09:00:00+04:00")
    assert session.query(Ticket).count() == 0
    # The message is the catalogue's, in the caller's language.
    ru = client.post(
        "/api/v1/centers/test-1/tickets",
        json={"service": "passport"},
        headers={"Accept-Language": "ru"},
    )
    assert ru.get_json()["error"]["message"] == f"Центр сейчас не выдаёт талоны. Открытие: {opens}"
    # The kiosk learns it from the center detail before anyone presses a button.
    services = client.get("/api/v1/centers/test-1").get_json()["services"]
    assert {s["unavailable_reason"] for s in services} == {"center_closed"}
    assert not any(s["tickets_available"] for s in services)


def test_a_lunch_break_and_a_holiday_are_closed_too(client, world, clock, session):
    center = world.center
    center.hours.clear()
    session.flush()
    for weekday in range(5):
        center.hours.append(OpeningPeriod(weekday=weekday, opens=time(9), closes=time(13)))
        center.hours.append(OpeningPeriod(weekday=weekday, opens=time(14), closes=time(18)))
    session.add(ClosedDay(center_id=center.id, day=date(2026, 12, 1), reason={"en": "Holiday"}))
    session.commit()
    at(clock, 13, 30)
    error = refused(issue(client), "center_closed")
    assert (error["reason"], error["opens"]) == ("break", "14:00")
    at(clock, 10, 0, day=date(2026, 12, 1))
    error = refused(issue(client), "center_closed")
    assert error["reason"] == "holiday" and error["note"] == {"en": "Holiday"}
    assert error["opens"] == "02.12 09:00"  # the holiday is skipped


def test_a_center_out_of_service_takes_no_tickets_in_its_hours(client, world, clock, session):
    at(clock, 10, 0)
    assert issue(client).status_code == 201
    world.center.active = False  # taken out of service in the back office
    session.commit()
    error = refused(issue(client), "center_closed")
    assert error["reason"] == "out_of_service"
    assert session.query(Ticket).count() == 1


def test_a_service_last_ticket_time_and_the_centers_minutes_before_closing(
    client, world, clock, session
):
    world.services["passport"].last_ticket_time = time(17, 0)
    session.commit()
    at(clock, 16, 59)
    assert issue(client).status_code == 201
    at(clock, 17, 0)
    error = refused(issue(client), "no_more_tickets")
    assert error["bookable"] is True
    assert issue(client, "id-card").status_code == 201  # its own rule: the center's default
    world.center.last_ticket_minutes = 30
    session.commit()
    at(clock, 17, 31)
    refused(issue(client, "id-card"), "no_more_tickets")


def test_by_default_tickets_stop_when_the_projected_call_is_after_closing(
    client, world, clock, session
):
    headers = token_for(client, "op1")
    client.post(f"/api/v1/counters/{world.counters[0].id}/open", headers=headers)
    at(clock, 17, 20)
    # One counter, 11 minutes a visit: the 4th ticket would be called at 17:53, the 5th at
    # 18:04, after the 18:00 closing.
    numbers = [issue(client).get_json().get("number") for _ in range(3)]
    assert numbers == ["P001", "P002", "P003"]
    last = issue(client)
    assert last.status_code == 201 and last.get_json()["eta_status"] == "estimate"
    refusal = refused(issue(client), "no_more_tickets")
    assert refusal["bookable"] is True
    passport = next(
        s
        for s in client.get("/api/v1/centers/test-1").get_json()["services"]
        if s["code"] == "passport"
    )
    assert passport["unavailable_reason"] == "no_more_tickets"
    # A priority citizen is called first, so still fits before closing.
    assert issue(client, priority="elderly").status_code == 201
    assert session.query(Ticket).filter_by(number="P005").one().priority == "elderly"


def test_a_supervisor_issues_anyway_with_a_recorded_reason(client, world, clock, session):
    at(clock, 19, 0)
    supervisor = token_for(client, "super")
    body = {"service": "passport", "override_reason": "citizen came for a court deadline"}
    res = client.post("/api/v1/centers/test-1/tickets", json=body, headers=supervisor)
    assert res.status_code == 201, res.get_json()
    ticket = session.query(Ticket).one()
    (event,) = session.query(TicketEvent).filter_by(ticket_id=ticket.id).all()
    assert event.operation == "issue"
    assert event.reason == "staff override: citizen came for a court deadline"
    assert event.actor_id == world.supervisor.id
    assert event.data == {"override": True}


def test_an_override_needs_a_supervisor_and_a_reason(client, world, clock, session):
    at(clock, 19, 0)
    body = {"service": "passport", "override_reason": "please"}
    assert client.post("/api/v1/centers/test-1/tickets", json=body).status_code == 401
    operator = token_for(client, "op1")
    res = client.post("/api/v1/centers/test-1/tickets", json=body, headers=operator)
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "wrong_role"
    empty = {"service": "passport", "override_reason": "  "}
    supervisor = token_for(client, "super")
    res = client.post("/api/v1/centers/test-1/tickets", json=empty, headers=supervisor)
    assert res.status_code == 422
    assert res.get_json()["error"]["code"] == "override_reason_required"
    assert session.query(Ticket).count() == 0
