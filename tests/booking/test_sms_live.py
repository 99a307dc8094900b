"""The SMS outbox end to end on a real server: "you are called" and "you are 3rd in line" are
written in the transaction of the state change that causes them, so none is lost when the
gateway is down or the server is killed (kill -9) before it sends, and each is delivered
exactly once (every message carries one id through all its retries; the gateway drops a
repeat)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.live import FileClock, LiveServer, start_server, wait_until
from tests.sms_gateway import StubGateway

MONDAY_1000 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
PHONES = [f"+99450111000{i}" for i in range(1, 5)]


@pytest.fixture
def gateway() -> Iterator[StubGateway]:
    g = StubGateway()
    yield g
    g.release.set()
    g.close()


def serve(work: Path, gateway: StubGateway, clock: FileClock) -> LiveServer:
    env = {"ASAN_SMS_URL": gateway.url, "ASAN_NOTIFY_INTERVAL_SECONDS": "0.2", **clock.env()}
    return start_server(work, env=env)


def outbox(work: Path) -> list[tuple[str, int, str, int]]:
    with sqlite3.connect(work / "live.db") as conn:
        return conn.execute(
            "SELECT kind, ticket_id, status, attempts FROM notifications ORDER BY id"
        ).fetchall()


def busy_morning(server: LiveServer) -> dict[str, str]:
    """Four citizens with phones take passport tickets; counter calls two of them."""
    numbers = {}
    for phone in PHONES:
        res = requests.post(
            f"{server.url}/api/v1/centers/baku-1/tickets",
            json={"service": "passport", "phone": phone},
            timeout=10,
        )
        assert res.status_code == 201, res.text
        numbers[phone] = res.json()["number"]
    headers = server.token("operator1")
    center = requests.get(f"{server.url}/api/v1/centers/baku-1", timeout=10).json()
    counter = next(c for c in center["counters"] if "passport" in c["services"])
    base = f"{server.url}/api/v1/counters/{counter['id']}"
    for step in ("open", "call-next", "start", "finish", "call-next"):
        assert requests.post(f"{base}/{step}", headers=headers, timeout=10).ok, step
    return numbers


# phone -> the one message it must get: the first two are called; the 3rd in line at issue
# and the one that became 3rd after the first call are told so.
EXPECTED = {
    PHONES[0]: ["called"],
    PHONES[1]: ["called"],
    PHONES[2]: ["third"],
    PHONES[3]: ["third"],
}


def delivered_kinds(gateway: StubGateway, numbers: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for phone, number in numbers.items():
        texts = gateway.texts_to(phone)
        assert all(number in t for t in texts)
        out[phone] = ["called" if "masaya" in t else "third" for t in texts]
    return out


def test_messages_survive_a_gateway_outage_and_a_kill(tmp_path: Path, gateway: StubGateway) -> None:
    clock = FileClock(tmp_path / "clock.txt", MONDAY_1000)
    gateway.down = True
    server = serve(tmp_path, gateway, clock)
    try:
        numbers = busy_morning(server)
        # Every message is in the outbox, tried once and waiting to retry.
        wait_until(
            lambda: (
                len(outbox(tmp_path)) == 4
                and all(a >= 1 and s == "pending" for *_, s, a in outbox(tmp_path))
            ),
            what="four attempted messages",
        )
    finally:
        server.kill()
    gateway.down = False
    clock.set(MONDAY_1000 + timedelta(minutes=5))  # past every backoff
    again = serve(tmp_path, gateway, clock)
    try:
        wait_until(lambda: len(gateway.delivered) == 4, what="four deliveries")
        wait_until(
            lambda: {s for *_, s, _ in outbox(tmp_path)} == {"sent"}, what="recorded as sent"
        )
    finally:
        again.stop()
    assert delivered_kinds(gateway, numbers) == EXPECTED
    assert len(gateway.received) == 4  # nothing was sent twice


def test_a_message_sent_just_before_a_kill_is_delivered_once(
    tmp_path: Path, gateway: StubGateway
) -> None:
    clock = FileClock(tmp_path / "clock.txt", MONDAY_1000)
    gateway.holding = True  # the gateway takes each message, then keeps its answer back
    server = serve(tmp_path, gateway, clock)
    try:
        requests.post(
            f"{server.url}/api/v1/centers/baku-1/tickets",
            json={"service": "passport", "phone": PHONES[0]},
            timeout=10,
        ).raise_for_status()
        headers = server.token("operator1")
        center = requests.get(f"{server.url}/api/v1/centers/baku-1", timeout=10).json()
        counter = next(c for c in center["counters"] if "passport" in c["services"])
        base = f"{server.url}/api/v1/counters/{counter['id']}"
        for step in ("open", "call-next"):
            assert requests.post(f"{base}/{step}", headers=headers, timeout=10).ok
        wait_until(lambda: len(gateway.received) == 1, what="the message reaching the gateway")
    finally:
        server.kill()  # after the gateway took it, before the server could record it
    gateway.holding = False
    gateway.release.set()
    assert [s for *_, s, _ in outbox(tmp_path)] == ["sending"]
    # The claimed row is retried when its lease ends, with the same message id.
    clock.set(MONDAY_1000 + timedelta(minutes=3))
    again = serve(tmp_path, gateway, clock)
    try:
        wait_until(lambda: [s for *_, s, _ in outbox(tmp_path)] == ["sent"], what="sent")
    finally:
        again.stop()
    assert len(gateway.received) == 2  # the retry reached the gateway...
    assert len(gateway.delivered) == 1  # ...which delivered the message once
    assert gateway.received[0]["id"] == gateway.received[1]["id"]
