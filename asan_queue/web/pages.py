"""Shared pages and assets: the start page, translation catalogs, vendored npm files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file
from sqlalchemy import select

from ..extensions import db
from ..i18n import LANGS, catalogs, t
from ..models import Center
from .errors import request_lang

bp = Blueprint("pages", __name__)

# npm files the browser may load (kiosks sit on closed networks: nothing from a CDN).
VENDOR = {
    "socket.io.esm.min.js": "socket.io-client/dist/socket.io.esm.min.js",
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "jsQR.js": "jsqr/dist/jsQR.js",
    "DejaVuSans.ttf": "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf": "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
}


page_lang = request_lang  # one rule for pages and error texts: ?lang=, cookie, Accept-Language


@bp.after_app_request
def _remember_lang(response: Any) -> Any:
    # A language chosen with ?lang= follows the visitor to the next page (e.g. from the desk's
    # login to its counter), as request_lang() reads the cookie.
    lang = request.args.get("lang")
    if (
        lang in LANGS
        and request.cookies.get("lang") != lang
        and not request.path.startswith("/api/")
    ):
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.app_context_processor
def _i18n() -> dict[str, Any]:
    lang = page_lang() if request else "az"
    return {"lang": lang, "_": lambda key, **kw: t(lang, key, **kw), "LANGS": LANGS}


@bp.get("/")
def index() -> Any:
    centers = db.session.scalars(
        select(Center).where(Center.active.is_(True)).order_by(Center.id)
    ).all()
    return render_template("index.html", centers=centers)


@bp.get("/i18n/<lang>.json")
def catalog(lang: str) -> Any:
    if lang not in LANGS:
        abort(404)
    response = jsonify(catalogs()[lang])
    response.cache_control.max_age = 300
    return response


@bp.get("/vendor/<name>")
def vendor(name: str) -> Any:
    rel = VENDOR.get(name)
    if rel is None:
        abort(404)
    path = Path(current_app.config["NODE_MODULES"]) / rel
    if not path.is_file():
        abort(404, description="front-end packages are not installed; run `make run`")
    return send_file(path, max_age=86400)
