"""Rooms, refusals and snapshot contents (Socket.IO test client against the real handlers)."""

from __future__ import annotations

from typing import Any

from tests.factories import token_for
from tests.realtime.conftest import login, split


def test_center_snapshot_holds_the_hall(world: Any, client: Any, sio_factory: Any) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    assert client.post(f"/api/v1/counters/{counter.id}/open", headers=headers).status_code == 200
    for _ in range(2):
        client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)

    sio = sio_factory()
    ack = sio.emit("subscribe", {"center": "test-1"}, callback=True)
    assert ack == {"ok": True, "room": "center:test-1"}
    (snap,) = split(sio)["snapshot"]
    assert snap["room"] == "center:test-1"
    assert isinstance(snap["seq"], int)
    assert snap["center"]["name"]["en"] == "Test center"
    assert snap["center"]["timezone"] == "Asia/Baku"
    assert snap["center"]["languages"] == ["az", "ru", "en"]
    passport = next(s for s in snap["services"] if s["code"] == "passport")
    assert passport["waiting"] == 1
    assert passport["open_counters"] == 1
    assert {a["code"] for a in snap["agencies"]} == {"DIN", "ADL"}
    first = next(c for c in snap["counters"] if c["id"] == counter.id)
    assert first["state"] == "open"
    assert first["current"]["number"] == "P001"
    (call,) = snap["recent_calls"]
    assert call["number"] == "P001"
    assert call["counter"] == 1
    assert call["announcement"]["az"] == "P 1 nömrəli bilet, 1 nömrəli masaya yaxınlaşın"


def test_ticket_snapshot_is_the_api_body(world: Any, client: Any, sio_factory: Any) -> None:
    client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    issued = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    token = issued.get_json()["token"]
    sio = sio_factory()
    ack = sio.emit("subscribe", {"ticket": token}, callback=True)
    assert ack == {"ok": True, "room": f"ticket:{token}"}
    (snap,) = split(sio)["snapshot"]
    api = client.get(f"/api/v1/tickets/{token}").get_json()
    assert {k: v for k, v in snap.items() if k not in ("room", "seq")} == api
    assert snap["position"] == 2


def test_bad_subscriptions_are_refused_with_a_reason(world: Any, sio_factory: Any) -> None:
    sio = sio_factory()
    cases = [
        ({"center": "nowhere"}, "center_not_found"),
        ({"ticket": "no-such-token"}, "ticket_not_found"),
        ({"ticket": "x" * 500}, "invalid_subscription"),
        ({"center": "test-1", "ticket": "x"}, "invalid_subscription"),
        ("test-1", "invalid_subscription"),
        ({"planet": "mars"}, "invalid_subscription"),
        ({"counter": "abc"}, "invalid_subscription"),
        (None, "invalid_subscription"),
    ]
    for payload, code in cases:
        ack = sio.emit("subscribe", payload, callback=True)
        assert ack["error"]["code"] == code, payload
        assert ack["error"]["message"]
    assert "snapshot" not in split(sio)


def test_counter_room_needs_a_login(world: Any, sio_factory: Any) -> None:
    sio = sio_factory()
    ack = sio.emit("subscribe", {"counter": world.counters[0].id}, callback=True)
    assert ack["error"]["code"] == "login_required"
    assert not split(sio)


def test_operator_joins_only_counters_of_their_center(
    world: Any, app: Any, sio_factory: Any
) -> None:
    foreign = app.test_client()
    login(foreign, world.foreign_operator)
    sio = sio_factory(foreign)
    ack = sio.emit("subscribe", {"counter": world.counters[0].id}, callback=True)
    assert ack["error"]["code"] == "wrong_center"

    admin = app.test_client()
    login(admin, world.admin)
    ack = sio_factory(admin).emit("subscribe", {"counter": world.counters[0].id}, callback=True)
    assert ack["ok"] is True


def test_counter_snapshot_shows_waiting_list_in_call_order(
    world: Any, app: Any, client: Any, sio_factory: Any
) -> None:
    client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    client.post("/api/v1/centers/test-1/tickets", json={"service": "notary"})
    client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "id-card", "priority": "elderly"}
    )
    desk = app.test_client()
    login(desk, world.operators[0])
    sio = sio_factory(desk)
    counter = world.counters[0]  # serves passport and id-card, not notary
    ack = sio.emit("subscribe", {"counter": str(counter.id)}, callback=True)
    assert ack == {"ok": True, "room": f"counter:{counter.id}"}
    (snap,) = split(sio)["snapshot"]
    assert snap["counter"]["number"] == 1
    assert snap["counter"]["state"] == "closed"
    assert snap["current"] is None
    assert [w["number"] for w in snap["waiting"]] == ["A001", "P001"]  # priority first
    assert snap["waiting"][0]["priority"] == "elderly"
    assert snap["waiting"][1]["service_name"]["en"] == "Service passport"
    assert snap["served_today"] == 0
