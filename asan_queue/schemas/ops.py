"""Operations: liveness and readiness of a server process."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Out


class Alive(Out):
    status: Literal["ok"] = "ok"


class Checks(Out):
    """Each dependency: true when it answered (Redis: null when not configured)."""

    database: bool
    redis: bool | None = Field(description="null: this server runs without Redis")
    background: bool = Field(description="the day-closing, outbox and purge jobs run")


class Ready(Out):
    status: Literal["ready"] = "ready"
    checks: Checks
