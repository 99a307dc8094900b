"""Path parameters: each is checked before any lookup, and a value that cannot name a
resource answers that resource's 404 (`error_code`), as an unknown one does."""

from __future__ import annotations

from pydantic import Field

from .base import Loose, coded

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"  # noqa: S105 - a token's shape, not a secret
ID_MAX = 2**31 - 1  # the largest id the databases store


class CenterPath(Loose):
    slug: str = coded("center_not_found", pattern=SLUG_PATTERN)


class ServicePath(CenterPath):
    code: str = coded("service_not_found", pattern=CODE_PATTERN)


class TicketPath(Loose):
    token: str = coded("ticket_not_found", pattern=TOKEN_PATTERN)


class AppointmentPath(Loose):
    token: str = coded("booking_not_found", pattern=TOKEN_PATTERN)


class CounterPath(Loose):
    counter_id: int = coded("counter_not_found", ge=1, le=ID_MAX)


class ClosedDayPath(CenterPath):
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
