"""What the server really emits matches the published AsyncAPI document: a realistic run of
the hall (issue, call, recall, start, finish, transfer, pause, check the snapshots of all
three kinds of room) with every message validated against the document's schema for that
room and event, taken from GET /api/asyncapi.json (not from the classes behind it)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from tests.factories import token_for

from .conftest import login


def validators(doc: dict[str, Any]) -> dict[tuple[str, str], Draft202012Validator]:
    out = {}
    for room, channel in doc["channels"].items():
        for event, ref in channel["messages"].items():
            message = doc["components"]["messages"][ref["$ref"].rsplit("/", 1)[-1]]
            schema = {"components": doc["components"], **message["payload"]}
            out[(room, event)] = Draft202012Validator(schema)
    return out


def test_every_message_of_a_busy_morning_matches_the_document(
    app: Any, client: Any, world: Any, sio_factory: Any
) -> None:
    checks = validators(client.get("/api/asyncapi.json").get_json())
    hall, phone = sio_factory(), sio_factory()
    desk_client = app.test_client()
    login(desk_client, world.operators[0])
    desk = sio_factory(desk_client)
    counter = world.counters[0].id
    issued = [
        client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}).get_json()
        for _ in range(3)
    ]
    acks = [
        hall.emit("subscribe", {"center": "test-1"}, callback=True),
        phone.emit("subscribe", {"ticket": issued[0]["token"]}, callback=True),
        desk.emit("subscribe", {"counter": str(counter)}, callback=True),
    ]
    ack_check = checks[("subscribe", "subscribed")]
    for ack in acks:
        ack_check.validate(ack)
        assert ack["ok"]
    refused = hall.emit("subscribe", {"center": "x", "ticket": "y"}, callback=True)
    ack_check.validate(refused)
    assert refused["error"]["code"] == "invalid_subscription"
    h = token_for(client, "op1")
    for step, body in (
        ("open", None),
        ("call-next", None),
        ("recall", None),
        ("start", None),
        ("finish", None),
        ("call-next", None),
        ("transfer", {"service": "id-card"}),
        ("pause", {"reason": "paperwork"}),
    ):
        res = client.post(f"/api/v1/counters/{counter}/{step}", json=body or {}, headers=h)
        assert res.status_code in (200, 204), (step, res.get_json())
    seen: set[tuple[str, str]] = set()
    for sio in (hall, phone, desk):
        for message in sio.get_received():
            (body,) = message["args"]
            room = body["room"].split(":", 1)[0]
            checks[(room, message["name"])].validate(body)
            seen.add((room, message["name"]))
    assert seen == {
        ("center", "snapshot"),
        ("center", "ticket_called"),
        ("center", "queue"),
        ("ticket", "snapshot"),
        ("ticket", "ticket"),
        ("counter", "snapshot"),
        ("counter", "ticket_called"),
        ("counter", "counter"),
    }
