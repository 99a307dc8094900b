"""Booking, cancelling and rescheduling through the API (the clock is a Monday 09:30 Baku)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from icalendar import Calendar

from asan_queue.models import Appointment, SlotBooking

from .conftest import BAKU, local

TUESDAY_9 = local(2026, 12, 1, 9)


def slots(client: Any, day: str, service: str = "passport") -> list[dict[str, Any]]:
    res = client.get(f"/api/v1/centers/test-1/services/{service}/slots?date={day}")
    assert res.status_code == 200, res.get_json()
    return res.get_json()["items"]


def test_slots_of_today_respect_the_notice_and_show_seats(client: Any, world: Any) -> None:
    items = slots(client, "2026-11-30")
    assert items[0]["start"] == "2026-11-30T10:30:00+04:00"  # 09:30 now + 60 min notice
    assert items[-1]["start"] == "2026-11-30T17:45:00+04:00"
    assert {s["seats_left"] for s in items} == {1}


def test_slots_of_weekend_and_closed_day_are_empty(
    client: Any, world: Any, session: Any, clock: Any
) -> None:
    assert slots(client, "2026-12-05") == []
    token = client.post("/api/v1/auth/token", json={"username": "root", "password": "secret-pw"})
    auth = {"Authorization": f"Bearer {token.get_json()['token']}"}
    res = client.post(
        "/api/v1/centers/test-1/closed-days",
        json={"day": "2026-12-01", "reason": "x"},
        headers=auth,
    )
    assert res.status_code == 201
    assert slots(client, "2026-12-01") == []


def test_bad_slot_queries_are_4xx(client: Any, world: Any) -> None:
    assert client.get("/api/v1/centers/test-1/services/passport/slots").status_code == 422
    assert client.get("/api/v1/centers/test-1/services/passport/slots?date=x").status_code == 422
    assert (
        client.get("/api/v1/centers/nope/services/passport/slots?date=2026-12-01").status_code
        == 404
    )
    res = client.get("/api/v1/centers/test-1/services/passport/days?month=2026-13")
    assert res.status_code == 422


def test_book_answers_code_token_links_and_takes_the_seat(
    client: Any, world: Any, book: Any, session: Any
) -> None:
    res = book(TUESDAY_9)
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert body["starts_at"] == "2026-12-01T09:00:00+04:00"
    assert len(body["code"]) == 7 and body["code"][3] == "-"
    assert body["links"]["manage"] == f"/book/manage/{body['token']}"
    assert set(body["links"]) >= {"manage", "confirmation_pdf", "ics"}
    assert body["qr_payload"].endswith(f"/book/manage/{body['token']}?code={body['code']}")
    assert body["phone"] != "+994501234567"  # masked in answers
    tuesday = slots(client, "2026-12-01")
    assert tuesday[0]["seats_left"] == 0 and tuesday[1]["seats_left"] == 1
    got = client.get(f"/api/v1/appointments/{body['token']}").get_json()
    assert got["code"] == body["code"] and got["status"] == "booked"
    stored = session.query(Appointment).one()
    assert stored.phone == "+994501234567"


def test_taken_slot_is_409_with_the_nearest_free_slots(client: Any, world: Any, book: Any) -> None:
    assert book(local(2026, 12, 1, 10)).status_code == 201
    res = book(local(2026, 12, 1, 10), phone="+994551112233")
    assert res.status_code == 409
    err = res.get_json()["error"]
    assert err["code"] == "slot_full"
    # 15 minutes either side, then 30 minutes away (a tie goes to the earlier one).
    assert [s["start"] for s in err["nearest"]] == [
        "2026-12-01T09:30:00+04:00",
        "2026-12-01T09:45:00+04:00",
        "2026-12-01T10:15:00+04:00",
    ]


def test_start_outside_hours_or_inside_notice_is_refused(
    client: Any, world: Any, book: Any
) -> None:
    assert book(local(2026, 12, 1, 13, 7)).get_json()["error"]["code"] == "slot_unavailable"
    assert book(local(2026, 11, 30, 10, 15)).status_code == 409  # 45 min ahead < 60 notice
    assert book(local(2026, 12, 5, 10)).status_code == 409  # Saturday
    assert book(local(2027, 1, 15, 10)).status_code == 409  # past the 30-day horizon


def test_bad_booking_input_is_422(client: Any, world: Any, book: Any) -> None:
    assert book(TUESDAY_9, phone="12").get_json()["error"]["code"] == "invalid_phone"
    assert book(TUESDAY_9, email="not-an-email").get_json()["error"]["code"] == "invalid_email"
    assert book(TUESDAY_9, name=" ").status_code == 422
    assert book(TUESDAY_9, start="tomorrow").status_code == 422
    assert book(TUESDAY_9, extra=1).status_code == 422
    assert book(TUESDAY_9, lang="de").status_code == 422
    assert client.post("/api/v1/appointments", data="x").status_code == 422
    assert book(TUESDAY_9, service="nope").status_code == 404


def test_start_without_offset_is_the_centers_local_time(client: Any, world: Any, book: Any) -> None:
    res = book(TUESDAY_9, start="2026-12-01T11:00:00")
    assert res.get_json()["starts_at"] == "2026-12-01T11:00:00+04:00"


def test_one_phone_cannot_hold_more_than_the_limit(client: Any, world: Any, book: Any) -> None:
    world.services["passport"].max_bookings_per_phone = 2
    assert book(local(2026, 12, 1, 9)).status_code == 201
    assert book(local(2026, 12, 1, 10)).status_code == 201
    res = book(local(2026, 12, 1, 11))
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "too_many_bookings"
    # The same number written differently is the same phone.
    assert book(local(2026, 12, 1, 11), phone="+994 50 123 45 67").status_code == 409
    assert book(local(2026, 12, 1, 11), phone="055 765 43 21").status_code == 201


def test_cancel_frees_the_seat(client: Any, world: Any, book: Any, session: Any) -> None:
    token = book(TUESDAY_9).get_json()["token"]
    res = client.post(f"/api/v1/appointments/{token}/cancel")
    assert res.status_code == 200 and res.get_json()["status"] == "cancelled"
    assert slots(client, "2026-12-01")[0]["seats_left"] == 1
    again = client.post(f"/api/v1/appointments/{token}/cancel")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "booking_cancelled"
    assert client.post("/api/v1/appointments/nope/cancel").status_code == 404


def test_reschedule_moves_the_seat_and_keeps_the_code(
    client: Any, world: Any, book: Any, session: Any
) -> None:
    first = book(TUESDAY_9).get_json()
    assert book(local(2026, 12, 1, 10), phone="+994551112233").status_code == 201
    res = client.post(
        f"/api/v1/appointments/{first['token']}/reschedule",
        json={"start": local(2026, 12, 1, 10).isoformat()},
    )
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "slot_full"
    res = client.post(
        f"/api/v1/appointments/{first['token']}/reschedule",
        json={"start": local(2026, 12, 2, 14, 30).isoformat()},
    )
    assert res.status_code == 200, res.get_json()
    moved = res.get_json()
    assert moved["code"] == first["code"] and moved["starts_at"] == "2026-12-02T14:30:00+04:00"
    assert slots(client, "2026-12-01")[0]["seats_left"] == 1
    counts = {
        r.starts_at.astimezone(BAKU).strftime("%d %H:%M"): r.booked
        for r in session.query(SlotBooking)
    }
    assert counts == {"01 09:00": 0, "01 10:00": 1, "02 14:30": 1}


def test_days_endpoint_marks_days_with_room(client: Any, world: Any, book: Any) -> None:
    service = world.services["passport"]
    service.slot_minutes = 240  # Mon-Fri 9-18 -> slots 09:00 and 13:00
    res = client.get("/api/v1/centers/test-1/services/passport/days?month=2026-12")
    days = {d["date"]: d for d in res.get_json()["items"]}
    assert "2026-12-05" not in days  # Saturday
    assert days["2026-12-01"] == {"date": "2026-12-01", "slots": 2, "free": 2}
    assert max(days) == "2026-12-30"  # the horizon ends 30 days after today
    assert book(TUESDAY_9).status_code == 201
    assert book(local(2026, 12, 1, 13), phone="+994551112233").status_code == 201
    res = client.get("/api/v1/centers/test-1/services/passport/days?month=2026-12")
    days = {d["date"]: d for d in res.get_json()["items"]}
    assert days["2026-12-01"]["free"] == 0


def test_not_bookable_service_is_409(client: Any, world: Any, book: Any) -> None:
    world.services["notary"].bookable = False
    res = client.get("/api/v1/centers/test-1/services/notary/slots?date=2026-12-01")
    assert res.status_code == 409


def test_ics_parses_back_with_the_local_time(client: Any, world: Any, book: Any) -> None:
    body = book(local(2026, 12, 1, 14, 30)).get_json()
    res = client.get(body["links"]["ics"])
    assert res.status_code == 200 and res.mimetype == "text/calendar"
    cal = Calendar.from_ical(res.data)
    event = next(iter(cal.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert start.hour == 14 and start.minute == 30
    assert start.utcoffset() == timedelta(hours=4)
    assert event.decoded("dtend") - start == timedelta(minutes=15)
    assert body["code"] in str(event.get("description"))


def test_confirmation_pdf_is_served(client: Any, world: Any, book: Any) -> None:
    body = book(TUESDAY_9).get_json()
    res = client.get(body["links"]["confirmation_pdf"] + "?lang=ru")
    assert res.status_code == 200 and res.mimetype == "application/pdf"
    assert res.data.startswith(b"%PDF")


def test_booking_posts_are_rate_limited_per_address(
    client: Any, world: Any, book: Any, app: Any
) -> None:
    app.config["RATELIMIT_BOOKING"] = "3/minute"
    codes = [
        book(
            local(2026, 12, 1, 9) + timedelta(minutes=15 * i), phone=f"+99455111223{i}"
        ).status_code
        for i in range(5)
    ]
    assert codes[:3] == [201, 201, 201]
    assert codes[3:] == [429, 429]
    res = book(local(2026, 12, 2, 9), phone="+994551112299")
    assert res.get_json()["error"]["code"] == "too_many_requests"
    other = client.post(
        "/api/v1/appointments",
        json={"center": "test-1"},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 422  # another address still has its budget


def test_openapi_lists_the_booking_paths(client: Any) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in (
        "/centers/{slug}/services/{code}/slots",
        "/centers/{slug}/services/{code}/days",
        "/appointments",
        "/appointments/{token}",
        "/appointments/{token}/cancel",
        "/appointments/{token}/reschedule",
        "/appointments/{token}/confirmation.pdf",
        "/appointments/{token}/confirmation.ics",
        "/centers/{slug}/check-in",
        "/centers/{slug}/hours",
        "/notifications",
    ):
        assert path in paths, path
