"""The fixed lists of a working day at a desk: why a counter pauses, how a visit ends, and
how long a stray finish or no-show may be undone."""

from __future__ import annotations

from typing import Literal

# Why a counter is paused (staff only: the public sees "paused", never why).
PauseCode = Literal["lunch", "paperwork", "technical", "training", "other"]
PAUSE_CODES: tuple[str, ...] = ("lunch", "paperwork", "technical", "training", "other")

# How a visit ended when the service's own list has none (served, or not and why).
DEFAULT_OUTCOME_CODES: tuple[str, ...] = (
    "served",
    "documents_missing",
    "not_eligible",
    "referred",
    "other",
)
SERVED = "served"

# A finish or a no-show can be taken back this long after it was pressed.
UNDO_SECONDS = 10


def outcome_of(code: str) -> str:
    """served | not_served: the outcome an outcome code stands for."""
    return "served" if code == SERVED else "not_served"


def recalls_left(call_count: int, max_calls: int) -> int:
    """How many more recalls announce the ticket before the next one marks it a no-show."""
    return max(max_calls - call_count, 0)
