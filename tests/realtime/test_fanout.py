"""Fan-out by listener: the messages of an event go to the rooms that have listeners, and to a
ticket room only when its body changed; room keys expire; cached snapshots are invalidated
by the events that change them."""

from __future__ import annotations

import time
from typing import Any

import pytest

from asan_queue.extensions import socketio
from asan_queue.realtime import handlers, invalidate
from asan_queue.realtime.store import KEY_TTL, RedisStore
from tests.conftest import redis_prefix
from tests.factories import token_for
from tests.realtime.conftest import split
from tests.realtime.test_multiprocess import REDIS_URL, _check_redis


def _issue(client: Any, service: str = "passport") -> dict[str, Any]:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service})
    assert res.status_code == 201, res.get_json()
    return dict(res.get_json())


def _subscribe(sio: Any, room: dict[str, Any]) -> dict[str, Any]:
    ack = sio.emit("subscribe", room, callback=True)
    assert ack.get("ok"), ack
    (snap,) = split(sio)["snapshot"]
    return dict(snap)


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(event, room) of every message the emitter sends."""
    sent: list[tuple[str, str]] = []
    real = socketio.emit

    def spy(event: str, body: Any, to: str, **kwargs: Any) -> Any:
        sent.append((event, to))
        return real(event, body, to=to, **kwargs)

    monkeypatch.setattr(socketio, "emit", spy)
    return sent


def test_a_call_sends_only_to_rooms_with_listeners_however_long_the_queue(
    world: Any, client: Any, sio_factory: Any, emitted: list[tuple[str, str]]
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    tickets = [_issue(client) for _ in range(15)]
    hall, phone = sio_factory(), sio_factory()
    _subscribe(hall, {"center": "test-1"})
    _subscribe(phone, {"ticket": tickets[10]["token"]})
    emitted.clear()

    res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    assert res.status_code == 200

    rooms = {room for _, room in emitted}
    # The hall (the call, then the queue) and the one phone that moved up: nobody else.
    assert rooms == {"center:test-1", f"ticket:{tickets[10]['token']}"}
    assert sorted(e for e, _ in emitted) == ["queue", "ticket", "ticket_called"]
    (mine,) = split(phone)["ticket"]
    assert mine["position"] == 10  # the phone shows its new place


def test_a_phone_whose_position_did_not_change_gets_nothing(
    world: Any, client: Any, sio_factory: Any, emitted: list[tuple[str, str]]
) -> None:
    first, _, last = _issue(client), _issue(client), _issue(client)
    phone, hall = sio_factory(), sio_factory()
    _subscribe(phone, {"ticket": first["token"]})
    _subscribe(hall, {"center": "test-1"})
    emitted.clear()

    # The last in line leaves: the queue moved, but nobody ahead of it moved.
    res = client.post(f"/api/v1/tickets/{last['token']}/cancel", json={})
    assert res.status_code == 200, res.get_json()

    assert ("ticket", f"ticket:{first['token']}") not in emitted
    assert "ticket" not in split(phone)
    assert [q["services"] for q in split(hall)["queue"]]  # the hall did hear of it


def test_rooms_nobody_joined_get_nothing(
    world: Any, client: Any, emitted: list[tuple[str, str]]
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    for _ in range(5):
        _issue(client)
    emitted.clear()
    res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    assert res.status_code == 200
    assert emitted == []


def test_the_same_body_is_not_sent_twice_to_a_ticket_room(
    world: Any, client: Any, sio_factory: Any, emitted: list[tuple[str, str]]
) -> None:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    mine = _issue(client)
    phone = sio_factory()
    _subscribe(phone, {"ticket": mine["token"]})
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    (called,) = split(phone)["ticket"]
    assert called["status"] == "called"
    emitted.clear()
    # Another ticket issued and cancelled: the called ticket's body is what it was.
    other = _issue(client)
    client.post(f"/api/v1/tickets/{other['token']}/cancel", json={})
    assert "ticket" not in split(phone)


def test_a_cached_snapshot_is_used_until_an_event_changes_the_center(
    world: Any, client: Any, sio_factory: Any, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[str] = []
    real = handlers.build

    def counting(room: str, slug: str, now: Any) -> Any:
        builds.append(room)
        return real(room, slug, now)

    monkeypatch.setattr(handlers, "build", counting)
    _issue(client)
    first = _subscribe(sio_factory(), {"center": "test-1"})
    second = _subscribe(sio_factory(), {"center": "test-1"})
    assert builds == ["center:test-1"]  # the second display got the cached body
    assert first == second

    _issue(client)  # an event: the cached body is stale
    third = _subscribe(sio_factory(), {"center": "test-1"})
    assert builds == ["center:test-1", "center:test-1"]
    passport = next(s for s in third["services"] if s["code"] == "passport")
    assert passport["waiting"] == 2

    invalidate(app, "test-1")  # a catalogue change does the same
    _subscribe(sio_factory(), {"center": "test-1"})
    assert len(builds) == 3


def test_room_keys_expire_and_leases_tell_other_processes_who_listens() -> None:
    _check_redis()
    prefix = f"{redis_prefix()}-fanout"
    store = RedisStore(REDIS_URL, prefix)
    numbers = store.commit("c1", ["center:c1", "ticket:abc", "center:c1"], {"ticket:abc": "d1"})
    assert numbers == [1, 1, 2]
    for key in ("seq:center:c1", "seq:ticket:abc", "version:c1", "digest:c1"):
        ttl = store.redis.ttl(f"{prefix}:{key}")
        assert 0 < ttl <= KEY_TTL, key
    assert store.current("center:c1", "c1") == (2, 1)
    assert store.digests("c1", ["ticket:abc", "ticket:none"]) == {"ticket:abc": "d1"}

    other = RedisStore(REDIS_URL, prefix)  # another process
    store.lease({"c1": ["ticket:abc", "center:c1"]})
    assert other.listeners("c1") == {"ticket:abc", "center:c1"}
    # A lease that ran out is nobody's.
    store.redis.zadd(f"{prefix}:listen:c1", {"ticket:old": time.time() - 1})
    assert "ticket:old" not in other.listeners("c1")
    assert 0 < store.redis.ttl(f"{prefix}:listen:c1") <= KEY_TTL
    store.redis.delete(*store.redis.keys(f"{prefix}:*"))


def test_a_catalog_change_refreshes_the_hall_and_its_cached_snapshot(
    world: Any, app: Any, sio_factory: Any, emitted: list[tuple[str, str]]
) -> None:
    from asan_queue.domain.events import CatalogChanged
    from asan_queue.realtime.emitter import emit_batch

    hall = sio_factory()
    _subscribe(hall, {"center": "test-1"})
    emitted.clear()
    from datetime import UTC, datetime

    emit_batch(app, [CatalogChanged("test-1", datetime.now(UTC))])
    assert emitted == [("queue", "center:test-1"), ("snapshot", "center:test-1")]
