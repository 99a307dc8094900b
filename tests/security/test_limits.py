"""Limits where abuse hurts a hall: staff logins (per user and per address, a doubling lock,
429 with Retry-After), walk-in tickets per address and per kiosk (X-Kiosk-Key), check-in codes
per address, subscribes per socket; proxy headers believed only from a trusted proxy."""

import pytest

from asan_queue import create_app
from asan_queue.extensions import db, socketio
from asan_queue.web.limits import login_locks
from config import TestConfig
from tests.core.test_concurrency import run_parallel
from tests.factories import PASSWORD, make_world

LOGIN = "/api/v1/auth/token"
TICKETS = "/api/v1/centers/test-1/tickets"
CHECK_IN = "/api/v1/centers/test-1/check-in"


@pytest.fixture
def hall(app):
    """The sizes of a real hall (config.Config), not the test suite's generous ones."""
    for name in (
        "LOGIN_FREE_FAILURES_USER",
        "LOGIN_FREE_FAILURES_ADDRESS",
        "LIMIT_TICKETS_ADDRESS",
        "LIMIT_CHECKIN_ADDRESS",
    ):
        app.config[name] = getattr(TestConfig.__mro__[1], name)
    app.config["KIOSK_KEYS"] = {"k-ey-of-kiosk-one": "kiosk-1", "k-ey-of-kiosk-two": "kiosk-2"}
    return app


def _wrong(client, username="op1"):
    return client.post(LOGIN, json={"username": username, "password": "wrong-password"})


def test_a_login_flood_of_eight_clients_is_answered_429_with_retry_after(hall, world):
    def flooder(i):
        client = hall.test_client()
        return [_wrong(client) for _ in range(6)]

    answers = [res for batch in run_parallel(8, flooder) for res in batch]
    refused = [res for res in answers if res.status_code == 429]
    checked = [res for res in answers if res.status_code == 401]
    # The free failures, then about one in flight per client when the lock fell (a thread
    # may finish a whole attempt between another's count and its lock write, so up to two
    # each): at least two thirds of the 48 attempts were refused before any password was
    # hashed. Without the lock all 48 would be checked.
    assert len(checked) <= 5 + 2 * 8
    assert {res.status_code for res in answers} == {401, 429}
    for res in refused:
        assert int(res.headers["Retry-After"]) >= 1
        assert res.get_json()["error"]["code"] == "too_many_logins"
    # Even the right password waits out the lock: the flood cannot be told from the owner.
    right = hall.test_client().post(LOGIN, json={"username": "op1", "password": PASSWORD})
    assert right.status_code == 429
    # Another operator at another address is untouched (the address lock is per address).
    other = hall.test_client().post(
        LOGIN,
        json={"username": "op2", "password": PASSWORD},
        environ_overrides={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 201


def test_each_lock_after_the_free_failures_doubles(hall, world):
    client = hall.test_client()
    limits = hall.extensions["asan_limits"]
    for _ in range(5):
        assert _wrong(client).status_code == 401  # the free failures
    waits = []
    for _ in range(4):
        assert _wrong(client).status_code == 401  # counted, and locks
        locked = _wrong(client)
        assert locked.status_code == 429
        waits.append(int(locked.headers["Retry-After"]))
        with hall.app_context():
            for lock in login_locks("user:op1"):
                limits.storage.clear(lock)  # as if the wait had passed
    assert waits == [2, 4, 8, 16]


def test_the_address_lock_covers_every_username(hall, world):
    client = hall.test_client()
    for n in range(31):  # 30 free, the 31st locks the address
        assert _wrong(client, f"nobody-{n}").status_code == 401
    assert _wrong(client, "op3").status_code == 429
    desk = client.post("/desk/login", data={"username": "op3", "password": PASSWORD})
    assert desk.status_code == 429 and int(desk.headers["Retry-After"]) >= 1


def test_walk_in_tickets_per_address_and_per_kiosk(hall, world):
    client = hall.test_client()
    for _ in range(5):
        assert client.post(TICKETS, json={"service": "passport"}).status_code == 201
    refused = client.post(TICKETS, json={"service": "passport"})
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_tickets"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # An empty or unknown key is no kiosk: the same address budget.
    for key in ("", "guessed-key"):
        res = client.post(TICKETS, json={"service": "passport"}, headers={"X-Kiosk-Key": key})
        assert res.status_code == 429
    # Each kiosk in the same hall (same address) has its own budget.
    for key in ("k-ey-of-kiosk-one", "k-ey-of-kiosk-two"):
        for _ in range(12):
            res = client.post(TICKETS, json={"service": "passport"}, headers={"X-Kiosk-Key": key})
            assert res.status_code == 201
        res = client.post(TICKETS, json={"service": "passport"}, headers={"X-Kiosk-Key": key})
        assert res.status_code == 429


def test_check_in_codes_per_address(hall, world):
    client = hall.test_client()
    codes = [client.post(CHECK_IN, json={"code": f"ZZ{n:04d}"}) for n in range(11)]
    assert {res.status_code for res in codes[:10]} == {404}
    assert codes[10].status_code == 429
    assert codes[10].get_json()["error"]["code"] == "too_many_checkin"


def _proxied_app(tmp_path, clock, **settings):
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'proxy.db'}"
        CLOCK = clock
        LIMIT_TICKETS_ADDRESS = "2/minute"

    for name, value in settings.items():
        setattr(Cfg, name, value)
    app = create_app(Cfg)
    with app.app_context():
        db.create_all()
        make_world(db.session, now=clock.now)
        db.session.remove()
    return app


@pytest.mark.parametrize(
    ("settings", "believed"),
    [
        ({}, False),
        ({"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXY_ADDRESSES": ["10.1.1.1"]}, False),
        ({"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXY_ADDRESSES": ["127.0.0.1"]}, True),
    ],
)
def test_forwarded_addresses_are_believed_only_from_the_trusted_proxy(
    tmp_path, clock, settings, believed
):
    app = _proxied_app(tmp_path, clock, **settings)
    with app.app_context():
        client = app.test_client()
        statuses = [
            client.post(
                TICKETS, json={"service": "passport"}, headers={"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(4)
        ]
        db.session.remove()
    # Believed: four citizens, four budgets. Not: one client claiming four addresses.
    assert statuses == ([201] * 4 if believed else [201, 201, 429, 429])


def test_subscribes_per_connection_are_limited(app, world):
    app.config["SUBSCRIBES_PER_MINUTE"] = 30
    sio = socketio.test_client(app)
    acks = [sio.emit("subscribe", {"center": "test-1"}, callback=True) for _ in range(31)]
    assert all(ack.get("ok") for ack in acks[:30])
    assert acks[30]["error"]["code"] == "too_many_subscribes"
    fresh = socketio.test_client(app)  # another connection has its own budget
    assert fresh.emit("subscribe", {"center": "test-1"}, callback=True)["ok"]
    sio.disconnect()
    fresh.disconnect()


def test_limits_in_redis_are_shared_by_every_process(tmp_path, clock):
    """Two server processes (two apps) on one Redis: a lock made at one holds at the other."""
    import uuid

    from tests.conftest import redis_prefix

    prefix = f"{redis_prefix()}-{uuid.uuid4().hex[:8]}"
    apps = []
    for n in range(2):

        class Cfg(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'shared.db'}"
            CLOCK = clock
            LIMITS_STORAGE_URI = "redis://127.0.0.1:6379/0"
            REDIS_PREFIX = prefix
            LOGIN_FREE_FAILURES_USER = 2

        apps.append(create_app(Cfg))
        if n == 0:
            with apps[0].app_context():
                db.create_all()
                make_world(db.session, now=clock.now)
                db.session.remove()
    first, second = (a.test_client() for a in apps)
    with apps[0].app_context():
        assert [_wrong(first).status_code for _ in range(3)] == [401, 401, 401]
        db.session.remove()
    with apps[1].app_context():
        locked = _wrong(second)
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
        db.session.remove()
    limits = apps[1].extensions["asan_limits"]  # this run's keys only (others share Redis)
    for who in ("user:op1", "address:127.0.0.1"):
        limits.storage.clear(limits.key("login-fail", who))
        with apps[1].app_context():
            for lock in login_locks(who):
                limits.storage.clear(lock)


def test_a_malformed_kiosk_key_is_refused(client, world):
    res = client.post(TICKETS, json={"service": "passport"}, headers={"X-Kiosk-Key": "k" * 201})
    assert res.status_code == 422
    assert res.get_json()["error"]["code"] == "invalid_kiosk_key"
    res = client.post(TICKETS, json={"service": "passport"}, headers={"X-Kiosk-Key": "k" * 200})
    assert res.status_code == 201
