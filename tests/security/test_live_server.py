"""The production server process (serve.py, gevent): a slow password hash runs off the event
loop, so a kiosk is answered while it runs; Socket.IO accepts only our own pages and the
origins of ASAN_ALLOWED_ORIGINS."""

import sqlite3
import threading

import pytest
import requests
import websocket
from werkzeug.security import generate_password_hash

from tests.live import start_server

ALLOWED = "http://kiosk.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = start_server(tmp_path_factory.mktemp("hardening"), env={"ASAN_ALLOWED_ORIGINS": ALLOWED})
    yield live
    live.stop()


def test_a_kiosk_is_answered_while_a_slow_password_hash_runs(server):
    # A hash that takes seconds: if it ran on the event loop, nothing else would be answered
    # until it finished.
    slow = generate_password_hash("right-password", method="pbkdf2:sha256:4000000")
    with sqlite3.connect(server.env["ASAN_DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE users SET password_hash = ? WHERE username = 'operator2'", (slow,))
    login_done = threading.Event()
    outcome = {}

    def login():
        outcome["status"] = requests.post(
            f"{server.url}/api/v1/auth/token",
            json={"username": "operator2", "password": "wrong-password"},
            timeout=120,
        ).status_code
        login_done.set()

    thread = threading.Thread(target=login)
    thread.start()
    answered_during_hash = 0
    kiosk = requests.Session()
    while not login_done.is_set():
        res = kiosk.get(f"{server.url}/api/v1/centers/baku-1", timeout=120)
        assert res.status_code == 200
        if not login_done.is_set():
            answered_during_hash += 1
    thread.join()
    assert outcome["status"] == 401
    # The kiosk kept being answered through the whole hash (a blocked loop answers none once
    # the hash has started: at most the one or two requests read before it).
    assert answered_during_hash >= 10


def _connects(server, origin):
    """Whether the Socket.IO handshake from a page of `origin` (None: no Origin) succeeds.
    (websocket-client sends exactly one Origin; python-socketio would add a second.)"""
    url = server.url.replace("http", "ws", 1) + "/socket.io/?transport=websocket&EIO=4"
    options = {"origin": origin} if origin else {"suppress_origin": True}
    try:
        ws = websocket.create_connection(url, timeout=10, **options)
    except websocket.WebSocketBadStatusException as refused:
        assert refused.status_code == 400
        return False
    try:
        return ws.recv().startswith("0{")  # the engine.io open packet
    finally:
        ws.close()


def test_socketio_accepts_only_our_pages_and_the_allowed_origins(server):
    assert _connects(server, server.url)  # our own pages
    assert _connects(server, ALLOWED)
    assert _connects(server, None)  # not a browser: no page of another site
    assert not _connects(server, "http://evil.example")
    assert not _connects(server, "http://kiosk.example.evil.example")
