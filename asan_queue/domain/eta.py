"""Estimated waiting time: people ahead x smoothed service time / open counters."""

from __future__ import annotations

import math


def smoothed_minutes(planned: float, finished_durations: list[float], alpha: float = 0.3) -> float:
    """Exponentially smoothed service minutes over today's finished tickets (oldest first),
    starting from the planned minutes so a quiet morning falls back to the plan."""
    value = float(planned)
    for d in finished_durations:
        value = smoothing_step(value, d, alpha)
    return value


def smoothing_step(previous: float, duration: float, alpha: float = 0.3) -> float:
    """One step of smoothed_minutes: fold one finished visit into the running figure."""
    return alpha * duration + (1 - alpha) * previous


def eta_minutes(people_ahead: int, service_minutes: float, open_counters: int) -> int:
    """Rounded-up minutes until a ticket with `people_ahead` in front of it is called. With no
    counter open for the service, assume one will open (a figure beats no figure at a kiosk)."""
    if people_ahead <= 0:
        return 0
    return int(math.ceil(people_ahead * service_minutes / max(open_counters, 1)))
