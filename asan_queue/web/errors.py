"""One place that turns errors into `{"error": {"code", "message", ...details}}` answers.

The message is the catalogue text `errors.<code>` in the request's language (filled with the
error's details), or the use case's own sentence where the catalogue has none; the code is
what clients act on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..extensions import db
from ..i18n import LANGS, catalogs, fill

log = logging.getLogger(__name__)

# type -> how a detail of that type is written into the error body (e.g. booking slots).
_ENCODERS: dict[type, Callable[[Any], Any]] = {}


def register_detail_encoder(kind: type, encode: Callable[[Any], Any]) -> None:
    _ENCODERS[kind] = encode


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    for kind, encode in _ENCODERS.items():
        if isinstance(value, kind):
            return encode(value)
    return value


def request_lang() -> str:
    """The language of this request's answers: ?lang=, then the `lang` cookie of our pages,
    then Accept-Language; az by default."""
    lang = request.args.get("lang") or request.cookies.get("lang") or ""
    if lang in LANGS:
        return lang
    return request.accept_languages.best_match(LANGS) or "az"


def translated(code: str, fallback: str, values: Mapping[str, Any] | None = None) -> str:
    """The catalogue's `errors.<code>` in the request's language, or `fallback`."""
    text = catalogs()[request_lang()].get(f"errors.{code}")
    if text is None:
        return fallback
    return fill(text, {k: v for k, v in (values or {}).items() if not isinstance(v, list)})


def error_response(status: int, code: str, message: str, details: Mapping[str, Any] | None = None):  # type: ignore[no-untyped-def]
    encoded = {k: _encode(v) for k, v in (details or {}).items()}
    body = {"code": code, "message": translated(code, message, encoded), **encoded}
    response = jsonify({"error": body})
    response.status_code = status
    return response


PROBES = ("/healthz", "/readyz", "/metrics")  # the API's probes, also at the root (web/ops.py)


def _wants_json() -> bool:
    return (
        request.path.startswith("/api/")
        or request.path in PROBES
        or request.accept_mimetypes.best == "application/json"
    )


def error_page(status: int, code: str, message: str, details: Mapping[str, Any] | None = None):  # type: ignore[no-untyped-def]
    """The same error as an HTML page (a person followed a link), in the page's language."""
    encoded = {k: _encode(v) for k, v in (details or {}).items()}
    text = translated(code, message, encoded)
    return render_template("error.html", status=status, message=text), status


def register_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        if not _wants_json():
            page = error_page(err.status, err.code, err.message, err.details)
        else:
            page = error_response(err.status, err.code, err.message, err.details)
        if "retry_after" in err.details:  # a limit (web/limits.py): when to come back
            response = app.make_response(page)
            response.headers["Retry-After"] = str(err.details["retry_after"])
            return response
        return page

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        db.session.rollback()
        status = err.code or 500
        code = (err.name or "error").lower().replace(" ", "_")
        if isinstance(err, CSRFError):  # a stale form: say so, not "bad request"
            code = "csrf_failed"
        if status == 413:
            message = "the request body is too large"
        elif status == 429:
            message = "too many requests; wait a moment and try again"
        else:
            message = err.description or err.name
        # Keep what the error says in headers: Allow on 405, Retry-After on 429.
        headers = {k: v for k, v in err.get_headers() if k.lower() != "content-type"}
        if status == 429 and "Retry-After" not in headers:
            headers["Retry-After"] = "60"
        if _wants_json():
            response = error_response(status, code, message)
            response.headers.update(headers)
            return response
        if err.description != type(err).description and not isinstance(err, CSRFError):
            # A page's own text, already in its language (e.g. the ticket page's 404).
            return render_template("error.html", status=status, message=message), status, headers
        page = error_page(status, code, message)
        return (*page, headers) if isinstance(page, tuple) else page

    @app.errorhandler(OperationalError)
    def db_busy(err: OperationalError):  # type: ignore[no-untyped-def]
        # A locked or unreachable database is temporary: say so instead of a 500 trace.
        db.session.rollback()
        log.warning("database operational error: %s", type(err.orig).__name__)
        return error_response(503, "database_unavailable", "the database is busy; try again")
