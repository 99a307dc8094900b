"""Operations: probes, Prometheus metrics, JSON log lines without personal data, compressed
answers, security headers on every answer, and path values the databases cannot store
answering 404 (never 500) on SQLite and PostgreSQL."""

import json
import logging

import brotli
import pytest

from asan_queue.models import Notification
from asan_queue.web.background import Runner, default_jobs
from asan_queue.web.ops import JsonLines
from tests.factories import PASSWORD, token_for

BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def test_healthz_answers_at_the_root_and_in_the_api(client):
    for path in ("/healthz", "/api/v1/healthz"):
        res = client.get(path)
        assert res.status_code == 200 and res.get_json() == {"status": "ok"}


def test_readyz_needs_the_database_the_background_jobs_and_redis(app, client, world):
    res = client.get("/readyz")
    assert res.status_code == 503  # no background jobs run in this process yet
    error = res.get_json()["error"]
    assert error["code"] == "not_ready"
    assert error["checks"] == {"database": True, "redis": None, "background": False}
    runner = Runner(app, default_jobs(app))
    app.extensions["asan_background"] = runner
    runner.run_pending()
    res = client.get("/api/v1/readyz")
    assert res.status_code == 200, res.get_json()
    assert res.get_json()["checks"] == {"database": True, "redis": None, "background": True}
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    res = client.get("/readyz")
    assert res.status_code == 503 and res.get_json()["error"]["checks"]["redis"] is False
    app.extensions.pop("asan_redis_probe")


def test_metrics_show_latency_lag_backlog_and_waiting_without_personal_data(
    app, client, world, session, clock
):
    for n in range(2):
        session.add(
            Notification(
                channel="sms",
                kind="called",
                recipient="+994504445566",
                body="P001",
                created_at=clock.now,
                next_attempt_at=clock.now,
                dedupe_key=f"metrics-{n}",
            )
        )
    session.commit()
    tokens = []
    for _ in range(2):
        body = {"service": "passport"}
        tokens.append(client.post("/api/v1/centers/test-1/tickets", json=body).get_json()["token"])
    client.get(f"/api/v1/tickets/{tokens[0]}")
    res = client.get("/metrics")
    assert res.status_code == 200 and res.mimetype == "text/plain"
    text = res.get_data(as_text=True)
    assert 'asan_waiting_tickets{center="test-1",service="passport"} 2.0' in text
    assert 'route="/api/v1/centers/<slug>/tickets"' in text
    assert 'route="/api/v1/tickets/<token>"' in text
    assert "asan_realtime_emit_lag_seconds_count" in text
    pending = next(line for line in text.splitlines() if line.startswith("asan_outbox_pending "))
    assert pending == "asan_outbox_pending 2.0"
    assert all(token not in text for token in tokens)
    assert "+994504445566" not in text and "4445566" not in text


def test_request_log_lines_are_json_with_the_route_not_its_values(client, world, caplog):
    token = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}).get_json()[
        "token"
    ]
    with caplog.at_level(logging.INFO, logger="asan_queue.access"):
        client.get(f"/api/v1/tickets/{token}?lang=ru")
    records = [r for r in caplog.records if r.name == "asan_queue.access"]
    assert records
    line = json.loads(JsonLines().format(records[-1]))
    assert line["level"] == "info" and line["status"] == 200
    assert line["route"] == "/api/v1/tickets/<token>"
    assert token not in json.dumps(line)


def test_json_and_static_files_are_compressed(client, world):
    res = client.get("/api/v1/centers/test-1", headers={"Accept-Encoding": "br"})
    assert res.headers["Content-Encoding"] == "br"
    assert json.loads(brotli.decompress(res.data))["slug"] == "test-1"
    res = client.get("/api/v1/centers/test-1", headers={"Accept-Encoding": "gzip"})
    assert res.headers["Content-Encoding"] == "gzip"
    res = client.get("/kiosk/static/app.js", headers={"Accept-Encoding": "br"})
    assert res.headers["Content-Encoding"] == "br"
    assert b"import" in brotli.decompress(res.data)


def test_every_answer_carries_the_security_headers(client, world):
    for path in ("/", "/api/v1/centers", "/kiosk/test-1", "/kiosk/static/app.js", "/nowhere"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


@BACKENDS
@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64])
def test_ids_the_databases_cannot_store_answer_404(app, world, huge):
    client = app.test_client()
    bearer = token_for(client, "op1")
    for action in ("open", "call-next", "recall", "transfer"):
        res = client.post(f"/api/v1/counters/{huge}/{action}", headers=bearer, json={})
        assert res.status_code == 404, (action, res.get_json())
        assert res.get_json()["error"]["code"] == "counter_not_found"
    assert client.get(f"/display/test-1/counter/{huge}").status_code == 404
    assert (
        client.post("/desk/login", data={"username": "op1", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get(f"/desk/counter/{huge}").status_code == 404
