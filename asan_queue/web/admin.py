"""The back office (/admin): centers, national agencies, services, counters, staff accounts and
each center's audit log, in az/ru/en, for admins (every center) and supervisors (their own).

Pages of our own rather than Flask-Admin (which has no az translation, and whose role checks,
audit rows and validation messages would each need overriding: see the issue's note). Each
form is a list of fields rendered by one template (templates/admin/form.html); a post is
parsed into the catalogue schema (schemas/catalog.py) and handed to services/provisioning.py,
the same code the `flask users` and `flask catalog` commands run. An error is shown next to
its field with the server's message, in the page's language. Plain forms with CSRF tokens:
no script needed, every control reachable by keyboard."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError
from sqlalchemy import select

from ..clock import now_utc
from ..domain.errors import DomainError
from ..extensions import db
from ..i18n import LANGS, pick, t
from ..models import Agency, Center, Counter, Service, User
from ..schemas.catalog import (
    WEEKDAYS,
    AgencyIn,
    CenterSettings,
    CounterIn,
    ServiceIn,
    UserIn,
    UserUpdate,
)
from ..services import permissions, provisioning
from .contract import problem_of
from .errors import translated
from .pages import page_lang
from .uow import unit_of_work

bp = Blueprint("admin", __name__, url_prefix="/admin")

FORM_ERROR = "_form"


@dataclass
class F:
    """One form field. kind: text, number, check, select, multi (checkboxes), names (az/ru/en
    inputs), area, password. `key` is the schema field its errors come back under."""

    name: str
    kind: str = "text"
    options: list[tuple[str, str]] = field(default_factory=list)
    required: bool = False
    key: str | None = None
    hint: bool = False

    @property
    def label(self) -> str:
        return f"admin.field.{self.name}"


@bp.before_request
@login_required
def _staff_only() -> None:
    permissions.may_open_back_office(current_user)


@bp.app_template_filter("admin_pick")
def _pick(names: dict[str, str] | None) -> str:
    return pick(names or {}, page_lang())


@bp.app_template_filter("audit_value")
def _audit_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _center(slug: str) -> Center:
    center = db.session.scalar(select(Center).where(Center.slug == slug))
    if center is None:
        abort(404)
    permissions.may_supervise(current_user, center.id)
    return center


def _visible_centers() -> list[Center]:
    stmt = select(Center).order_by(Center.id)
    own = permissions.own_center_id(current_user)
    if own is not None:
        stmt = stmt.where(Center.id == own)
    return list(db.session.scalars(stmt).all())


# ---- form plumbing -------------------------------------------------------------------------


def _raw(fields: list[F]) -> dict[str, Any]:
    """The posted values as typed (for showing the form again)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.kind == "names":
            out[f.name] = {lang: request.form.get(f"{f.name}_{lang}", "").strip() for lang in LANGS}
        elif f.kind == "check":
            out[f.name] = request.form.get(f.name) == "on"
        elif f.kind == "multi":
            out[f.name] = request.form.getlist(f.name)
        elif f.kind == "password":
            out[f.name] = request.form.get(f.name, "")
        else:
            out[f.name] = request.form.get(f.name, "").strip()
    return out


def _typed(fields: list[F], raw: dict[str, Any]) -> dict[str, Any]:
    """Form text as the schema's types: numbers as int (anything else left for the schema
    to refuse), an empty optional text as None, lists split at commas."""
    out: dict[str, Any] = {}
    for f in fields:
        value = raw[f.name]
        if f.kind == "number":
            out[f.name] = int(value) if re.fullmatch(r"-?\d{1,6}", value) else (value or None)
        elif f.kind == "names":
            out[f.name] = {k: v for k, v in value.items() if v}
        elif f.kind == "list":
            out[f.name] = [x.strip() for x in value.split(",") if x.strip()]
        elif f.kind in ("text", "select", "area") and value == "" and not f.required:
            out[f.name] = None
        else:
            out[f.name] = value
    return {k: v for k, v in out.items() if v is not None}


def _message(err: DomainError) -> str:
    return translated(err.code, err.message, err.details)


def _schema_errors(err: SchemaError, model: type[BaseModel]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in err.errors():
        problem = problem_of(item, model, "body")
        loc = [str(x) for x in item.get("loc", ())]
        name = loc[0] if loc else FORM_ERROR
        if name == "hours" and len(loc) > 1:
            name = f"hours_{loc[1]}"
        out.setdefault(name, _message(problem))
    return out


def _domain_error(err: DomainError) -> dict[str, str]:
    name = str(err.details.get("field") or FORM_ERROR)
    if name == "hours" and err.details.get("day"):
        name = f"hours_{err.details['day']}"
    return {name: _message(err)}


def _render_form(
    title: str,
    fields: list[F],
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    center: Center | None = None,
    extra: list[tuple[str, Any]] | None = None,
    back: str | None = None,
) -> Any:
    status = 422 if errors else 200
    return (
        render_template(
            "admin/form.html",
            title=title,
            fields=fields,
            values=values,
            errors=errors,
            form_error=errors.get(FORM_ERROR),
            center=center,
            extra=extra or [],
            back=back,
            saved=request.args.get("saved") == "1",
        ),
        status,
    )


def _handle(
    fields: list[F],
    model: type[BaseModel],
    save: Callable[[Any], Any],
    done: Callable[[Any], str],
    title: str,
    values: dict[str, Any],
    *,
    prepare: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
    **render: Any,
) -> Any:
    """GET: the form with `values`. POST: parse, save, redirect to done(result) or show the
    form again with each error next to its field."""
    if request.method == "GET":
        return _render_form(title, fields, values, {}, **render)
    raw = _raw(fields)
    data = _typed(fields, raw)
    errors: dict[str, str] = {}
    if prepare is not None:
        try:
            prepare(raw, data)
        except DomainError as err:
            errors = _domain_error(err)
    if not errors:
        try:
            result = save(model.model_validate(data))
        except SchemaError as err:
            errors = _schema_errors(err, model)
        except DomainError as err:
            if err.status == 403:
                raise
            errors = _domain_error(err)
        else:
            return redirect(done(result))
    shown = {**values, **{k: v for k, v in raw.items() if not k.startswith("password")}}
    return _render_form(title, fields, shown, errors, **render)


# ---- the start page ------------------------------------------------------------------------


@bp.get("/")
def home() -> Any:
    return render_template(
        "admin/home.html",
        centers=_visible_centers(),
        is_admin=permissions.is_admin(current_user),
    )


# ---- centers -------------------------------------------------------------------------------

POLICIES = ("fair", "fifo", "sla")


def _center_fields(lang: str, *, new: bool) -> list[F]:
    fields = [
        F("slug", required=True, hint=True),
        F("name", "names", required=True),
        F("address", "names"),
        F("timezone", required=True, hint=True),
        F("call_policy", "select", [(p, t(lang, f"admin.policy.{p}")) for p in POLICIES]),
        F("max_calls", "number", hint=True),
        F("checkin_before_minutes", "number"),
        F("checkin_after_minutes", "number"),
        F("last_ticket_minutes", "number", hint=True),
        F("public_url", hint=True),
    ]
    fields += [F(f"hours_{day}", key="hours") for day in WEEKDAYS]
    fields += [F("closed_days", "area", hint=True)]
    if permissions.is_admin(current_user):
        fields.append(F("active", "check"))
    return fields


def _center_values(center: Center) -> dict[str, Any]:
    s = provisioning.center_settings(center)
    values: dict[str, Any] = s.model_dump(mode="json")
    for day in WEEKDAYS:
        values[f"hours_{day}"] = ", ".join(f"{p.opens}-{p.closes}" for p in s.hours.get(day, []))  # type: ignore[call-overload]
    values["closed_days"] = "\n".join(
        f"{d.day.isoformat()} {pick(d.reason, 'az')}".strip() for d in s.closed_days
    )
    for key in ("max_calls", "checkin_before_minutes", "checkin_after_minutes"):
        values[key] = str(values[key])
    values["last_ticket_minutes"] = (
        "" if s.last_ticket_minutes is None else str(s.last_ticket_minutes)
    )
    values["public_url"] = s.public_url or ""
    return values


PERIOD = re.compile(r"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")


def _center_prepare(existing: Center | None) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """Hours typed as "09:00-13:00, 14:00-18:00" per weekday, closed days as one
    "YYYY-MM-DD reason" per line: into the schema's shapes."""

    def prepare(raw: dict[str, Any], data: dict[str, Any]) -> None:
        hours: dict[str, list[dict[str, str]]] = {}
        for day in WEEKDAYS:
            data.pop(f"hours_{day}", None)
            text = raw[f"hours_{day}"]
            periods = []
            for part in filter(None, (x.strip() for x in text.split(","))):
                m = PERIOD.match(part)
                if m is None:
                    raise DomainError(
                        f"{part!r}: write periods as 09:00-13:00, 14:00-18:00",
                        code="invalid_hours",
                        details={"field": f"hours_{day}"},
                    )
                periods.append({"opens": m[1].zfill(5), "closes": m[2].zfill(5)})
            if periods:
                hours[day] = periods
        data["hours"] = hours
        closed = []
        old = (
            {d.day.isoformat(): dict(d.reason or {}) for d in existing.closed_days}
            if existing
            else {}
        )
        for line in filter(None, (x.strip() for x in raw["closed_days"].splitlines())):
            day, _, reason = line.partition(" ")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise DomainError(
                    f"{line!r}: one day per line, YYYY-MM-DD then the reason",
                    code="invalid_closed_day",
                    details={"field": "closed_days"},
                )
            names = old.get(day, {})
            if reason.strip() and pick(names, "az") != reason.strip():
                names = {"az": reason.strip()}
            closed.append({"day": day, "reason": names})
        data["closed_days"] = closed
        if "active" not in data:
            data["active"] = existing.active if existing else True
        if existing is not None and not permissions.is_admin(current_user):
            data["active"] = existing.active

    return prepare


@bp.route("/centers/new", methods=["GET", "POST"])
def center_new() -> Any:
    permissions.may_administer(current_user)
    lang = page_lang()
    return _handle(
        _center_fields(lang, new=True),
        CenterSettings,
        lambda data: provisioning.save_center(unit_of_work(), data, current_user, now=now_utc()),
        lambda center: url_for("admin.center_edit", slug=center.slug, saved=1),
        t(lang, "admin.center.new"),
        {
            "timezone": "Asia/Baku",
            "call_policy": "fair",
            "max_calls": "3",
            "checkin_before_minutes": "30",
            "checkin_after_minutes": "10",
            "active": True,
        },
        prepare=_center_prepare(None),
        back=url_for("admin.home"),
    )


@bp.route("/centers/<slug>", methods=["GET", "POST"])
def center_edit(slug: str) -> Any:
    center = _center(slug)
    lang = page_lang()
    return _handle(
        _center_fields(lang, new=False),
        CenterSettings,
        lambda data: provisioning.save_center(
            unit_of_work(), data, current_user, now=now_utc(), slug=slug
        ),
        lambda c: url_for("admin.center_edit", slug=c.slug, saved=1),
        t(lang, "admin.center.edit", name=pick(center.name, lang)),
        _center_values(center),
        prepare=_center_prepare(center),
        center=center,
        back=url_for("admin.home"),
    )


# ---- agencies ------------------------------------------------------------------------------

AGENCY_FIELDS = [F("code", required=True, hint=True), F("name", "names", required=True)]


@bp.get("/agencies")
def agencies() -> Any:
    permissions.may_administer(current_user)
    rows = db.session.scalars(select(Agency).order_by(Agency.code)).all()
    return render_template("admin/agencies.html", agencies=rows)


@bp.route("/agencies/new", methods=["GET", "POST"])
@bp.route("/agencies/<code>", methods=["GET", "POST"])
def agency_edit(code: str | None = None) -> Any:
    permissions.may_administer(current_user)
    lang = page_lang()
    values: dict[str, Any] = {}
    if code is not None:
        agency = db.session.scalar(select(Agency).where(Agency.code == code))
        if agency is None:
            abort(404)
        values = {"code": agency.code, "name": dict(agency.name)}

    def prepare(raw: dict[str, Any], data: dict[str, Any]) -> None:
        if code is not None and data.get("code") != code:
            raise DomainError(
                "an agency's code does not change", code="code_fixed", details={"field": "code"}
            )

    return _handle(
        AGENCY_FIELDS,
        AgencyIn,
        lambda data: provisioning.save_agency(unit_of_work(), data, current_user, now=now_utc()),
        lambda a: url_for("admin.agencies", saved=1),
        t(lang, "admin.agency.new" if code is None else "admin.agency.edit"),
        values,
        prepare=prepare,
        back=url_for("admin.agencies"),
    )


# ---- services ------------------------------------------------------------------------------


def _service_fields() -> list[F]:
    agencies = db.session.scalars(select(Agency).order_by(Agency.code)).all()
    return [
        F("code", required=True, hint=True),
        F("agency", "select", [(a.code, f"{a.code} · {_pick(a.name)}") for a in agencies]),
        F("prefix", required=True, hint=True),
        F("name", "names", required=True),
        F("bring", "names"),
        F("planned_minutes", "number"),
        F("target_wait_minutes", "number"),
        F("walk_in", "check"),
        F("bookable", "check"),
        F("slot_minutes", "number"),
        F("seats_per_slot", "number"),
        F("last_ticket_time", hint=True),
        F("outcome_codes", "list", hint=True),
        F("active", "check"),
    ]


def _service_values(service: Service) -> dict[str, Any]:
    values: dict[str, Any] = provisioning.service_in(service).model_dump(mode="json")
    for key in ("planned_minutes", "target_wait_minutes", "slot_minutes", "seats_per_slot"):
        values[key] = str(values[key])
    values["last_ticket_time"] = values["last_ticket_time"] or ""
    values["outcome_codes"] = ", ".join(values["outcome_codes"])
    return values


def _checks(names: tuple[str, ...]) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    def prepare(raw: dict[str, Any], data: dict[str, Any]) -> None:
        for name in names:
            data[name] = bool(raw.get(name))

    return prepare


SERVICE_CHECKS = ("walk_in", "bookable", "active")


@bp.get("/centers/<slug>/services")
def services(slug: str) -> Any:
    center = _center(slug)
    rows = sorted(center.services, key=lambda s: (not s.active, s.prefix))
    return render_template(
        "admin/services.html", center=center, services=rows, saved=request.args.get("saved")
    )


@bp.route("/centers/<slug>/services/new", methods=["GET", "POST"])
@bp.route("/centers/<slug>/services/<code>", methods=["GET", "POST"])
def service_edit(slug: str, code: str | None = None) -> Any:
    center = _center(slug)
    lang = page_lang()
    values: dict[str, Any] = {
        "planned_minutes": "10",
        "target_wait_minutes": "15",
        "slot_minutes": "15",
        "seats_per_slot": "1",
        "walk_in": True,
        "active": True,
    }
    service = None
    if code is not None:
        service = next((s for s in center.services if s.code == code), None)
        if service is None:
            abort(404)
        values = _service_values(service)
    return _handle(
        _service_fields(),
        ServiceIn,
        lambda data: provisioning.save_service(
            unit_of_work(), slug, data, current_user, now=now_utc(), code=code
        ),
        lambda s: url_for("admin.services", slug=slug, saved=1),
        t(lang, "admin.service.new")
        if service is None
        else t(lang, "admin.service.edit", name=pick(service.name, lang)),
        values,
        prepare=_checks(SERVICE_CHECKS),
        center=center,
        back=url_for("admin.services", slug=slug),
    )


@bp.post("/centers/<slug>/services/<code>/deactivate")
def service_deactivate(slug: str, code: str) -> Any:
    _center(slug)
    provisioning.deactivate_service(unit_of_work(), slug, code, current_user, now=now_utc())
    return redirect(url_for("admin.services", slug=slug, saved=1))


# ---- counters ------------------------------------------------------------------------------


@bp.get("/centers/<slug>/counters")
def counters(slug: str) -> Any:
    center = _center(slug)
    return render_template(
        "admin/counters.html",
        center=center,
        counters=sorted(center.counters, key=lambda c: c.number),
        saved=request.args.get("saved"),
    )


@bp.route("/centers/<slug>/counters/new", methods=["GET", "POST"])
@bp.route("/centers/<slug>/counters/<int:number>", methods=["GET", "POST"])
def counter_edit(slug: str, number: int | None = None) -> Any:
    center = _center(slug)
    lang = page_lang()
    options = [
        (s.code, f"{s.prefix} · {_pick(s.name)}")
        for s in sorted(center.services, key=lambda s: s.prefix)
        if s.active
    ]
    fields = [
        F("number", "number", required=True),
        F("label"),
        F("services", "multi", options),
    ]
    values: dict[str, Any] = {"services": []}
    if number is not None:
        counter = db.session.scalar(
            select(Counter).where(Counter.center_id == center.id, Counter.number == number)
        )
        if counter is None:
            abort(404)
        values = {
            "number": str(counter.number),
            "label": counter.label or "",
            "services": [s.code for s in counter.services],
        }
    return _handle(
        fields,
        CounterIn,
        lambda data: provisioning.save_counter(
            unit_of_work(), slug, data, current_user, now=now_utc(), number=number
        ),
        lambda c: url_for("admin.counters", slug=slug, saved=1),
        t(lang, "admin.counter.new") if number is None else t(lang, "admin.counter.edit", n=number),
        values,
        center=center,
        back=url_for("admin.counters", slug=slug),
    )


# ---- users ---------------------------------------------------------------------------------


def _visible_users() -> list[User]:
    stmt = select(User).order_by(User.username)
    own = permissions.own_center_id(current_user)
    if own is not None:
        stmt = stmt.where(User.center_id == own)
    return list(db.session.scalars(stmt).all())


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        abort(404)
    if not permissions.is_admin(current_user):
        permissions.may_supervise(current_user, user.center_id or -1)
    return user


def _role_options(lang: str) -> list[tuple[str, str]]:
    roles = (
        ["operator"]
        if not permissions.is_admin(current_user)
        else ["operator", "supervisor", "admin"]
    )
    return [(r, t(lang, f"admin.role.{r}")) for r in roles]


def _center_options() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.slug, _pick(c.name)) for c in _visible_centers()]


@bp.get("/users")
def users() -> Any:
    rows = _visible_users()
    centers = {c.id: c for c in db.session.scalars(select(Center)).all()}
    return render_template(
        "admin/users.html", users=rows, centers=centers, saved=request.args.get("saved")
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> Any:
    lang = page_lang()
    fields = [
        F("username", required=True, hint=True),
        F("full_name"),
        F("role", "select", _role_options(lang)),
        F("center", "select", _center_options()),
        F("password", "password", required=True, hint=True),
        F("password_again", "password", required=True),
    ]
    own = permissions.own_center_id(current_user)
    holder: dict[str, str] = {}

    def prepare(raw: dict[str, Any], data: dict[str, Any]) -> None:
        holder["password"] = data.pop("password", "")
        if data.pop("password_again", "") != holder["password"]:
            raise DomainError(
                "the two passwords differ",
                code="passwords_differ",
                details={"field": "password_again"},
            )

    center_slug = next((c.slug for c in _visible_centers() if c.id == own), "") if own else ""
    return _handle(
        fields,
        UserIn,
        lambda data: provisioning.create_user(
            unit_of_work(), data, holder["password"], current_user, now=now_utc()
        ),
        lambda u: url_for("admin.users", saved=1),
        t(lang, "admin.user.new"),
        {"role": "operator", "center": center_slug},
        prepare=prepare,
        back=url_for("admin.users"),
    )


@bp.route("/users/<username>", methods=["GET", "POST"])
def user_edit(username: str) -> Any:
    user = _user(username)
    lang = page_lang()
    fields = [
        F("full_name"),
        F("role", "select", _role_options(lang)),
        F("center", "select", _center_options()),
    ]
    center = db.session.get(Center, user.center_id) if user.center_id else None
    values = {
        "full_name": user.full_name,
        "role": str(user.role),
        "center": center.slug if center else "",
    }
    return _handle(
        fields,
        UserUpdate,
        lambda data: provisioning.update_user(
            unit_of_work(), username, data, current_user, now=now_utc()
        ),
        lambda u: url_for("admin.user_edit", username=username, saved=1),
        t(lang, "admin.user.edit", name=username),
        values,
        extra=[("user", user)],
        back=url_for("admin.users"),
    )


class _Password(BaseModel):
    password: str


@bp.route("/users/<username>/password", methods=["GET", "POST"])
def user_password(username: str) -> Any:
    _user(username)
    lang = page_lang()
    fields = [
        F("password", "password", required=True, hint=True),
        F("password_again", "password", required=True),
    ]

    def prepare(raw: dict[str, Any], data: dict[str, Any]) -> None:
        if data.get("password_again") != data.get("password"):
            raise DomainError(
                "the two passwords differ",
                code="passwords_differ",
                details={"field": "password_again"},
            )
        data.pop("password_again", None)

    return _handle(
        fields,
        _Password,
        lambda data: provisioning.set_password(
            unit_of_work(), username, data.password, current_user, now=now_utc()
        ),
        lambda u: url_for("admin.user_edit", username=username, saved=1),
        t(lang, "admin.user.password", name=username),
        {},
        prepare=prepare,
        back=url_for("admin.user_edit", username=username),
    )


@bp.post("/users/<username>/active")
def user_active(username: str) -> Any:
    _user(username)
    active = request.form.get("active") == "1"
    provisioning.set_user_active(unit_of_work(), username, active, current_user, now=now_utc())
    return redirect(url_for("admin.user_edit", username=username, saved=1))


# ---- the audit log -------------------------------------------------------------------------


@bp.get("/centers/<slug>/audit")
def audit(slug: str) -> Any:
    center = _center(slug)
    zone = ZoneInfo(center.timezone)
    rows = []
    for entry in provisioning.audit_log(db.session, center.id):
        before, after = entry.before or {}, entry.after or {}
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        rows.append(
            {
                "at": entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": entry.actor,
                "entity": entry.entity,
                "name": next(
                    (
                        str(side[k])
                        for side in (after, before)
                        for k in ("code", "number", "username", "slug")
                        if side.get(k) is not None
                    ),
                    "",
                ),
                "action": entry.action,
                "changes": [(k, before.get(k), after.get(k)) for k in keys],
            }
        )
    return render_template("admin/audit.html", center=center, rows=rows)
