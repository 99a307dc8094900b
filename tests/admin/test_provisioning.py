"""Provisioning through the back office, the CLI and the catalogue file: one code path,
validated, audited (before and after), and never deleting a service with history."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from asan_queue.models import Agency, AuditEntry, Center, Counter, Service, User
from asan_queue.schemas.catalog import Catalog
from asan_queue.services import provisioning
from asan_queue.web.uow import unit_of_work
from tests.factories import PASSWORD


def _login(client: Any, username: str) -> None:
    res = client.post("/desk/login?lang=en", data={"username": username, "password": PASSWORD})
    assert res.status_code == 302, res.get_data(as_text=True)


def _service_form(**overrides: Any) -> dict[str, Any]:
    form = {
        "code": "visa",
        "agency": "DIN",
        "prefix": "V",
        "name_az": "Viza",
        "name_ru": "Виза",
        "name_en": "Visa",
        "planned_minutes": "12",
        "target_wait_minutes": "20",
        "walk_in": "on",
        "slot_minutes": "15",
        "seats_per_slot": "1",
        "outcome_codes": "documents-missing, not-eligible",
        "active": "on",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_a_supervisor_adds_and_renames_a_service_and_the_audit_log_has_both(
    world: Any, client: Any, session: Any
) -> None:
    _login(client, "super")
    res = client.post("/admin/centers/test-1/services/new?lang=en", data=_service_form())
    assert res.status_code == 302, res.get_data(as_text=True)
    service = session.scalar(select(Service).where(Service.code == "visa"))
    assert service.prefix == "V" and service.outcome_codes == ["documents-missing", "not-eligible"]
    res = client.post(
        "/admin/centers/test-1/services/visa?lang=en", data=_service_form(name_en="Visa (new)")
    )
    assert res.status_code == 302
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "service").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor) for e in entries] == [("create", "super"), ("update", "super")]
    assert entries[0].before is None and entries[0].after["name"]["en"] == "Visa"
    assert entries[1].before["name"]["en"] == "Visa"
    assert entries[1].after["name"]["en"] == "Visa (new)"
    page = client.get("/admin/centers/test-1/audit?lang=en").get_data(as_text=True)
    assert "Visa (new)" in page and "super" in page


def test_a_duplicate_prefix_is_refused_next_to_the_field(
    world: Any, client: Any, session: Any
) -> None:
    _login(client, "super")
    res = client.post("/admin/centers/test-1/services/new?lang=en", data=_service_form(prefix="P"))
    assert res.status_code == 422
    html = res.get_data(as_text=True)
    assert 'id="error-prefix"' in html
    assert "Prefix P is already used by passport at this center" in html
    assert session.scalar(select(Service).where(Service.code == "visa")) is None


def test_hours_that_end_before_they_start_are_refused(world: Any, client: Any) -> None:
    _login(client, "super")
    page = client.get("/admin/centers/test-1?lang=en")
    assert page.status_code == 200
    form = {
        "slug": "test-1",
        "name_az": "Test mərkəzi",
        "timezone": "Asia/Baku",
        "call_policy": "fair",
        "max_calls": "3",
        "checkin_before_minutes": "30",
        "checkin_after_minutes": "10",
        "hours_mon": "18:00-09:00",
        "closed_days": "",
    }
    res = client.post("/admin/centers/test-1?lang=en", data=form)
    assert res.status_code == 422
    html = res.get_data(as_text=True)
    assert 'id="error-hours_mon"' in html and "A period must start before it ends" in html
    res = client.post("/admin/centers/test-1?lang=en", data={**form, "timezone": "Mars/Base"})
    assert "No such timezone" in res.get_data(as_text=True)


def test_staff_of_one_center_reach_nothing_of_another(world: Any, client: Any) -> None:
    _login(client, "super")
    for path in (
        "/admin/centers/other-1",
        "/admin/centers/other-1/services",
        "/admin/centers/other-1/services/passport",
        "/admin/centers/other-1/counters",
        "/admin/centers/other-1/audit",
        "/admin/agencies",
        "/admin/users/foreign",
        "/admin/centers/new",
    ):
        assert client.get(path).status_code == 403, path
    res = client.post("/admin/centers/other-1/services/passport/deactivate")
    assert res.status_code == 403
    home = client.get("/admin/").get_data(as_text=True)
    assert "other-1" not in home
    users = client.get("/admin/users").get_data(as_text=True)
    assert "foreign" not in users and "op1" in users


def test_an_operator_cannot_open_the_back_office(world: Any, client: Any) -> None:
    _login(client, "op1")
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/centers/test-1").status_code == 403


def test_a_service_with_history_is_deactivated_never_deleted(
    world: Any, client: Any, session: Any
) -> None:
    client.post("/api/v1/centers/test-1/tickets", json={"service": "notary"})
    _login(client, "super")
    res = client.post("/admin/centers/test-1/services/notary/deactivate")
    assert res.status_code == 302
    notary = session.scalar(select(Service).where(Service.code == "notary"))
    session.refresh(notary)
    assert notary is not None and not notary.active
    detail = client.get("/api/v1/centers/test-1").get_json()
    assert "notary" not in {s["code"] for s in detail["services"]}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "deactivate"))
    assert entry.before["active"] is True and entry.after["active"] is False


def test_users_are_created_reset_and_deactivated_and_a_password_is_never_shown(
    world: Any, client: Any, session: Any
) -> None:
    _login(client, "super")
    weak = {
        "username": "op9",
        "role": "operator",
        "center": "test-1",
        "password": "short",
        "password_again": "short",
    }
    res = client.post("/admin/users/new?lang=en", data=weak)
    assert res.status_code == 422 and "Weak password" in res.get_data(as_text=True)
    strong = {**weak, "password": "Kiosk-desk-42", "password_again": "Kiosk-desk-42"}
    res = client.post("/admin/users/new?lang=en", data={**strong, "role": "supervisor"})
    assert res.status_code == 403  # a supervisor makes operators only
    res = client.post("/admin/users/new?lang=en", data=strong)
    assert res.status_code == 302
    html = client.get("/admin/users/op9?lang=en").get_data(as_text=True)
    assert "Kiosk-desk-42" not in html
    res = client.post("/admin/users/op9/active", data={"active": "0"})
    assert res.status_code == 302
    user = session.scalar(select(User).where(User.username == "op9"))
    session.refresh(user)
    assert not user.active
    actions = [
        e.action
        for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).all()
    ]
    assert actions == ["create", "deactivate"]
    assert all(
        "password_hash" not in json.dumps(e.after)
        for e in session.scalars(select(AuditEntry)).all()
    )


def test_cli_creates_a_user_with_a_password_from_stdin(
    world: Any, runner: Any, session: Any
) -> None:
    res = runner.invoke(args=["users", "create", "boss", "--role", "admin"], input="weak\n")
    assert res.exit_code != 0 and "weak_password" in res.output
    res = runner.invoke(
        args=["users", "create", "boss", "--role", "admin"], input="Strong-admin-7\n"
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        args=["users", "create", "op7", "--role", "operator"], input="Strong-admin-7\n"
    )
    assert res.exit_code != 0 and "center_required" in res.output
    res = runner.invoke(args=["users", "deactivate", "boss"])
    assert res.exit_code == 0
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "deactivate"))
    assert entry.actor == "cli"


def test_export_then_import_round_trips(app: Any, runner: Any, session: Any, clock: Any) -> None:
    res = runner.invoke(args=["seed-demo"])
    assert res.exit_code == 0
    exported = runner.invoke(args=["catalog", "export", "ganja-1"])
    assert exported.exit_code == 0, exported.output
    catalog = Catalog.model_validate_json(exported.output)
    again = provisioning.import_catalog(unit_of_work(), catalog, None, now=clock.now)
    assert again.changes == 0 and again.deactivated == []
    assert provisioning.export_center(session, "ganja-1") == catalog
    assert catalog.centers[0].hours["mon"][0].closes == "13:00"  # the lunch break


def test_reimport_updates_and_agencies_are_national(
    app: Any, runner: Any, session: Any, tmp_path: Any
) -> None:
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    din = session.scalars(select(Agency).where(Agency.code == "DIN")).all()
    assert len(din) == 1  # one agency, shared by both centers
    centers = {s.center.slug for s in din[0].services}
    assert centers == {"baku-1", "ganja-1"}
    exported = runner.invoke(args=["catalog", "export", "baku-1"]).output
    data = json.loads(exported)
    data["centers"][0]["services"][0]["name"]["en"] = "Identity card (renewed)"
    data["centers"][0]["counters"][0]["services"] = ["passport"]
    path = tmp_path / "baku.json"
    path.write_text(json.dumps(data), "utf-8")
    res = runner.invoke(args=["catalog", "import", str(path)])
    assert res.exit_code == 0 and "2 change(s)" in res.output, res.output
    session.expire_all()
    card = session.scalar(
        select(Service).join(Center).where(Center.slug == "baku-1", Service.code == "id-card")
    )
    assert card.name["en"] == "Identity card (renewed)"
    first = session.scalar(
        select(Counter).join(Center).where(Center.slug == "baku-1", Counter.number == 1)
    )
    assert [s.code for s in first.services] == ["passport"]
    assert "0 change(s)" in runner.invoke(args=["catalog", "import", str(path)]).output


def test_the_catalogue_api_exports_and_imports_with_the_same_rules(
    world: Any, client: Any, session: Any
) -> None:
    from tests.factories import token_for

    boss = token_for(client, "super")
    res = client.get("/api/v1/centers/test-1/catalog", headers=boss)
    assert res.status_code == 200, res.get_json()
    body = res.get_json()
    assert {s["code"] for s in body["centers"][0]["services"]} == {"passport", "id-card", "notary"}
    assert client.get("/api/v1/centers/other-1/catalog", headers=boss).status_code == 403
    body["centers"][0]["services"][1]["prefix"] = body["centers"][0]["services"][0]["prefix"]
    body["centers"][0]["services"][2]["name"]["en"] = "Half-written?"
    res = client.put("/api/v1/catalog", json=body, headers=boss)
    assert res.status_code == 422 and res.get_json()["error"]["code"] == "duplicate_prefix"
    session.expire_all()
    notary = session.scalar(select(Service).where(Service.code == "notary"))
    assert notary.name["en"] != "Half-written?"  # all or nothing
    good = client.get("/api/v1/centers/test-1/catalog", headers=boss).get_json()
    good["centers"][0]["services"][2]["name"]["en"] = "Notary (all acts)"
    res = client.put("/api/v1/catalog", json=good, headers=boss)
    assert res.status_code == 200 and res.get_json()["changes"] == 1
    other = client.get("/api/v1/centers/test-1/catalog", headers=boss).get_json()
    other["centers"][0]["slug"] = "other-1"
    res = client.put("/api/v1/catalog", json=other, headers=boss)
    assert res.status_code == 403
    assert (
        client.get("/api/v1/centers/test-1/catalog", headers=token_for(client, "op1")).status_code
        == 403
    )
