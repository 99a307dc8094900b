"""A ticket's receipt as PDF (browsers, phones), 1-bit PNG and ESC/POS (thermal printers).

Receipts are immutable once issued: rendered bytes are kept in an in-process LRU keyed by
token, public base URL and format, and answered with a strong ETag and
`Cache-Control: immutable`, so a kiosk and a phone asking twice cost one render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request

from ...documents import receipt_escpos, receipt_pdf, receipt_png
from ...extensions import db
from ...schemas.paths import TicketPath
from ...services.common import get_ticket
from ...services.receipts import DocumentCache, receipt_data
from ..contract import Binary, operation
from . import bp

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
    body = _render(token, kind)
    mimetype = FORMATS[kind][0]
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.cache_control.immutable = True
    response.headers["Content-Disposition"] = f'inline; filename="receipt-{token[:8]}.{kind}"'
    return response.make_conditional(request)


def _receipt(kind: str, summary: str) -> None:
    mimetype = FORMATS[kind][0]

    def view(path: TicketPath) -> Response:
        return _answer(path.token, kind)

    view.__name__ = f"receipt_as_{kind}"
    operation(
        bp,
        "GET",
        f"/tickets/<token>/receipt.{kind}",
        summary=summary,
        tag="tickets",
        ok=Binary(mimetype, summary),
        path=TicketPath,
        more={304: None},
        description="Immutable: answered with a strong ETag; If-None-Match gives 304.",
    )(view)


_receipt("pdf", "The ticket's 80 mm receipt as PDF")
_receipt("png", "The receipt as a 576-dot 1-bit PNG for 203 dpi printers")
_receipt("escpos", "The receipt as ESC/POS raster bytes for thermal printers")
