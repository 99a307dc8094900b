"""The operator desk: login, counter choice, CSRF on its API calls, refusals."""

from __future__ import annotations

import re
from typing import Any

from tests.factories import PASSWORD


def _login(client: Any, username: str, password: str = PASSWORD, **kw: Any) -> Any:
    return client.post(
        "/desk/login?lang=en", data={"username": username, "password": password}, **kw
    )


def _csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "the desk page exposes its CSRF token"
    return match.group(1)


def test_desk_needs_a_login(world: Any, client: Any) -> None:
    res = client.get("/desk")
    assert res.status_code == 302
    assert "/desk/login" in res.headers["Location"]


def test_wrong_password_is_explained(world: Any, client: Any) -> None:
    res = _login(client, "op1", "nope")
    assert res.status_code == 401
    assert "Wrong username or password" in res.get_data(as_text=True)
    assert 'role="alert"' in res.get_data(as_text=True)
    assert _login(client, "", "").status_code == 400


def test_login_lists_the_counters_of_my_center(world: Any, client: Any) -> None:
    res = _login(client, "op1")
    assert res.status_code == 302
    assert res.headers["Location"] == "/desk/"
    page = client.get("/desk/?lang=en").get_data(as_text=True)
    assert "Choose your counter" in page
    assert set(re.findall(r'data-counter="(\d+)"', page)) == {"1", "2", "3", "4"}


def test_next_must_stay_on_this_site(world: Any, client: Any) -> None:
    res = client.post(
        "/desk/login?next=https://evil.example/x", data={"username": "op1", "password": PASSWORD}
    )
    assert res.headers["Location"] == "/desk/"


def test_login_form_needs_its_csrf_token(world: Any, app: Any, client: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    res = _login(client, "op1")
    assert res.status_code == 400
    # A stale form is explained from the catalogue in the page's language (en here), not
    # with Werkzeug's sentence.
    assert "The page is out of date; reload it" in res.get_data(as_text=True)
    assert "CSRF token is missing" not in res.get_data(as_text=True)
    form = client.get("/desk/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    res = client.post(
        "/desk/login", data={"username": "op1", "password": PASSWORD, "csrf_token": token}
    )
    assert res.status_code == 302


def test_desk_api_calls_need_the_pages_csrf_token(world: Any, app: Any, client: Any) -> None:
    _login(client, "op1")
    app.config["WTF_CSRF_ENABLED"] = True
    counter = world.counters[0]
    page = client.get(f"/desk/counter/{counter.id}?lang=en")
    assert page.status_code == 200
    token = _csrf(page.get_data(as_text=True))
    refused = client.post(f"/api/v1/counters/{counter.id}/open", json={})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    ok = client.post(f"/api/v1/counters/{counter.id}/open", json={}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    assert ok.get_json()["state"] == "open"


def test_a_second_desk_on_the_same_counter_is_refused(world: Any, app: Any) -> None:
    first, second = app.test_client(), app.test_client()
    _login(first, "op1")
    _login(second, "op2")
    counter = world.counters[0]
    mine = _csrf(first.get(f"/desk/counter/{counter.id}").get_data(as_text=True))
    opened = first.post(
        f"/api/v1/counters/{counter.id}/open", json={}, headers={"X-CSRFToken": mine}
    )
    assert opened.status_code == 200
    page = second.get(f"/desk/counter/{counter.id}").get_data(as_text=True)
    assert 'data-held="false"' in page
    assert "data-holder=" in page
    res = second.post(
        f"/api/v1/counters/{counter.id}/open", json={}, headers={"X-CSRFToken": _csrf(page)}
    )
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "counter_taken"


def test_counter_of_another_center_is_forbidden(world: Any, client: Any) -> None:
    _login(client, "foreign")
    assert client.get(f"/desk/counter/{world.counters[0].id}").status_code == 403
    assert client.get("/desk/counter/9999").status_code == 404


def test_logout(world: Any, client: Any) -> None:
    _login(client, "op1")
    assert client.post("/desk/logout").status_code == 302
    assert client.get("/desk/").status_code == 302


def test_a_json_body_is_not_a_login(world: Any, client: Any) -> None:
    for body in ("operator", ["op1", "secret-pw"], {"username": "op1", "password": "secret-pw"}):
        res = client.post("/desk/login", json=body)
        assert res.status_code < 500
        assert client.get("/desk").status_code == 302  # still not logged in
    assert client.post("/desk/logout", json="x").status_code < 500
