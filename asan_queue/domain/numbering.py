"""Ticket numbers: prefix + per-center, per-prefix, per-local-day sequence."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

PREFIX_RE = re.compile(r"^[A-Z]{1,2}$")


def local_day(now: datetime, timezone: str) -> date:
    """The center's calendar day at the instant `now` (aware); numbers reset at its midnight."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


def format_number(prefix: str, sequence: int) -> str:
    """`A` + 17 -> `A017`; sequences past 999 keep growing (`A1000`) rather than wrapping."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}{sequence:03d}"
