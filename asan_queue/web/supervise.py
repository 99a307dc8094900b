"""Supervision pages: the live dashboard (/supervise/<slug>), the head office's side-by-side
view (/supervise), reports with charts (/reports), and the public transparency page
(/public, no login). Who may see what is decided by services/permissions.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..domain.errors import NotFound
from ..extensions import db
from ..models import Center
from ..services.common import get_center
from ..services.permissions import may_supervise, own_center_id

bp = Blueprint("supervise", __name__)


def _centers() -> list[Center]:
    own = own_center_id(current_user)
    query = select(Center).order_by(Center.id)
    if own is not None:
        query = query.where(Center.id == own)
    return list(db.session.scalars(query))


@bp.get("/supervise")
@login_required
def overview() -> Any:
    centers = _centers()
    if own_center_id(current_user) is not None and centers:
        return redirect(url_for("supervise.dashboard", slug=centers[0].slug))
    return render_template("supervise/overview.html", centers=centers)


@bp.get("/supervise/<slug>")
@login_required
def dashboard(slug: str) -> Any:
    try:
        center = get_center(db.session, slug)
    except NotFound:
        abort(404)
    may_supervise(current_user, center.id)
    return render_template("supervise/dashboard.html", center=center)


@bp.get("/reports")
@login_required
def reports() -> Any:
    centers = _centers()
    if not centers:
        abort(404)
    chosen = request.args.get("center") or centers[0].slug
    center = next((c for c in centers if c.slug == chosen), None)
    if center is None:
        abort(404)
    may_supervise(current_user, center.id)
    return render_template("supervise/reports.html", center=center, centers=centers)


@bp.get("/public")
def public() -> Any:
    centers = db.session.scalars(select(Center).order_by(Center.id)).all()
    return render_template("supervise/public.html", centers=centers)
