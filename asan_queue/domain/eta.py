"""Estimated waiting time: people ahead x smoothed service time / open counters."""

from __future__ import annotations

import math

# Weight of the latest finished visit in a service's smoothed minutes.
ALPHA = 0.3


def smoothing_step(previous: float, duration: float, alpha: float = ALPHA) -> float:
    """Fold one finished visit into the running smoothed service minutes of the day, which
    start from the planned minutes so a quiet morning falls back to the plan."""
    return alpha * duration + (1 - alpha) * previous


def eta_minutes(people_ahead: int, service_minutes: float, open_counters: int) -> int:
    """Rounded-up minutes until a ticket with `people_ahead` in front of it is called. With no
    counter open for the service, assume one will open (a figure beats no figure at a kiosk)."""
    if people_ahead <= 0:
        return 0
    return int(math.ceil(people_ahead * service_minutes / max(open_counters, 1)))
