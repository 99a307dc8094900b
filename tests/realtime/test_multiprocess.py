"""Two real server processes sharing PostgreSQL and Redis: a client connected to one sees the
events caused through the API of the other (Socket.IO's Redis message queue).

Skipped loudly without PostgreSQL or Redis; under CI=true it fails instead."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.conftest import pg_database_url, redis_prefix
from tests.live import LiveServer, start_server

REDIS_URL = os.environ.get("ASAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
TIMEOUT = 15


def _unavailable(msg: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg} (CI=true: the multi-process test must run)", pytrace=False)
    pytest.skip(f"!!! SKIPPED: {msg}")


def _fresh_pg_database() -> str:
    return pg_database_url("live", fresh=True)


def _check_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as err:  # noqa: BLE001
        _unavailable(f"Redis unreachable at {REDIS_URL}: {err}")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, ...]]:
    _check_redis()
    env = {
        "ASAN_DATABASE_URL": _fresh_pg_database(),
        "ASAN_REDIS_URL": REDIS_URL,
        "ASAN_REDIS_PREFIX": redis_prefix(),
        # The servers close due days at start-up only: the CLI test's leftover ticket is for
        # `flask close-day` to expire, not for a server's own pass that happens to run first.
        "ASAN_DAY_CLOSE_INTERVAL_SECONDS": "86400",
    }
    # One after the other: the first migrates and loads the demo data, the second finds it.
    first = start_server(tmp_path_factory.mktemp("mp-a"), env=env)
    try:
        second = start_server(tmp_path_factory.mktemp("mp-b"), env=env)
    except Exception:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


class Listener:
    """A real python-socketio client that queues every event it receives."""

    def __init__(self, url: str) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        for name in ("snapshot", "ticket_called", "queue", "ticket", "counter"):
            self.client.on(name, self._recorder(name))
        self.client.connect(url, transports=["websocket"], wait_timeout=TIMEOUT)

    def _recorder(self, name: str) -> Any:
        return lambda body: self.events.put((name, body))

    def subscribe(self, room: dict[str, Any]) -> None:
        ack = self.client.call("subscribe", room, timeout=TIMEOUT)
        assert ack.get("ok"), ack

    def wait_for(self, name: str, match: Any) -> dict[str, Any]:
        """The first `name` event for which match(body) holds; fails after TIMEOUT seconds."""
        while True:
            try:
                got, body = self.events.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no {name} event within {TIMEOUT}s")
            if got == name and match(body):
                return dict(body)


def test_event_caused_on_one_process_reaches_a_client_of_the_other(
    two_servers: tuple[LiveServer, LiveServer], tmp_path: Path
) -> None:
    watched, acting = two_servers
    hall = Listener(watched.url)
    try:
        hall.subscribe({"center": "baku-1"})
        center = requests.get(f"{acting.url}/api/v1/centers/baku-1", timeout=10).json()
        counter = center["counters"][0]
        headers = acting.token("operator1")
        res = requests.post(
            f"{acting.url}/api/v1/counters/{counter['id']}/open", headers=headers, timeout=10
        )
        assert res.status_code == 200, res.text
        issued = requests.post(
            f"{acting.url}/api/v1/centers/baku-1/tickets",
            json={"service": counter["services"][0]},
            timeout=10,
        )
        assert issued.status_code == 201, issued.text
        ticket = issued.json()
        hall.subscribe({"ticket": ticket["token"]})

        res = requests.post(
            f"{acting.url}/api/v1/counters/{counter['id']}/call-next", headers=headers, timeout=10
        )
        assert res.status_code == 200, res.text

        call = hall.wait_for("ticket_called", lambda b: b["number"] == ticket["number"])
        assert call["counter"] == counter["number"]
        assert call["announcement"]["en"].endswith(f"go to counter {counter['number']}")
        mine = hall.wait_for("ticket", lambda b: b["token"] == ticket["token"])
        assert mine["status"] == "called"
        assert mine["counter"] == counter["number"]
    finally:
        hall.client.disconnect()


def test_a_cli_command_reaches_the_clients_of_a_server_through_redis(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    import subprocess
    import sys

    from tests.live import ROOT

    watched, _ = two_servers
    issued = requests.post(
        f"{watched.url}/api/v1/centers/baku-1/tickets", json={"service": "passport"}, timeout=10
    )
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    phone = Listener(watched.url)
    try:
        phone.subscribe({"ticket": token})
        engine = create_engine(watched.env["ASAN_DATABASE_URL"])
        with engine.begin() as conn:  # the ticket is left over from yesterday
            conn.execute(text("UPDATE tickets SET day = day - 1 WHERE token = :t"), {"t": token})
        engine.dispose()
        settings = {
            k: watched.env[k]
            for k in ("ASAN_DATABASE_URL", "ASAN_REDIS_URL", "ASAN_REDIS_PREFIX", "ASAN_CLOCK_FILE")
        }  # the servers' clock too: the CLI runs in the same (weekday morning) day
        env = dict(os.environ, FLASK_APP="wsgi", **settings)
        done = subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "flask", "close-day"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("1 ticket(s) expired"), done.stdout
        expired = phone.wait_for("ticket", lambda b: b["token"] == token)
        assert expired["status"] == "expired"
    finally:
        phone.client.disconnect()
