"""POST /api/v1/centers/<slug>/what-if: supervisors ask how one more counter would change a
service's waits; the answer comes from the queue model's projection."""

import pytest

from tests.factories import token_for

URL = "/api/v1/centers/test-1/what-if"


@pytest.fixture
def busy_passport(client, world, clock):
    """Six passport tickets and one open counter (counter 1, op1)."""
    for _ in range(6):
        res = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
        assert res.status_code == 201
        clock.advance(minutes=1)
    op1 = token_for(client, "op1")
    assert client.post(f"/api/v1/counters/{world.counters[0].id}/open", headers=op1).status_code
    return world


def test_one_more_counter_shortens_the_longest_wait(client, busy_passport):
    res = client.post(URL, json={"service": "passport"}, headers=token_for(client, "super"))
    assert res.status_code == 200, res.get_json()
    body = res.get_json()
    before, after = body["before"], body["after"]
    assert before["waiting"] == after["waiting"] == 6
    assert after["longest_wait_minutes"] < before["longest_wait_minutes"]
    assert after["cleared_at"] < before["cleared_at"]
    assert body["change"] == {"extra_counters": 1, "counter": None}
    assert body["summary"].startswith("if one more counter serves passport from now")
    assert f"from {before['longest_wait_minutes']} min to" in body["summary"]


def test_an_existing_counter_that_also_serves_the_service(client, busy_passport):
    # Every counter of this hall serves passport already; counter 1 does not serve notary.
    headers = token_for(client, "super")
    res = client.post(URL, json={"service": "passport", "counter": 2}, headers=headers)
    assert res.status_code == 422
    assert res.get_json()["error"]["code"] == "counter_serves_service"
    res = client.post(URL, json={"service": "notary", "counter": 1}, headers=headers)
    assert res.status_code == 200
    assert res.get_json()["change"] == {"extra_counters": None, "counter": 1}


def test_two_more_counters(client, busy_passport):
    headers = token_for(client, "root")  # an admin may ask for any center
    one = client.post(URL, json={"service": "passport"}, headers=headers).get_json()
    two = client.post(
        URL, json={"service": "passport", "extra_counters": 2}, headers=headers
    ).get_json()
    assert two["after"]["longest_wait_minutes"] < one["after"]["longest_wait_minutes"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"service": "passport", "extra_counters": 0}, 422, "invalid_extra_counters"),
        ({"service": "passport", "extra_counters": 11}, 422, "invalid_extra_counters"),
        ({"service": "passport", "extra_counters": "2"}, 422, "invalid_extra_counters"),
        ({"service": "passport", "counter": 99}, 404, "counter_not_found"),
        ({"service": "nope"}, 404, "service_not_found"),
        ({}, 422, "missing_field"),
        ({"service": "passport", "why": 1}, 422, "unknown_field"),
    ],
)
def test_bad_requests_get_a_clear_error(client, busy_passport, body, status, code):
    res = client.post(URL, json=body, headers=token_for(client, "super"))
    assert res.status_code == status
    assert res.get_json()["error"]["code"] == code


def test_only_supervisors_of_the_center_and_admins_may_ask(client, world):
    assert client.post(URL, json={"service": "passport"}).status_code == 401
    op = token_for(client, "op1")
    res = client.post(URL, json={"service": "passport"}, headers=op)
    assert res.status_code == 403
    res = client.post(
        "/api/v1/centers/other-1/what-if",
        json={"service": "passport"},
        headers=token_for(client, "super"),
    )
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "wrong_center"
    res = client.post(
        "/api/v1/centers/nowhere/what-if",
        json={"service": "passport"},
        headers=token_for(client, "super"),
    )
    assert res.status_code == 404


def test_the_error_is_translated(client, busy_passport):
    res = client.post(
        URL,
        json={"service": "passport", "extra_counters": 0},
        headers={**token_for(client, "super"), "Accept-Language": "ru"},
    )
    assert "от 1 до 10" in res.get_json()["error"]["message"]
