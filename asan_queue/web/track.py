"""The citizen's ticket page /t/<token>: opened from the receipt's QR, no login, live."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, render_template, request

from ..clock import now_utc
from ..domain.errors import NotFound
from ..extensions import db
from ..i18n import eta_text, t
from ..schemas.base import dump
from ..schemas.paths import TOKEN_PATTERN
from ..services.common import get_ticket
from ..services.serialize import ticket_json
from .pages import LANGS

bp = Blueprint("track", __name__)
# Tokens are secrets.token_urlsafe(32): anything else is not a ticket (no database trip).
TOKEN_RE = re.compile(TOKEN_PATTERN)


@bp.get("/t/<token>")
def ticket_page(token: str) -> Any:
    lang = _lang()
    try:
        if not TOKEN_RE.match(token):
            raise NotFound("no such ticket")
        ticket = get_ticket(db.session, token)
    except NotFound:
        abort(404, description=t(lang, "track.not_found"))
    # The language chosen at the kiosk follows the citizen to the phone unless they switch.
    lang = _lang(ticket.lang)
    body = dump(ticket_json(db.session, ticket, now_utc()))
    opens = body.get("counters_open_at")
    html = render_template(
        "track/ticket.html",
        ticket=body,
        eta_text=eta_text(lang, body, opens[11:16] if opens else None),
        center=ticket.center,
        lang=lang,
        _=lambda key, **kw: t(lang, key, **kw),
    )
    return html, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _lang(default: str = "az") -> str:
    lang = request.args.get("lang") or request.cookies.get("lang") or default
    return lang if lang in LANGS else default
