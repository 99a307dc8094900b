"""A ticket's receipt as PDF (browsers, phones), 1-bit PNG and ESC/POS (thermal printers).

Receipts are immutable once issued: rendered bytes are kept in an in-process LRU keyed by
token, public base URL and format, and answered with a strong ETag and
`Cache-Control: immutable`, so a kiosk and a phone asking twice cost one render.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request

from ...documents import receipt_escpos, receipt_pdf, receipt_png
from ...domain.errors import NotFound
from ...extensions import db
from ...services.common import get_ticket
from ...services.receipts import DocumentCache, receipt_data
from ..openapi import add_paths, op, path_param
from . import bp

# Tokens are secrets.token_urlsafe(32): anything else is not a ticket (no database trip).
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A ticket lives for a day; a year of caching is harmless because the bytes never change.
MAX_AGE = 365 * 24 * 3600

FORMATS: dict[str, tuple[str, Callable[[Any, str], bytes]]] = {
    "pdf": ("application/pdf", receipt_pdf),
    "png": ("image/png", receipt_png),
    "escpos": ("application/octet-stream", receipt_escpos),
}

cache = DocumentCache(maxsize=512)


def public_base_url() -> str:
    """ASAN_PUBLIC_URL when set (behind a proxy), else the origin this request came to."""
    configured = current_app.config.get("PUBLIC_URL")
    return (configured or request.host_url).rstrip("/")


def _render(token: str, kind: str) -> bytes:
    base = public_base_url()
    mimetype, renderer = FORMATS[kind]

    def render() -> bytes:
        ticket = get_ticket(db.session, token)
        data = receipt_data(ticket, base_url=base)
        return renderer(data, current_app.config["FONT_DIR"])

    return cache.get_or_render((token, base, kind), render)


def _answer(token: str, kind: str) -> Response:
    if not TOKEN_RE.match(token):
        raise NotFound("no such ticket", code="ticket_not_found")
    body = _render(token, kind)
    mimetype = FORMATS[kind][0]
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.cache_control.immutable = True
    response.headers["Content-Disposition"] = f'inline; filename="receipt-{token[:8]}.{kind}"'
    return response.make_conditional(request)


@bp.get("/tickets/<token>/receipt.pdf")
def receipt_as_pdf(token: str) -> Any:
    return _answer(token, "pdf")


@bp.get("/tickets/<token>/receipt.png")
def receipt_as_png(token: str) -> Any:
    return _answer(token, "png")


@bp.get("/tickets/<token>/receipt.escpos")
def receipt_as_escpos(token: str) -> Any:
    return _answer(token, "escpos")


def _doc(summary: str, mimetype: str) -> dict[str, Any]:
    return op(
        summary,
        tag="tickets",
        ok_schema={"type": "string", "format": "binary"},
        content_type=mimetype,
        params=[path_param("token")],
    )


add_paths(
    {
        "/tickets/{token}/receipt.pdf": {
            "get": _doc(
                "The ticket's 80 mm receipt as PDF (immutable, cacheable)", "application/pdf"
            )
        },
        "/tickets/{token}/receipt.png": {
            "get": _doc("The receipt as a 576-dot 1-bit PNG for 203 dpi printers", "image/png")
        },
        "/tickets/{token}/receipt.escpos": {
            "get": _doc("The receipt as ESC/POS raster bytes", "application/octet-stream")
        },
    }
)
