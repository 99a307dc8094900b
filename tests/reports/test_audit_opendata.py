"""The fair-queue audit (structured fields), the rollup backfill, the dashboard's alerts and
open data without personal data."""

from __future__ import annotations

import csv
import io
from typing import Any

from asan_queue.models import CallAudit, DailyStat, Device, Notification, Ticket
from asan_queue.services.supervise import device_seen
from tests.factories import token_for

# Keys that would carry personal data or single out a visit, at any depth.
PERSONAL = {"name", "full_name", "username", "operator", "phone", "email", "token", "comment"}
PERSONAL |= {"number", "ticket", "recipient", "code"}


def issue(client: Any, service: str = "passport", **body: Any) -> dict[str, Any]:
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service, **body})
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def call(client: Any, counter: Any, auth: dict[str, str]) -> dict[str, Any]:
    res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=auth)
    client.post(f"/api/v1/counters/{counter.id}/start", headers=auth)
    client.post(f"/api/v1/counters/{counter.id}/finish", headers=auth)
    return res.get_json()


def test_a_call_that_passes_over_a_longer_wait_is_audited_with_its_reason(
    client, world, clock, session
):
    op = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=op)
    first = issue(client, "id-card")  # target 30
    clock.advance(minutes=10)
    issue(client, "passport")  # target 15
    clock.advance(minutes=10)
    elderly = issue(client, "passport", priority="elderly")
    assert call(client, counter, op)["number"] == elderly["number"]
    audit = session.query(CallAudit).one()
    assert audit.tier == "priority"
    assert audit.passed_over == 2
    assert audit.longest_waited_minutes == 20
    # The next: passport waited 10/15 = 0.67 of its target, id-card 20/30 = 0.67; ties by
    # arrival, so the id-card (first) goes: nothing passed over, no audit row.
    assert call(client, counter, op)["number"] == first["number"]
    assert session.query(CallAudit).count() == 1
    today = clock.now.date()
    sup = token_for(client, "super")
    res = client.get(f"/api/v1/centers/test-1/stats?from={today}&to={today}", headers=sup)
    table = next(t for t in res.get_json()["tables"] if t["name"] == "audit")
    row = dict(zip(table["columns"], table["rows"][0], strict=True))
    assert (row["ticket"], row["tier"], row["passed_over"]) == (elderly["number"], "priority", 2)
    assert row["reason"]


def test_backfill_writes_the_rollups_of_closed_days(app, client, world, clock, session, runner):
    issue(client)
    clock.advance(days=1)
    assert "expired" in runner.invoke(args=["close-day"]).output
    rows = session.query(DailyStat).count()
    assert rows >= 1
    session.query(DailyStat).delete()
    session.commit()
    result = runner.invoke(args=["stats", "backfill"])
    assert result.exit_code == 0, result.output
    assert "rolled up" in result.output
    assert session.query(DailyStat).count() == rows


def test_dashboard_alerts(client, world, clock, session, app):
    sup = token_for(client, "super")
    op = token_for(client, "op1")
    ticket = issue(client, "notary")  # no counter of notary is open
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=op)
    client.post(f"/api/v1/counters/{counter.id}/pause", json={"reason": "lunch"}, headers=op)
    device_seen(session, world.center.id, "display", "Hall TV 1", connected=True, now=clock.now)
    device_seen(session, world.center.id, "display", "Hall TV 1", connected=False, now=clock.now)
    row = session.query(Ticket).filter_by(token=ticket["token"]).one()
    session.add(
        Notification(
            channel="sms",
            kind="turn",
            recipient="+994501234567",
            body="x",
            status="failed",
            created_at=clock.now,
            next_attempt_at=clock.now,
            ticket_id=row.id,
        )
    )
    session.commit()
    clock.advance(minutes=45)  # notary target 15: over twice its target
    board = client.get("/api/v1/centers/test-1/dashboard", headers=sup).get_json()
    kinds = {a["kind"] for a in board["alerts"]}
    assert kinds == {
        "service_over_target",
        "ticket_over_double_target",
        "no_open_counter",
        "long_break",
        "sms_failed",
        "device_offline",
    }
    notary = next(s for s in board["services"] if s["service"] == "notary")
    assert (notary["waiting"], notary["longest_wait_minutes"], notary["over_target"]) == (
        1,
        45,
        True,
    )
    paused = next(c for c in board["counters"] if c["counter"] == 1)
    assert (paused["state"], paused["pause_reason"], paused["paused_minutes"]) == (
        "paused",
        "lunch",
        45,
    )
    assert board["devices"][0]["name"] == "Hall TV 1"
    assert client.get("/api/v1/centers/test-1/dashboard", headers=op).status_code == 403
    assert session.query(Device).count() == 1


def _walk(value: Any, path: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in PERSONAL:
                found.append(f"{path}.{key}")
            found += _walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            found += _walk(inner, f"{path}[{n}]")
    return found


def test_open_data_carries_no_personal_field(client, world, clock, session, sms):
    op = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=op)
    issued = issue(client, phone="+994501234567")
    call(client, counter, op)
    client.post(
        f"/api/v1/tickets/{issued['token']}/feedback", json={"rating": 5, "comment": "Əli, tel"}
    )
    issue(client, "id-card")
    today = clock.now.date()
    month = today.strftime("%Y-%m")
    urls = [
        "/api/v1/open-data/load",
        f"/api/v1/open-data/daily?from={today}&to={today}",
        f"/api/v1/open-data/daily?from={today}&to={today}&center=test-1",
        f"/api/v1/open-data/ranking?month={month}",
        f"/api/v1/open-data/ranking?month={month}&center=test-1",
    ]
    secrets = [issued["token"], issued["number"], "+994501234567", "Əli", "op1", "Operator"]
    for url in urls:
        res = client.get(url)
        assert res.status_code == 200, (url, res.get_json())
        body = res.get_json()
        assert body["licence"].startswith("CC BY 4.0")
        assert _walk(body) == [], url
        columns = set(body["columns"])
        assert not columns & PERSONAL, url
        text = res.get_data(as_text=True)
        assert not [s for s in secrets if s in text], url
        as_csv = client.get(f"{url}{'&' if '?' in url else '?'}format=csv")
        assert as_csv.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
        assert rows[0] == body["columns"]
        assert len(rows) - 1 == len(body["rows"])
    daily = client.get(f"/api/v1/open-data/daily?from={today}&to={today}").get_json()
    passport = next(r for r in daily["rows"] if r[3] == "passport")
    assert passport[4] == 1  # served
    ranking = client.get(f"/api/v1/open-data/ranking?month={month}").get_json()
    assert ranking["rows"][0][:2] == [1, "DIN"]
    assert client.get("/api/v1/open-data/daily?from=2026-12-01&to=2026-11-01").status_code == 422
    assert client.get("/api/v1/open-data/ranking?month=2026-13").status_code == 422
    assert client.get("/api/v1/open-data/ranking?month=0000-01").status_code == 422
    end_of_time = "/api/v1/open-data/daily?from=9999-12-31&to=9999-12-31"
    assert client.get(end_of_time).get_json()["error"]["code"] == "invalid_range"
    assert client.get(f"/api/v1/open-data/ranking?month={month}&center=nope").status_code == 404


def test_the_open_data_is_in_the_openapi_document(client):
    doc = client.get("/api/openapi.json").get_json()
    for path in ("/open-data/load", "/open-data/daily", "/open-data/ranking"):
        answer = doc["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(answer) == {"application/json", "text/csv"}
    assert "text/csv" in doc["paths"]["/centers/{slug}/stats"]["get"]["responses"]["200"]["content"]
