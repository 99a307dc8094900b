"""Expected service times: running figures per service, folded in at every finished visit.

The ETA itself is a projection of the call policy (domain.queue); this module only keeps the
two figures it needs per service: the smoothed minutes of a visit and their spread."""

from __future__ import annotations

# Weight of the latest finished visit in a service's smoothed figures, once the day has
# seen enough visits of it; before that, every visit weighs as much as the plan's pseudo
# visits and those before it (a running mean), so that a few early visits do not swing the
# figure. Measured on the simulated day (flask simulate): 0.3 from the first visit made a
# service's expected minutes wander about 20% around the truth and cost the ETA accuracy.
ALPHA = 0.06
# The planned minutes count as this many visits at the start of a day.
PRIOR_VISITS = 4
# Before any visit of the day is measured, the spread is this share of the planned minutes.
DEFAULT_SPREAD_SHARE = 0.4


def smoothing_step(previous: float, duration: float, alpha: float = ALPHA) -> float:
    """Fold one finished visit into the running smoothed service minutes of the day, which
    start from the planned minutes so a quiet morning falls back to the plan."""
    return alpha * duration + (1 - alpha) * previous


def learning_rate(visits: int) -> float:
    """The weight of the next finished visit after `visits` of the day: a running mean with
    the plan as PRIOR_VISITS visits, never below ALPHA (so it follows a drift later on)."""
    return max(1.0 / (max(visits, 0) + PRIOR_VISITS + 1), ALPHA)


def spread_step(
    previous_spread: float, previous_minutes: float, duration: float, alpha: float = ALPHA
) -> float:
    """Fold one finished visit into the smoothed absolute deviation from the expected
    minutes (the width of the quoted ETA range)."""
    return alpha * abs(duration - previous_minutes) + (1 - alpha) * previous_spread


def default_spread(planned_minutes: float) -> float:
    return DEFAULT_SPREAD_SHARE * planned_minutes
