"""The contract documents are generated from the schemas, validate, and cover the server:
every route and method, every answer each operation gives (the app checks every answer in
this suite against its declaration: web/contract.py check_answer), every field."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Response
from openapi_spec_validator import validate

from asan_queue.services import serialize
from asan_queue.web.contract import check_answer
from tests.factories import token_for

ROOT = Path(__file__).resolve().parents[2]


def test_the_openapi_document_is_valid_3_1_and_covers_every_route(app: Any, client: Any) -> None:
    doc = client.get("/api/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    documented = {(p, m.upper()) for p, ops in doc["paths"].items() for m in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", f"{{{arg}}}").replace(f"<{arg}>", f"{{{arg}}}")
        served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def test_every_answer_has_a_real_schema(client: Any) -> None:
    doc = client.get("/api/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["operationId"] and op["summary"], (path, method)
            for status, answer in op["responses"].items():
                for media, content in answer.get("content", {}).items():
                    schema = content["schema"]
                    if media == "application/json":
                        name = schema["$ref"].rsplit("/", 1)[-1]
                        assert schemas[name].get("properties"), (path, method, status)
                    else:  # binary bodies in the 3.1 idiom
                        assert schema == {"type": "string", "contentMediaType": media}
    call_next = doc["paths"]["/counters/{counter_id}/call-next"]["post"]["responses"]
    assert call_next["204"] == {"description": "No content"}
    ticket = schemas["Ticket"]
    assert {"eta_range", "eta_status", "people_ahead", "links", "called_at"} <= set(
        ticket["properties"]
    )
    assert set(ticket["required"]) == set(ticket["properties"])  # every field, every time
    issue = schemas["IssueTicket"]["properties"]["service"]
    assert issue["minLength"] == 1 and issue["maxLength"] == 40
    book = doc["paths"]["/appointments"]["post"]["responses"]
    assert "Retry-After" in book["429"]["headers"]


def test_an_undocumented_answer_or_field_fails_the_request(
    app: Any, client: Any, world: Any, monkeypatch: Any
) -> None:
    with app.test_request_context("/api/v1/centers", method="GET"):
        with pytest.raises(AssertionError, match="undocumented 418"):
            check_answer(Response("{}", status=418, mimetype="application/json"))
        with pytest.raises(Exception, match="missing"):
            check_answer(Response('{"items": [{"slug": "x"}]}', mimetype="application/json"))
    original = serialize._ticket_fields

    def with_extra(*args: Any) -> dict[str, Any]:
        return {**original(*args), "operator_name": "Aysel"}

    monkeypatch.setattr(serialize, "_ticket_fields", with_extra)
    with pytest.raises(Exception, match="operator_name"):
        client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})


def test_405_names_the_allowed_methods_and_429_says_when_to_retry(
    app: Any, client: Any, world: Any
) -> None:
    res = client.delete("/api/v1/centers")
    assert res.status_code == 405
    assert res.headers["Allow"].split(", ") and "GET" in res.headers["Allow"]
    assert res.get_json()["error"]["code"] == "method_not_allowed"
    app.config["RATELIMIT_BOOKING"] = "1/minute"
    body = {"center": "test-1", "service": "passport", "start": "x", "name": "Aysel"}
    client.post("/api/v1/appointments", json=body)
    limited = client.post("/api/v1/appointments", json=body)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60


def test_input_errors_name_the_field_with_the_old_codes(client: Any, world: Any) -> None:
    def error(res: Any) -> tuple[int, str, str | None]:
        e = res.get_json()["error"]
        return res.status_code, e["code"], e.get("field")

    post = client.post
    tickets = "/api/v1/centers/test-1/tickets"
    assert error(post(tickets, json={})) == (422, "missing_field", "service")
    assert error(post(tickets, json={"service": 5})) == (422, "wrong_type", "service")
    assert error(post(tickets, json={"service": "  "})) == (422, "missing_field", "service")
    assert error(post(tickets, json={"service": "x" * 41})) == (422, "too_long", "service")
    assert error(post(tickets, json={"service": "p", "x": 1})) == (422, "unknown_field", "x")
    assert error(post(tickets, json={"service": "passport", "lang": "de"}))[:2] == (
        422,
        "invalid_lang",
    )
    assert error(post(tickets, data="[1]", content_type="application/json"))[1] == "invalid_body"
    assert error(post(tickets, data="{", content_type="application/json"))[1] == "malformed_json"
    assert error(post(tickets, data="a=1"))[1] == "unsupported_media"
    assert error(post(tickets))[1] == "body_required"
    auth = token_for(client, "op1")
    assert error(post(f"/api/v1/counters/{2**31}/open", headers=auth))[:2] == (
        404,
        "counter_not_found",
    )
    assert error(client.get("/api/v1/tickets/short"))[:2] == (404, "ticket_not_found")
    slots = "/api/v1/centers/test-1/services/passport/slots"
    assert error(client.get(slots))[:2] == (422, "invalid_date")
    assert error(client.get(f"{slots}?date=2026-13-01"))[:2] == (422, "invalid_date")


def test_the_asyncapi_document_parses_with_the_official_parser(client: Any, tmp_path: Path) -> None:
    doc = client.get("/api/asyncapi.json").get_json()
    path = tmp_path / "asyncapi.json"
    path.write_text(json.dumps(doc))
    done = subprocess.run(  # noqa: S603 - our own script, node from the machine
        ["node", str(ROOT / "tests/contract/asyncapi_parse.mjs"), str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    diagnostics = json.loads(done.stdout)
    assert [d for d in diagnostics if d["severity"] == "error"] == []
    assert any(d["message"] == "channels=5 messages=12" for d in diagnostics)
    rooms = {name: c["address"] for name, c in doc["channels"].items()}
    assert rooms == {
        "subscribe": "subscribe",
        "center": "center:{slug}",
        "counter": "counter:{counter_id}",
        "ticket": "ticket:{token}",
        "supervise": "supervise:{slug}",
    }
