"""Kiosk check-in with a controlled clock, the call policy for booked tickets, close-of-day
no-shows and the purge of personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from asan_queue.extensions import db
from asan_queue.models import Appointment, Ticket
from tests.factories import token_for

from .conftest import local

SLOT = local(2026, 11, 30, 10, 30)  # today (the clock starts at 09:30 Baku)


def check_in(client: Any, code: str) -> Any:
    return client.post("/api/v1/centers/test-1/check-in", json={"code": code})


def booked(book: Any, when: Any = SLOT, **kw: Any) -> dict[str, Any]:
    res = book(when, **kw)
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def test_window_edges(client: Any, world: Any, book: Any, clock: Any) -> None:
    code = booked(book)["code"]
    clock.now = (SLOT - timedelta(minutes=30, seconds=1)).astimezone(clock.now.tzinfo)
    res = check_in(client, code)
    assert res.status_code == 409
    err = res.get_json()["error"]
    assert err["code"] == "checkin_too_early"
    assert err["come_back_at"] == "2026-11-30T10:00:00+04:00"
    clock.advance(seconds=1)  # exactly 30 minutes before: inside
    res = check_in(client, code.lower().replace("-", ""))
    assert res.status_code == 201, res.get_json()
    ticket = res.get_json()
    assert ticket["booked"] is True and ticket["status"] == "waiting"
    assert ticket["number"].startswith("P")
    again = check_in(client, code)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_checked_in"
    assert again.get_json()["error"]["ticket_token"] == ticket["token"]


def test_late_edge_and_lapsed(client: Any, world: Any, book: Any, clock: Any) -> None:
    on_time = booked(book)["code"]
    late = booked(book, local(2026, 11, 30, 10, 45), phone="+994551112233")["code"]
    clock.now = (SLOT + timedelta(minutes=10)).astimezone(clock.now.tzinfo)
    assert check_in(client, on_time).status_code == 201  # exactly 10 minutes late: inside
    clock.now = (local(2026, 11, 30, 10, 45) + timedelta(minutes=10, seconds=1)).astimezone(
        clock.now.tzinfo
    )
    res = check_in(client, late)
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "booking_lapsed"
    assert res.get_json()["error"]["service"] == "passport"


def test_cancelled_unknown_and_other_center(client: Any, world: Any, book: Any, clock: Any) -> None:
    body = booked(book)
    client.post(f"/api/v1/appointments/{body['token']}/cancel")
    clock.now = SLOT.astimezone(clock.now.tzinfo)
    assert check_in(client, body["code"]).get_json()["error"]["code"] == "booking_cancelled"
    assert check_in(client, "AAA-AAA").get_json()["error"]["code"] == "booking_not_found"
    assert check_in(client, "not a code").status_code == 404
    other = client.post("/api/v1/centers/other-1/check-in", json={"code": body["code"]})
    assert other.status_code == 404
    assert client.post("/api/v1/centers/test-1/check-in", json={}).status_code == 422
    assert client.post("/api/v1/centers/test-1/check-in", json={"code": 5}).status_code == 422


def test_window_is_configurable_per_center(client: Any, world: Any, book: Any, clock: Any) -> None:
    world.center.checkin_before_minutes = 60
    db.session.commit()
    code = booked(book)["code"]
    clock.now = (SLOT - timedelta(minutes=50)).astimezone(clock.now.tzinfo)
    assert check_in(client, code).status_code == 201


def test_call_next_serves_a_booked_ticket_whose_slot_started_first(
    client: Any, world: Any, book: Any, clock: Any
) -> None:
    code = booked(book)["code"]
    auth = token_for(client, "op1")
    counter = world.counters[0].id
    assert client.post(f"/api/v1/counters/{counter}/open", headers=auth).status_code == 200
    walk_ins = [
        client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}).get_json()
        for _ in range(2)
    ]
    clock.now = (SLOT - timedelta(minutes=5)).astimezone(clock.now.tzinfo)
    booked_ticket = check_in(client, code).get_json()
    # Before the slot starts the booked citizen waits like everyone else.
    first = client.post(f"/api/v1/counters/{counter}/call-next", headers=auth).get_json()
    assert first["number"] == walk_ins[0]["number"]
    assert not first["reason"].startswith("booking")
    client.post(f"/api/v1/counters/{counter}/start", headers=auth)
    client.post(f"/api/v1/counters/{counter}/finish", headers=auth)
    clock.now = (SLOT + timedelta(minutes=1)).astimezone(clock.now.tzinfo)
    second = client.post(f"/api/v1/counters/{counter}/call-next", headers=auth).get_json()
    assert second["number"] == booked_ticket["number"]  # ahead of the earlier walk-in
    assert second["reason"].startswith("booking: slot started at")


def test_close_day_marks_never_checked_in_bookings_no_show(
    client: Any, world: Any, book: Any, clock: Any, runner: Any, session: Any
) -> None:
    came = booked(book)
    missed = booked(book, local(2026, 11, 30, 11), phone="+994551112233")
    future = booked(book, local(2026, 12, 1, 11), phone="+994551112244")
    clock.now = SLOT.astimezone(clock.now.tzinfo)
    check_in(client, came["code"])
    clock.now = local(2026, 11, 30, 19).astimezone(clock.now.tzinfo)
    result = runner.invoke(args=["close-day"])
    assert result.exit_code == 0, result.output
    assert "1 booking(s) marked no-show" in result.output
    status = {a.token: a.status for a in session.query(Appointment)}
    assert status[came["token"]] == "checked_in"
    assert status[missed["token"]] == "no_show"
    assert status[future["token"]] == "booked"
    assert check_in(client, missed["code"]).get_json()["error"]["code"] == "booking_lapsed"


def test_purge_blanks_old_personal_data(
    client: Any, world: Any, book: Any, clock: Any, runner: Any, session: Any, sms: Any
) -> None:
    old = booked(book, email="aysel@example.az")
    client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "passport", "phone": "0501112233"}
    )
    clock.advance(days=42)  # a Monday six weeks on: the center is open
    recent = client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "passport", "phone": "0507654321"}
    ).get_json()
    result = runner.invoke(args=["purge-personal-data", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "purged 1 booking(s), 1 ticket(s)" in result.output
    session.expire_all()
    a = session.query(Appointment).filter_by(token=old["token"]).one()
    assert (a.name, a.phone, a.email) == ("", None, None)
    phones = {t.token: t.phone for t in session.query(Ticket)}
    assert phones[recent["token"]] == "+994507654321"
    assert sum(1 for p in phones.values() if p) == 1
    assert runner.invoke(args=["purge-personal-data", "--older-than-days", "-1"]).exit_code != 0
