"""Public booking pages: /book (choose and book) and /book/manage/<token> (confirmation,
cancel, move). The pages talk to the JSON API; the manage page is rendered on the server so
the confirmation shows even without JavaScript."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, render_template, send_file

from ..documents import qr_png_image
from ..extensions import db
from ..i18n import pick
from ..services.booking import get_appointment
from ..services.notifications import local_text
from .api.booking_json import appointment_json, qr_payload, rules
from .pages import page_lang

bp = Blueprint("book", __name__)


@bp.get("/book")
def book() -> Any:
    return render_template("book/index.html")


def _appointment(token: str) -> Any:
    # An unknown token raises NotFound(booking_not_found): the error page says so in the
    # visitor's language (not Werkzeug's English sentence).
    return get_appointment(db.session, token)


@bp.get("/book/manage/<token>")
def manage(token: str) -> Any:
    appointment = _appointment(token)
    lang = page_lang()
    center, service = appointment.center, appointment.service
    return render_template(
        "book/manage.html",
        a=appointment,
        data=appointment_json(appointment).model_dump(mode="json", by_alias=True),
        when=local_text(appointment.starts_at, center.timezone),
        center_name=pick(center.name, lang),
        address=pick(center.address or {}, lang),
        service_name=pick(service.name, lang),
        agency_name=pick(service.agency.name, lang),
        rules=rules(appointment, lang),
    )


@bp.get("/book/manage/<token>/qr.png")
def manage_qr(token: str) -> Any:
    appointment = _appointment(token)
    buffer = io.BytesIO()
    qr_png_image(qr_payload(appointment), module_px=8).save(buffer, format="PNG")
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png", max_age=0)
