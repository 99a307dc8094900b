"""The hall display and counter screens: /display/<center> and /display/<center>/counter/<n>,
with their static files from the top-level display/ folder.

Like the kiosk, the display is plain HTML/JS that talks to the server only through the public
API and Socket.IO events; this blueprint merely serves the files (a proxy could too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, send_from_directory
from sqlalchemy import select

from ..extensions import db
from ..models import Center, Counter

DISPLAY_DIR = Path(__file__).resolve().parents[2] / "display"

bp = Blueprint(
    "display",
    __name__,
    url_prefix="/display",
    static_folder=str(DISPLAY_DIR),
    static_url_path="/static",
)


def _page(name: str) -> Any:
    response = send_from_directory(DISPLAY_DIR, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _center_id(slug: str) -> int:
    # An unknown center is a typo in the TV's start URL: a 404 says so, a blank board would not.
    center_id = db.session.scalar(select(Center.id).where(Center.slug == slug))
    if center_id is None:
        abort(404)
    return int(center_id)


@bp.get("/<slug>")
def hall(slug: str) -> Any:
    _center_id(slug)
    return _page("hall.html")


@bp.get("/<slug>/counter/<id:number>")
def counter_screen(slug: str, number: int) -> Any:
    center_id = _center_id(slug)
    found = db.session.scalar(
        select(Counter.id).where(Counter.center_id == center_id, Counter.number == number)
    )
    if found is None:
        abort(404)
    return _page("counter.html")
