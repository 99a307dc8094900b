"""Staff-only data stays staff-only: every payload a citizen's device can get (the API without
a token, the center and ticket rooms) is walked key by key and value by value for pause
reasons, operator names, notes and phone numbers. The desk's own room is the positive
control: the same walker finds the pause reason there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asan_queue.models import User
from tests.factories import token_for

from .conftest import login, split

STAFF_KEYS = {
    "pause_reason",
    "pause_code",
    "outcome",
    "outcome_code",
    "booked_name",
    "operator",
    "operator_id",
    "operator_name",
    "username",
    "full_name",
    "note",
    "notes",
    "actor",
    "actor_id",
    "phone",
    "email",
}
PAUSE = "doctor visit for my mother"
OPERATOR = "Aysel Əliyeva"
PHONE_FORMS = ("+994501234567", "0501234567", "501234567")


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield f"{path}.{key}", key
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from walk(inner, f"{path}[{i}]")
    else:
        yield path, value


def leaks(payload: Any) -> list[str]:
    found = []
    for path, item in walk(payload):
        if isinstance(item, str):
            if item in STAFF_KEYS and path.endswith(f".{item}"):
                found.append(f"key {path}")
            elif PAUSE in item or OPERATOR in item or any(p in item for p in PHONE_FORMS):
                found.append(f"value at {path}")
    return found


def test_no_public_payload_carries_staff_or_personal_data(
    world: Any, app: Any, client: Any, session: Any, sio_factory: Any, sms: Any
) -> None:
    operator = session.get(User, world.operators[0].id)
    operator.full_name = OPERATOR
    session.commit()
    hall, phone = sio_factory(), sio_factory()
    assert hall.emit("subscribe", {"center": "test-1"}, callback=True)["ok"]

    public: list[Any] = []
    res = client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "passport", "phone": PHONE_FORMS[1]}
    )
    ticket = res.get_json()
    public.append(ticket)
    assert phone.emit("subscribe", {"ticket": ticket["token"]}, callback=True)["ok"]
    public.append(
        client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}).get_json()
    )
    headers = token_for(client, "op1")
    c1, c2 = world.counters[0].id, world.counters[1].id
    client.post(f"/api/v1/counters/{c1}/open", headers=headers)
    client.post(f"/api/v1/counters/{c1}/call-next", headers=headers)
    other = token_for(client, "op2")
    client.post(f"/api/v1/counters/{c2}/open", headers=other)
    paused = client.post(f"/api/v1/counters/{c2}/pause", json={"reason": PAUSE}, headers=other)
    assert paused.get_json()["pause_reason"] == PAUSE  # the operator sees their own reason

    for path in (
        "/api/v1/centers",
        "/api/v1/centers/test-1",
        f"/api/v1/tickets/{ticket['token']}",
        "/api/v1/centers/test-1/hours",
        "/api/v1/centers/test-1/services/passport/slots?date=2026-12-01",
        "/api/v1/centers/test-1/services/passport/days?month=2026-12",
    ):
        res = client.get(path)
        assert res.status_code == 200, path
        public.append(res.get_json())
    public.append(client.get(f"/t/{ticket['token']}").get_data(as_text=True))
    for sio in (hall, phone):
        for bodies in split(sio).values():
            public.extend(bodies)
    assert [leak for payload in public for leak in leaks(payload)] == []

    # Positive control: the desk's room (staff, logged in) does carry the pause reason.
    desk_client = app.test_client()
    login(desk_client, world.operators[1])
    desk = sio_factory(desk_client)
    assert desk.emit("subscribe", {"counter": c2}, callback=True)["ok"]
    (snapshot,) = split(desk)["snapshot"]
    assert any(leak.startswith("key .counter.pause_reason") for leak in leaks(snapshot))
