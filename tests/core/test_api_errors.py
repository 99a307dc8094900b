"""Bad input answers a clear 4xx JSON error, never a 500, and writes nothing."""

import pytest

from asan_queue.models import Ticket, TicketEvent
from tests.factories import token_for

URL = "/api/v1/centers/test-1/tickets"


def assert_error(res, status, code=None):
    assert res.status_code == status, res.data
    body = res.get_json()
    assert set(body["error"]) >= {"code", "message"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 422, "malformed_json"),
        ({"data": "", "content_type": "application/json"}, 422, "body_required"),
        ({"json": ["passport"]}, 422, "invalid_body"),
        ({"json": {}}, 422, "missing_field"),
        ({"json": {"service": 5}}, 422, "wrong_type"),
        ({"json": {"service": True}}, 422, "wrong_type"),
        ({"json": {"service": "passport", "lang": "de"}}, 422, "invalid_lang"),
        ({"json": {"service": "passport", "priority": "vip"}}, 422, "invalid_priority"),
        ({"json": {"service": "passport", "phone": "12"}}, 422, "invalid_phone"),
        ({"json": {"service": "passport", "extra": 1}}, 422, "unknown_field"),
        ({"json": {"service": "no-such-service"}}, 404, "service_not_found"),
        ({"data": "service=passport", "content_type": "text/plain"}, 422, "unsupported_media"),
        ({"json": {"service": "x" * 500}}, 422, "too_long"),
    ],
)
def test_bad_ticket_requests_write_nothing(client, world, session, kwargs, status, code):
    assert_error(client.post(URL, **kwargs), status, code)
    assert session.query(Ticket).count() == 0
    assert session.query(TicketEvent).count() == 0


def test_unknown_center_and_ticket(client, world):
    assert_error(client.get("/api/v1/centers/nowhere"), 404, "center_not_found")
    assert_error(
        client.post("/api/v1/centers/nowhere/tickets", json={"service": "passport"}),
        404,
        "center_not_found",
    )
    assert_error(client.get("/api/v1/tickets/not-a-token"), 404, "ticket_not_found")
    assert_error(client.post("/api/v1/tickets/not-a-token/cancel"), 404, "ticket_not_found")
    assert_error(client.get("/api/v1/no/such/route"), 404)


def test_oversized_body(client, world, session):
    res = client.post(URL, data="{" + " " * 70_000 + "}", content_type="application/json")
    assert_error(res, 413)
    assert session.query(Ticket).count() == 0


def test_bad_idempotency_key(client, world):
    res = client.post(URL, json={"service": "passport"}, headers={"Idempotency-Key": "k" * 200})
    assert_error(res, 422, "invalid_idempotency_key")


def test_wrong_method(client, world):
    assert_error(client.delete("/api/v1/centers"), 405)


def test_staff_auth_errors(client, world):
    cid = world.counters[0].id
    url = f"/api/v1/counters/{cid}/open"
    assert_error(client.post(url), 401, "login_required")
    assert_error(client.post(url, headers={"Authorization": "Bearer nope"}), 401, "invalid_token")
    assert_error(client.post(url, headers={"Authorization": "Basic abc"}), 401, "invalid_token")
    bad_login = client.post("/api/v1/auth/token", json={"username": "op1", "password": "wrong"})
    assert_error(bad_login, 401, "bad_credentials")
    nobody = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x"})
    assert_error(nobody, 401, "bad_credentials")
    assert_error(client.post("/api/v1/auth/token", json={"username": "op1"}), 422, "missing_field")
    h = token_for(client, "op1")
    assert_error(client.post("/api/v1/counters/99999/open", headers=h), 404, "counter_not_found")
    assert_error(
        client.post(f"/api/v1/counters/{cid}/transfer", json={"service": 1}, headers=h),
        422,
        "wrong_type",
    )


def test_revoked_token_stops_working(client, world):
    h = token_for(client, "op1")
    cid = world.counters[0].id
    assert client.post(f"/api/v1/counters/{cid}/open", headers=h).status_code == 200
    assert client.post("/api/v1/auth/revoke", headers=h).status_code == 204
    assert_error(client.post(f"/api/v1/counters/{cid}/close", headers=h), 401, "invalid_token")


def test_tokens_expire(client, world, clock):
    h = token_for(client, "op1")
    clock.advance(hours=13)
    assert_error(client.post(f"/api/v1/counters/{world.counters[0].id}/open", headers=h), 401)


def test_openapi_documents_every_api_route(client, app):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        for part in ("<int:", "<path:", "<"):
            path = path.replace(part, "{")
        path = path.replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in the OpenAPI doc"
