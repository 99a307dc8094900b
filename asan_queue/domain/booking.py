"""Booking codes and the check-in window (pure)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


def new_code() -> str:
    """A random code shown as `XXX-XXX` (31^6, about 887 million codes)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return f"{raw[:3]}-{raw[3:]}"


def normalise_code(text: str) -> str | None:
    """`k7m 4qx`, `K7M4QX`, `K7M-4QX` -> `K7M-4QX`; None when it cannot be a code."""
    raw = "".join(ch for ch in text.upper() if ch not in " -_\t")
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return format_code(raw)


class Arrival(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LAPSED = "lapsed"


@dataclass(frozen=True)
class CheckinWindow:
    opens_at: datetime
    closes_at: datetime

    def judge(self, now: datetime) -> Arrival:
        """Both edges are inside: exactly 30 min before and exactly 10 min after count."""
        if now < self.opens_at:
            return Arrival.EARLY
        if now > self.closes_at:
            return Arrival.LAPSED
        return Arrival.ON_TIME


def checkin_window(starts_at: datetime, before_minutes: int, after_minutes: int) -> CheckinWindow:
    """From `before_minutes` before the slot until `after_minutes` after its start."""
    return CheckinWindow(
        starts_at - timedelta(minutes=before_minutes),
        starts_at + timedelta(minutes=after_minutes),
    )


def backoff_seconds(attempts: int, base: float = 30.0, cap: float = 3600.0) -> float:
    """Exponential backoff for a failed notification: base, 2 base, 4 base, ... up to cap."""
    return float(min(cap, base * 2 ** max(attempts - 1, 0)))
