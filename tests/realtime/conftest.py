"""Socket.IO test clients sharing the Flask test client's cookies (desk login)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from asan_queue.extensions import socketio


def login(client: Any, user: Any) -> None:
    """Log `user` in on `client` as the desk's login form does (Flask-Login session)."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()  # "<id>.<session version>"
        sess["_fresh"] = True


@pytest.fixture
def sio_factory(app: Any) -> Iterator[Callable[..., Any]]:
    made: list[Any] = []

    def make(client: Any | None = None) -> Any:
        flask_client = client if client is not None else app.test_client()
        sio = socketio.test_client(app, flask_test_client=flask_client)
        assert sio.is_connected()
        made.append(sio)
        return sio

    yield make
    for sio in made:
        if sio.is_connected():
            sio.disconnect()


def received(sio: Any, name: str) -> list[dict[str, Any]]:
    """The bodies of every `name` event this client got since the last call."""
    return [m["args"][0] for m in sio.get_received() if m["name"] == name]


def split(sio: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for m in sio.get_received():
        out.setdefault(m["name"], []).append(m["args"][0])
    return out
