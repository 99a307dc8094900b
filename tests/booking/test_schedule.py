"""Admin editing of weekly hours (breaks) and closed days, and who may do it."""

from __future__ import annotations

from typing import Any

from tests.factories import token_for

HOURS = "/api/v1/centers/test-1/hours"
LUNCH = [
    {"weekday": 1, "opens": "09:00", "closes": "13:00"},
    {"weekday": 1, "opens": "14:00", "closes": "16:00"},
]


def test_supervisor_sets_hours_with_a_break_and_slots_follow(client: Any, world: Any) -> None:
    res = client.put(HOURS, json={"hours": LUNCH}, headers=token_for(client, "super"))
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["hours"] == LUNCH
    assert client.get(HOURS).get_json()["hours"] == LUNCH
    slots = client.get("/api/v1/centers/test-1/services/passport/slots?date=2026-12-01")
    starts = [s["start"][11:16] for s in slots.get_json()["items"]]
    assert "12:45" in starts and "13:00" not in starts and "14:00" in starts
    assert starts[-1] == "15:45"
    monday = client.get("/api/v1/centers/test-1/services/passport/slots?date=2026-12-07")
    assert monday.get_json()["items"] == []


def test_closed_days_add_and_remove(client: Any, world: Any) -> None:
    auth = token_for(client, "root")
    url = "/api/v1/centers/test-1/closed-days"
    body = {"day": "2026-12-31", "reason": {"az": "Həmrəylik günü", "ru": "x", "en": "y"}}
    assert client.post(url, json=body, headers=auth).status_code == 201
    assert client.post(url, json=body, headers=auth).status_code == 409
    days = client.get(HOURS).get_json()["closed_days"]
    assert days == [{"day": "2026-12-31", "reason": body["reason"]}]
    assert client.delete(f"{url}/2026-12-31", headers=auth).status_code == 204
    assert client.delete(f"{url}/2026-12-31", headers=auth).status_code == 404
    assert client.post(url, json={"day": "31.12.2026"}, headers=auth).status_code == 422


def test_only_admin_or_own_supervisor_may_edit(client: Any, world: Any) -> None:
    for user, status in (("op1", 403), ("foreign", 403)):
        res = client.put(HOURS, json={"hours": LUNCH}, headers=token_for(client, user))
        assert res.status_code == status
    assert client.put(HOURS, json={"hours": LUNCH}).status_code == 401


def test_bad_hours_are_422(client: Any, world: Any) -> None:
    auth = token_for(client, "root")
    for hours in (
        [{"weekday": 1, "opens": "13:00", "closes": "09:00"}],
        [{"weekday": 9, "opens": "09:00", "closes": "13:00"}],
        [{"weekday": 1, "opens": "9am", "closes": "13:00"}],
        [LUNCH[0], {"weekday": 1, "opens": "12:00", "closes": "15:00"}],
        ["x"],
    ):
        res = client.put(HOURS, json={"hours": hours}, headers=auth)
        assert res.status_code == 422, hours
    assert client.put(HOURS, json={"hours": "x"}, headers=auth).status_code == 422
