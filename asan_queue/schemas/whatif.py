"""What-if for supervisors: the request and the answer of POST /centers/<slug>/what-if."""

from __future__ import annotations

from pydantic import Field

from ..domain.whatif import MAX_EXTRA_COUNTERS
from .base import In, Instant, Out, coded


class WhatIf(In):
    """One more counter (or `extra_counters` more) serving `service` from now; or, with
    `counter` (a counter number), that counter also serving it."""

    service: str = Field(min_length=1, max_length=40, examples=["passport"])
    extra_counters: int = coded("invalid_extra_counters", default=1, ge=1, le=MAX_EXTRA_COUNTERS)
    counter: int | None = Field(default=None, ge=1, le=999, description="A counter's number")


class Outlook(Out):
    """A service's waiting tickets as the ETA projection sees them."""

    waiting: int
    unserved: int = Field(description="Waiting tickets no open counter can call")
    longest_wait_minutes: int | None = Field(
        description="The longest total wait (queued to projected call); null: no counter"
    )
    over_target: int = Field(description="How many are projected to wait past their target")
    cleared_at: Instant | None = Field(description="When the last of them is projected called")
    hall_longest_wait_minutes: int | None = Field(description="The same over every service")


class WhatIfChange(Out):
    extra_counters: int | None = None
    counter: int | None = None


class WhatIfAnswer(Out):
    service: str
    at: Instant
    change: WhatIfChange
    before: Outlook
    after: Outlook
    summary: str = Field(
        examples=[
            "if one more counter serves passport from now, the longest wait goes from 38 min "
            "to 17 min"
        ]
    )
