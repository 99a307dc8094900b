"""The operator desk: sign in (Flask-Login, CSRF-protected forms), choose a counter, work it.

The desk page itself acts through the JSON API (/api/v1/counters/<id>/...) with its session
cookie and the X-CSRFToken header, and follows its counter's Socket.IO room."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..clock import now_utc
from ..domain.desk import PAUSE_CODES
from ..domain.errors import Unauthorized
from ..domain.statuses import Role
from ..extensions import db, login_manager
from ..i18n import LANGS, pick, t
from ..models import Center, Counter
from ..services.auth import end_sessions, remembered_lang
from ..services.permissions import may_work_in
from .auth import staff_login
from .pages import page_lang
from .uow import unit_of_work

bp = Blueprint("desk", __name__, url_prefix="/desk")

login_manager.login_view = "desk.login"
login_manager.login_message = ""  # the login page says what to do; no flashed banner


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=80)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    pass


def _safe_next(target: str | None) -> str:
    # Only a path on this site: an absolute URL in ?next= would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("desk.choose")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    # Only real form posts: a JSON body is not a login form (and must not become a 500).
    form = LoginForm(formdata=request.form if request.method == "POST" else None)
    error = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                user = staff_login(form.username.data or "", form.password.data or "")
            except Unauthorized:
                error, status = "desk.bad_credentials", 401
            else:
                login_user(user)
                # The language chosen on the sign-in page follows the staff member: to the
                # next pages (the cookie) and to their next sign-in anywhere (their account).
                chosen = request.args.get("lang") or request.cookies.get("lang")
                lang = remembered_lang(unit_of_work(), user.id, chosen if chosen in LANGS else None)
                response = redirect(_safe_next(request.args.get("next")))
                if lang:
                    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
                return response
        else:  # (a missing or stale CSRF token is refused earlier, by CSRFProtect)
            error, status = "desk.fill_both", 400
    return render_template("desk/login.html", form=form, error=error), status


@bp.post("/logout")
def logout() -> Any:
    if LogoutForm(formdata=request.form).validate_on_submit():
        if current_user.is_authenticated:
            # Every session and token of this user ends, on every device.
            end_sessions(unit_of_work(), current_user.id, now=now_utc())
        logout_user()
    return redirect(url_for("desk.login"))


def _my_counters() -> list[Counter]:
    stmt = select(Counter).join(Center).order_by(Center.id, Counter.number)
    if current_user.role != Role.ADMIN:
        stmt = stmt.where(Counter.center_id == current_user.center_id)
    return list(db.session.scalars(stmt).all())


@bp.get("")
@bp.get("/")
@login_required
def choose() -> Any:
    counters = _my_counters()
    held = next((c for c in counters if c.operator_id == current_user.id), None)
    return render_template(
        "desk/choose.html",
        counters=counters,
        held=held,
        pick=pick,
        logout_form=LogoutForm(),
        no_center=current_user.role != Role.ADMIN and current_user.center_id is None,
    )


@bp.get("/counter/<id:counter_id>")
@login_required
def work(counter_id: int) -> Any:
    counter = db.session.get(Counter, counter_id)
    if counter is None:
        abort(404)
    may_work_in(current_user, counter.center_id)
    lang = page_lang()
    services = [
        {"code": s.code, "name": pick(s.name, lang)} for s in counter.center.services if s.active
    ]
    holder = counter.operator
    others = [c for c in counter.center.counters if c.id != counter.id]
    return render_template(
        "desk/desk.html",
        counter=counter,
        center=counter.center,
        services=services,
        other_counters=others,
        pause_codes=[(code, t(lang, f"pause.code_{code}")) for code in PAUSE_CODES],
        held_by_me=counter.operator_id == current_user.id,
        holder=holder.full_name or holder.username if holder else None,
        pick=pick,
        logout_form=LogoutForm(),
    )
