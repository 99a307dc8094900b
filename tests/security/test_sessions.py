"""No forged sessions: outside development the server refuses the development secret key; a
session signed with that key opens nothing; logout and a new password end every session
cookie and token of the user; production cookies are Secure, HttpOnly and SameSite."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from asan_queue import create_app
from asan_queue.extensions import db
from asan_queue.web.security import DEV_SECRET_KEY, InsecureConfig
from config import TestConfig
from tests.factories import PASSWORD, make_world, token_for

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k" * 16 + "3Jx9-strong-production-key-0123456789"


def _forge(secret: str, session_id: str) -> str:
    """A session cookie as anyone who knows `secret` can sign it."""
    signer = Flask("forger")
    signer.secret_key = secret
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    return serializer.dumps({"_user_id": session_id, "_fresh": True})


def _production(tmp_path, key):
    class Production(TestConfig):
        ENV = "production"
        TESTING = False
        SECRET_KEY = key
        SESSION_COOKIE_SECURE = True
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'prod.db'}"

    return Production


@pytest.fixture
def prod_app(tmp_path, clock):
    cfg = _production(tmp_path, STRONG)
    cfg.CLOCK = clock
    app = create_app(cfg)
    with app.app_context():
        db.create_all()
        world = make_world(db.session, now=clock.now)
        app.config["world_ids"] = [u.id for u in world.operators]
        db.session.remove()
    return app


def test_production_refuses_the_development_key_and_short_keys(tmp_path):
    for key in (DEV_SECRET_KEY, "short-key"):
        with pytest.raises(InsecureConfig, match="ASAN_SECRET_KEY"):
            create_app(_production(tmp_path, key))
    assert create_app(_production(tmp_path, STRONG)) is not None


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY])
def test_the_production_server_does_not_start_with_the_development_key(tmp_path, key):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASAN_")}
    env.update(ASAN_ENV="production", ASAN_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    if key:
        env["ASAN_SECRET_KEY"] = key
    run = subprocess.run(  # noqa: S603 - our own entry point
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "ASAN_SECRET_KEY must be set" in run.stderr


def test_a_session_forged_with_the_development_key_opens_nothing(prod_app):
    op1 = prod_app.config["world_ids"][0]
    counter_id = 1  # any counter: the desk's session is what is being judged
    for secret, opens in ((DEV_SECRET_KEY, False), (STRONG, True)):
        client = prod_app.test_client()
        client.set_cookie("session", _forge(secret, f"{op1}.0"))
        desk = client.get("/desk/")
        api = client.post(f"/api/v1/counters/{counter_id}/open", headers={"X-CSRFToken": "x"})
        if opens:  # the control: the same cookie signed with the server's key is a session
            assert desk.status_code == 200
            assert api.status_code == 403 and api.get_json()["error"]["code"] == "csrf_failed"
        else:
            assert desk.status_code == 302 and "/desk/login" in desk.headers["Location"]
            assert api.status_code == 401


def test_production_cookies_are_secure_httponly_samesite(prod_app):
    client = prod_app.test_client()
    res = client.post("/desk/login", data={"username": "op1", "password": PASSWORD})
    assert res.status_code == 302
    cookie = next(v for k, v in res.headers.items() if k == "Set-Cookie" and "session=" in v)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert res.headers["Strict-Transport-Security"].startswith("max-age=")


def _desk_session(app):
    client = app.test_client()
    res = client.post("/desk/login", data={"username": "op1", "password": PASSWORD})
    assert res.status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert client.get("/desk/").status_code == 200
    return client, cookie.value


def _replay(app, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/desk/").status_code


def test_a_desk_cookie_is_dead_after_logout_everywhere(app, world):
    client, cookie = _desk_session(app)
    _, second = _desk_session(app)  # the same operator at another desk
    bearer = token_for(app.test_client(), "op1")
    assert _replay(app, cookie) == 200
    assert client.post("/desk/logout", data={}).status_code == 302
    assert _replay(app, cookie) == 302
    assert _replay(app, second) == 302
    res = app.test_client().post(f"/api/v1/counters/{world.counters[0].id}/open", headers=bearer)
    assert res.status_code == 401
    # A new login works as before.
    assert _desk_session(app)[0].get("/desk/").status_code == 200


def test_api_logout_ends_the_desk_session_too(app, world):
    _, cookie = _desk_session(app)
    bearer = token_for(app.test_client(), "op1")
    assert app.test_client().post("/api/v1/auth/revoke", headers=bearer).status_code == 204
    assert _replay(app, cookie) == 302


def test_a_new_password_ends_every_session_and_token(app, world, runner):
    _, cookie = _desk_session(app)
    bearer = token_for(app.test_client(), "op1")
    result = runner.invoke(args=["users", "set-password", "op1"], input="n3w-passw0rd\n" * 2)
    assert result.exit_code == 0, result.output
    assert _replay(app, cookie) == 302
    res = app.test_client().post(f"/api/v1/counters/{world.counters[0].id}/open", headers=bearer)
    assert res.status_code == 401
    creds = {"username": "op1", "password": "n3w-passw0rd"}
    assert app.test_client().post("/api/v1/auth/token", json=creds).status_code == 201
    weak = runner.invoke(args=["users", "set-password", "op1"], input="short\nshort\n")
    assert weak.exit_code != 0
