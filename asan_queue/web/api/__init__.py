"""The public JSON API under /api/v1 (DESIGN.md section 5)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import booking, catalog, documents, ops, public, staff  # noqa: E402,F401  (routes register on import)
