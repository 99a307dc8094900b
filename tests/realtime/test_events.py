"""Every event a change produces, to the right rooms, after the change committed."""

from __future__ import annotations

from typing import Any

from tests.factories import token_for
from tests.realtime.conftest import login, split


def _issue(client: Any, service: str = "passport", **extra: Any) -> dict[str, Any]:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service, **extra})
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def _subscribe(sio: Any, room: dict[str, Any]) -> None:
    ack = sio.emit("subscribe", room, callback=True)
    assert ack.get("ok"), ack
    sio.get_received()  # drop the snapshot


def test_call_next_reaches_hall_desk_and_citizen(
    world: Any, app: Any, client: Any, sio_factory: Any
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[2]  # counter 3
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    first, second = _issue(client), _issue(client)

    hall, phone1, phone2 = sio_factory(), sio_factory(), sio_factory()
    desk_client = app.test_client()
    login(desk_client, world.operators[0])
    desk = sio_factory(desk_client)
    _subscribe(hall, {"center": "test-1"})
    _subscribe(phone1, {"ticket": first["token"]})
    _subscribe(phone2, {"ticket": second["token"]})
    _subscribe(desk, {"counter": counter.id})

    res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    assert res.get_json()["number"] == "P001"

    got = split(hall)
    (call,) = got["ticket_called"]
    assert call["number"] == "P001"
    assert call["counter"] == 3
    assert call["counter_id"] == counter.id
    assert call["service"] == "passport"
    assert call["service_name"]["ru"] == "Услуга passport"
    assert call["agency"] == "DIN"
    assert call["recall"] is False
    assert call["languages"] == ["az", "ru", "en"]
    assert call["announcement"] == {
        "az": "P 1 nömrəli bilet, 3 nömrəli masaya yaxınlaşın",
        "ru": "Билет номер P 1, пройдите к окну 3",
        "en": "Ticket P 1, please go to counter 3",
    }
    assert call["called_at"].startswith("2026-11-30T09:30")
    assert call["room"] == "center:test-1"
    (queue,) = got["queue"]
    passport = next(s for s in queue["services"] if s["code"] == "passport")
    # Counter 3 is busy with P001 (1 min to walk up, 10 to serve), then calls P002: a walk-in
    # taking a ticket now comes after both.
    assert (passport["waiting"], passport["open_counters"]) == (1, 1)
    assert (passport["eta_minutes"], passport["eta_status"]) == (22, "estimate")
    assert passport["next_numbers"] == ["P002"]
    assert passport["tickets_available"] is True
    c3 = next(c for c in queue["counters"] if c["id"] == counter.id)
    assert c3["current"] == {
        "number": "P001",
        "status": "called",
        "service": "passport",
        "called_at": "2026-11-30T09:30:00+04:00",
    }
    assert queue["seq"] == call["seq"] + 1  # one sequence per room

    (mine,) = split(phone1)["ticket"]
    assert mine["status"] == "called"
    assert mine["counter"] == 3
    assert mine["room"] == f"ticket:{first['token']}"
    (behind,) = split(phone2)["ticket"]
    assert behind["position"] == 1
    assert behind["people_ahead"] == 0
    assert behind["status"] == "waiting"

    at_desk = split(desk)
    assert at_desk["ticket_called"][0]["room"] == f"counter:{counter.id}"
    (state,) = at_desk["counter"]
    assert state["current"]["number"] == "P001"
    assert state["current"]["waited_minutes"] == 0
    assert state["current"]["service_started_at"] is None
    assert [w["number"] for w in state["waiting"]] == ["P002"]


def test_recall_is_announced_again(world: Any, client: Any, sio_factory: Any) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    _issue(client)
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    hall = sio_factory()
    _subscribe(hall, {"center": "test-1"})
    client.post(f"/api/v1/counters/{counter.id}/recall", headers=headers)
    (call,) = split(hall)["ticket_called"]
    assert call["recall"] is True
    assert call["number"] == "P001"


def test_service_flow_updates_the_desk(
    world: Any, app: Any, client: Any, clock: Any, sio_factory: Any
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    desk_client = app.test_client()
    login(desk_client, world.operators[0])
    desk = sio_factory(desk_client)
    _subscribe(desk, {"counter": counter.id})

    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    (opened,) = split(desk)["counter"]
    assert opened["counter"]["state"] == "open"

    _issue(client)
    (waiting,) = split(desk)["counter"]
    assert [w["number"] for w in waiting["waiting"]] == ["P001"]

    clock.advance(minutes=7)
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    client.post(f"/api/v1/counters/{counter.id}/start", headers=headers)
    states = split(desk)["counter"]
    assert states[-1]["current"]["status"] == "serving"
    assert states[-1]["current"]["waited_minutes"] == 7
    assert states[-1]["current"]["service_started_at"].startswith("2026-11-30T09:37")

    client.post(f"/api/v1/counters/{counter.id}/finish", headers=headers)
    (done,) = split(desk)["counter"]
    assert done["current"] is None
    assert done["served_today"] == 1

    client.post(f"/api/v1/counters/{counter.id}/pause", json={"reason": "lunch"}, headers=headers)
    (paused,) = split(desk)["counter"]
    assert paused["counter"]["state"] == "paused"
    assert paused["counter"]["pause_reason"] == "lunch"


def test_transfer_moves_the_ticket_to_the_other_queue(
    world: Any, client: Any, sio_factory: Any
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[2]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    ticket = _issue(client)
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    phone, hall = sio_factory(), sio_factory()
    _subscribe(phone, {"ticket": ticket["token"]})
    _subscribe(hall, {"center": "test-1"})
    res = client.post(
        f"/api/v1/counters/{counter.id}/transfer", json={"service": "notary"}, headers=headers
    )
    assert res.status_code == 200
    (mine,) = split(phone)["ticket"]
    assert mine["service"] == "notary"
    assert mine["status"] == "waiting"
    (queue,) = split(hall)["queue"]
    waiting = {s["code"]: s["waiting"] for s in queue["services"]}
    assert waiting == {"passport": 0, "id-card": 0, "notary": 1}


def test_cancel_moves_the_people_behind(world: Any, client: Any, sio_factory: Any) -> None:
    first, second, third = _issue(client), _issue(client), _issue(client)
    phone2, phone3 = sio_factory(), sio_factory()
    _subscribe(phone2, {"ticket": second["token"]})
    _subscribe(phone3, {"ticket": third["token"]})
    client.post(f"/api/v1/tickets/{first['token']}/cancel")
    assert split(phone2)["ticket"][0]["position"] == 1
    assert split(phone3)["ticket"][0]["position"] == 2


def test_a_plain_new_ticket_moves_no_one(world: Any, client: Any, sio_factory: Any) -> None:
    first = _issue(client)
    phone = sio_factory()
    _subscribe(phone, {"ticket": first["token"]})
    _issue(client)
    assert split(phone) == {}


def test_events_only_reach_their_center(world: Any, client: Any, sio_factory: Any) -> None:
    other = sio_factory()
    _subscribe(other, {"center": "other-1"})
    _issue(client)
    assert split(other) == {}


def test_seq_grows_per_room_and_snapshot_carries_it(
    world: Any, client: Any, sio_factory: Any
) -> None:
    hall = sio_factory()
    _subscribe(hall, {"center": "test-1"})
    _issue(client)
    _issue(client)
    seqs = [q["seq"] for q in split(hall)["queue"]]
    assert seqs == [seqs[0], seqs[0] + 1]
    late = sio_factory()
    late.emit("subscribe", {"center": "test-1"}, callback=True)
    (snap,) = split(late)["snapshot"]
    assert snap["seq"] == seqs[-1]


def test_a_desk_sees_the_next_thirty_and_how_many_wait(
    world: Any, app: Any, client: Any, sio_factory: Any
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    desk_client = app.test_client()
    login(desk_client, world.operators[0])
    desk = sio_factory(desk_client)
    for _ in range(35):
        _issue(client)
    _subscribe(desk, {"counter": counter.id})
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    (body,) = split(desk)["counter"]
    assert body["waiting_count"] == 35
    assert [w["number"] for w in body["waiting"]] == [f"P{i:03d}" for i in range(1, 31)]
