"""The one error shape: {"error": {"code", "message", ...details}} with a 4xx (or 503)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import Out


class ErrorDetail(Out):
    """`code` is the contract (clients act on it); `message` is for people, in the request's
    language; some codes add details (e.g. `opens_at` with center_closed, `field`)."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["center_closed"])
    message: str


class Error(Out):
    error: ErrorDetail
