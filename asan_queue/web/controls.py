"""The supervisor's controls page, /supervise/<slug>/controls: counters opened, paused,
closed from afar, their services of the day, and waiting tickets moved, prioritised, put
first, removed or called to a counter. The page is static/supervise/controls.js
`mountControls(element, slug)`, which the live dashboard embeds as it is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..i18n import pick
from ..models import Center
from ..services.permissions import may_supervise
from .desk import LogoutForm

bp = Blueprint("controls", __name__)


@bp.get("/supervise/<slug>/controls")
@login_required
def controls(slug: str) -> Any:
    center = db.session.scalar(select(Center).where(Center.slug == slug))
    if center is None:
        abort(404)
    may_supervise(current_user, center.id)
    return render_template(
        "supervise/controls.html", center=center, pick=pick, logout_form=LogoutForm()
    )
