"""One place that turns errors into `{"error": {"code", "message"}}` answers."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..domain.errors import DomainError
from ..extensions import db

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str):  # type: ignore[no-untyped-def]
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return error_response(err.status, err.code, err.message)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        db.session.rollback()
        status = err.code or 500
        code = (err.name or "error").lower().replace(" ", "_")
        if status == 413:
            message = "the request body is too large"
        elif status == 429:
            message = "too many requests; wait a moment and try again"
        else:
            message = err.description or err.name
        if _wants_json():
            return error_response(status, code, message)
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(OperationalError)
    def db_busy(err: OperationalError):  # type: ignore[no-untyped-def]
        # A locked or unreachable database is temporary: say so instead of a 500 trace.
        db.session.rollback()
        log.warning("database operational error: %s", type(err.orig).__name__)
        return error_response(503, "database_unavailable", "the database is busy; try again")
