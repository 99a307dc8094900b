"""Issuing, reading and cancelling tickets through the public API."""

from asan_queue.models import IdempotencyKey, Ticket, TicketEvent
from tests.factories import token_for


def issue(client, service="passport", center="test-1", **body):
    return client.post(f"/api/v1/centers/{center}/tickets", json={"service": service, **body})


def open_counter(client, world, index=0, user="op1"):
    headers = token_for(client, user)
    res = client.post(f"/api/v1/counters/{world.counters[index].id}/open", headers=headers)
    assert res.status_code == 200, res.get_json()
    return headers


def test_list_centers_and_center_detail(client, world):
    res = client.get("/api/v1/centers")
    assert res.status_code == 200
    slugs = [c["slug"] for c in res.get_json()["items"]]
    assert slugs == ["test-1", "other-1"]

    issue(client)
    issue(client)
    body = client.get("/api/v1/centers/test-1").get_json()
    passport = next(s for s in body["services"] if s["code"] == "passport")
    assert passport["waiting"] == 2
    # No counter is open: no figure at all, rather than "0 min" (a citizen reads it as "go").
    assert passport["eta_minutes"] is None and passport["eta_status"] == "no_counter"
    assert passport["open_counters"] == 0
    assert body["sms_available"] is False
    open_counter(client, world)
    passport = next(
        s
        for s in client.get("/api/v1/centers/test-1").get_json()["services"]
        if s["code"] == "passport"
    )
    # A walk-in now waits for both, 11 minutes each (1 to walk up, 10 planned), give or take
    # the spread of two visits (0.4 x planned each, before any is measured): 22 +- 4 x sqrt 2.
    assert passport["eta_minutes"] == 22 and passport["eta_status"] == "estimate"
    assert passport["eta_range"] == {"low": 16, "high": 28}
    assert passport["next_numbers"] == ["P001", "P002"]
    assert passport["name"]["az"].startswith("Xidmət")
    assert [c["number"] for c in body["counters"]] == [1, 2, 3, 4]
    assert body["timezone"] == "Asia/Baku"


def test_issue_returns_number_position_eta_and_links(client, world):
    open_counter(client, world)
    first = issue(client)
    assert first.status_code == 201
    t1 = first.get_json()
    assert t1["number"] == "P001"
    assert t1["status"] == "waiting"
    assert t1["position"] == 1
    assert t1["eta_minutes"] == 0 and t1["eta_status"] == "estimate"
    assert t1["issued_at"] == "2026-11-30T09:30:00+04:00"
    assert t1["links"]["receipt_pdf"] == f"/api/v1/tickets/{t1['token']}/receipt.pdf"
    assert len(t1["token"]) >= 40

    t2 = issue(client).get_json()
    assert t2["number"] == "P002"
    assert t2["position"] == 2
    assert t2["eta_minutes"] == 11 and t2["eta_range"] == {"low": 7, "high": 15}
    # Another prefix has its own sequence.
    assert issue(client, "id-card").get_json()["number"] == "A001"


def test_numbers_reset_at_the_centers_local_midnight(client, world, clock):
    assert issue(client).get_json()["number"] == "P001"
    clock.now = clock.now.replace(hour=19, minute=59)  # 23:59 in Baku
    # Outside opening hours only a supervisor may issue, with a reason.
    staff = token_for(client, "super")
    late = client.post(
        "/api/v1/centers/test-1/tickets",
        json={"service": "passport", "override_reason": "night shift test"},
        headers=staff,
    )
    assert late.get_json()["number"] == "P002"
    clock.advance(minutes=1)  # 00:00 in Baku, still 20:00 UTC of the same UTC day
    midnight = client.post(
        "/api/v1/centers/test-1/tickets",
        json={"service": "passport", "override_reason": "night shift test"},
        headers=staff,
    )
    assert midnight.get_json()["number"] == "P001"


def test_priority_citizen_is_ahead_in_position(client, world):
    issue(client)
    issue(client)
    elderly = issue(client, priority="elderly").get_json()
    assert elderly["position"] == 1
    assert elderly["priority"] == "elderly"


def test_get_and_cancel_ticket(client, world, session):
    t = issue(client).get_json()
    res = client.get(f"/api/v1/tickets/{t['token']}")
    assert res.status_code == 200 and res.get_json()["number"] == "P001"

    res = client.post(f"/api/v1/tickets/{t['token']}/cancel")
    assert res.status_code == 200 and res.get_json()["status"] == "cancelled"
    again = client.post(f"/api/v1/tickets/{t['token']}/cancel")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_transition"
    ops = [e.operation for e in session.query(TicketEvent).order_by(TicketEvent.id)]
    assert ops == ["issue", "cancel"]


def test_idempotency_key_returns_the_same_ticket(client, world, session):
    headers = {"Idempotency-Key": "kiosk-7-press-42"}
    a = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}, headers=headers)
    b = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"}, headers=headers)
    assert a.status_code == b.status_code == 201
    assert a.get_json()["token"] == b.get_json()["token"]
    assert b.headers["Idempotent-Replayed"] == "true"
    assert session.query(Ticket).count() == 1
    assert issue(client).get_json()["number"] == "P002"  # no number was burnt

    reused = client.post(
        "/api/v1/centers/test-1/tickets", json={"service": "id-card"}, headers=headers
    )
    assert reused.status_code == 409
    assert reused.get_json()["error"]["code"] == "idempotency_key_reused"
    assert session.query(IdempotencyKey).count() == 1


def test_phone_is_normalised_to_e164(client, world, session, sms):
    t = issue(client, phone="050 123 45 67").get_json()
    stored = session.query(Ticket).filter_by(token=t["token"]).one()
    assert stored.phone == "+994501234567"
    assert "phone" not in t  # personal data is not echoed back


def test_feedback_after_service_only(client, world):
    from tests.factories import token_for

    t = issue(client).get_json()
    early = client.post(f"/api/v1/tickets/{t['token']}/feedback", json={"rating": 5})
    assert early.status_code == 409
    h = token_for(client, "op1")
    cid = world.counters[0].id
    client.post(f"/api/v1/counters/{cid}/open", headers=h)
    client.post(f"/api/v1/counters/{cid}/call-next", headers=h)
    client.post(f"/api/v1/counters/{cid}/start", headers=h)
    client.post(f"/api/v1/counters/{cid}/finish", headers=h)
    bad = client.post(f"/api/v1/tickets/{t['token']}/feedback", json={"rating": 6})
    assert bad.status_code == 422
    ok = client.post(
        f"/api/v1/tickets/{t['token']}/feedback", json={"rating": 4, "comment": "Çox sağ olun"}
    )
    assert ok.status_code == 201 and ok.get_json()["comment"] == "Çox sağ olun"
    twice = client.post(f"/api/v1/tickets/{t['token']}/feedback", json={"rating": 5})
    assert twice.status_code == 409


def test_appointment_only_service_refuses_walk_ins(client, world, session):
    world.services["notary"].walk_in = False
    session.commit()
    res = issue(client, "notary")
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "service_not_walk_in"


def test_a_phone_is_refused_when_no_sms_gateway_is_configured(client, world, session):
    res = issue(client, phone="050 123 45 67")
    assert res.status_code == 409
    assert res.get_json()["error"]["code"] == "sms_unavailable"
    assert session.query(Ticket).count() == 0  # nothing half-written, no number burnt
    assert issue(client).get_json()["number"] == "P001"
