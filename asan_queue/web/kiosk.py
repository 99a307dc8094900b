"""The kiosk front-end: /kiosk/<center> and its static files from the top-level kiosk/ folder.

The kiosk is plain static HTML/JS that talks to the server only through /api/v1 and
Socket.IO, as a third-party kiosk would; this blueprint merely serves the files (a proxy
could serve the same folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, send_from_directory
from sqlalchemy import select

from ..extensions import db
from ..models import Center

KIOSK_DIR = Path(__file__).resolve().parents[2] / "kiosk"

bp = Blueprint(
    "kiosk",
    __name__,
    url_prefix="/kiosk",
    static_folder=str(KIOSK_DIR),
    static_url_path="/static",
)


@bp.get("/<slug>")
def kiosk_page(slug: str) -> Any:
    # An unknown center is a typo in the kiosk's start URL: say so instead of a blank kiosk.
    if db.session.scalar(select(Center.id).where(Center.slug == slug)) is None:
        abort(404)
    response = send_from_directory(KIOSK_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
