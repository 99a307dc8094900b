"""The figures of history, pure: one visit in, counts and minute histograms out, and the
report's measures (percentiles, service levels, rates, ETA accuracy) read from them.

A day's figures of one (service, counter, operator) are a `Figures`; a report adds up the
`Figures` of its days and keys (`merge`), so a month costs one sum per key, and the same
code gives today's live figures (from today's tickets) and a closed day's rollup row. Waits
and service times are kept as histograms of whole minutes, so p50/p90/max of any range
come from the summed histograms (nearest rank, minutes rounded down).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

# Arrivals and calls are counted per 15 minutes of the local day (a 30-minute bucket is two).
SLOT_MINUTES = 15
SERVICE_LEVEL_MINUTES = (10, 20, 30)
ETA_WINDOWS = (2, 5)

Histogram = dict[int, int]  # whole minutes (or slot, or hours) -> count


def _add(into: Histogram, other: Mapping[int, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


@dataclass
class Visit:
    """One ticket of a day, as a report sees it (times are minutes, local slots)."""

    status: str  # final status (done, no_show, cancelled, expired, removed, transferred...)
    target_minutes: float
    arrival_slot: int  # local quarter hour of issue
    wait_minutes: float | None  # from due (issue, or slot start) to first call; None: not called
    call_slot: int | None = None
    service_minutes: float | None = None  # start to finish of a done visit
    quoted_minutes: int | None = None  # the ETA printed on the receipt
    actual_wait: float | None = None  # issue to first call (what the quote predicted)
    rating: int | None = None
    booked: bool = False


@dataclass
class Figures:
    tickets: int = 0
    called: int = 0
    done: int = 0
    no_show: int = 0
    cancelled: int = 0
    left_before_call: int = 0  # expired or removed without ever being called
    transferred: int = 0
    within_target: int = 0
    within_10: int = 0
    within_20: int = 0
    within_30: int = 0
    booked: int = 0
    appointments: int = 0
    appointment_no_show: int = 0
    eta_quoted: int = 0
    eta_within_2: int = 0
    eta_within_5: int = 0
    eta_error_sum: float = 0.0  # quoted - actual, minutes (< 0: promised too short a wait)
    eta_abs_error_sum: float = 0.0
    service_minutes_sum: float = 0.0
    wait: Histogram = field(default_factory=dict)
    service: Histogram = field(default_factory=dict)
    arrivals: Histogram = field(default_factory=dict)  # slot -> tickets issued
    calls: Histogram = field(default_factory=dict)  # slot -> first calls
    ratings: Histogram = field(default_factory=dict)  # 1..5 -> count
    lead_hours: Histogram = field(default_factory=dict)  # booking lead time, whole hours

    # ---- building -------------------------------------------------------------------

    def add_visit(self, v: Visit) -> None:
        self.tickets += 1
        self.booked += int(v.booked)
        _add(self.arrivals, {v.arrival_slot: 1})
        if v.status == "done":
            self.done += 1
        elif v.status == "no_show":
            self.no_show += 1
        elif v.status == "cancelled":
            self.cancelled += 1
        elif v.status == "transferred":
            self.transferred += 1
        if v.wait_minutes is None:
            if v.status in ("expired", "removed"):
                self.left_before_call += 1
        else:
            self.called += 1
            w = max(v.wait_minutes, 0.0)
            _add(self.wait, {int(w): 1})
            if v.call_slot is not None:
                _add(self.calls, {v.call_slot: 1})
            self.within_target += int(w <= v.target_minutes)
            self.within_10 += int(w <= 10)
            self.within_20 += int(w <= 20)
            self.within_30 += int(w <= 30)
        if v.service_minutes is not None:
            s = max(v.service_minutes, 0.0)
            _add(self.service, {int(s): 1})
            self.service_minutes_sum += s
        if v.quoted_minutes is not None and v.actual_wait is not None:
            error = v.quoted_minutes - v.actual_wait
            self.eta_quoted += 1
            self.eta_within_2 += int(abs(error) <= ETA_WINDOWS[0])
            self.eta_within_5 += int(abs(error) <= ETA_WINDOWS[1])
            self.eta_error_sum += error
            self.eta_abs_error_sum += abs(error)
        if v.rating is not None:
            _add(self.ratings, {v.rating: 1})

    def add_appointment(self, *, no_show: bool, lead_hours: float) -> None:
        self.appointments += 1
        self.appointment_no_show += int(no_show)
        _add(self.lead_hours, {int(max(lead_hours, 0)): 1})

    def merge(self, other: Figures) -> Figures:
        """Add `other` into this one (a month's report merges thousands: kept lean)."""
        for name in _SCALARS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _HISTOGRAMS:
            theirs = getattr(other, name)
            if theirs:
                mine = getattr(self, name)
                for key, count in theirs.items():
                    mine[key] = mine.get(key, 0) + count
        return self

    # ---- storage (daily_stats.figures) ------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = {str(k): n for k, n in sorted(value.items())}
            elif isinstance(value, float):
                value = round(value, 3)
            if value:
                out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figures:
        out = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if isinstance(getattr(out, f.name), dict):
                value = {int(k): int(n) for k, n in value.items()}
            setattr(out, f.name, value)
        return out

    # ---- measures ---------------------------------------------------------------------

    def share(self, count: int, of: int | None = None) -> float | None:
        whole = self.tickets if of is None else of
        return round(count / whole, 4) if whole else None

    @property
    def service_level(self) -> float | None:
        """Share of every issued ticket called within its service's target wait."""
        return self.share(self.within_target)

    @property
    def average_rating(self) -> float | None:
        n = sum(self.ratings.values())
        return round(sum(k * c for k, c in self.ratings.items()) / n, 2) if n else None

    @property
    def average_service_minutes(self) -> float | None:
        n = sum(self.service.values())
        return round(self.service_minutes_sum / n, 1) if n else None

    @property
    def eta_mean_error(self) -> float | None:
        return round(self.eta_error_sum / self.eta_quoted, 2) if self.eta_quoted else None

    @property
    def eta_mean_abs_error(self) -> float | None:
        return round(self.eta_abs_error_sum / self.eta_quoted, 2) if self.eta_quoted else None


_HISTOGRAMS = tuple(f.name for f in fields(Figures) if f.default_factory is dict)
_SCALARS = tuple(f.name for f in fields(Figures) if f.name not in _HISTOGRAMS)


def percentile(hist: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank percentile of a histogram (None when empty)."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(-(-share * total // 1), 1)  # ceil(share * total), at least 1
    seen = 0
    for key in sorted(hist):
        seen += hist[key]
        if seen >= rank:
            return key
    return max(hist)


def hist_max(hist: Mapping[int, int]) -> int | None:
    return max((k for k, n in hist.items() if n), default=None)


def slot_of(local: datetime) -> int:
    return (local.hour * 60 + local.minute) // SLOT_MINUTES


def buckets(hist: Mapping[int, int], bucket_minutes: int) -> Histogram:
    """Slot counts regrouped into buckets of `bucket_minutes` (a multiple of 15), keyed by
    the bucket's first minute of the day."""
    per = max(bucket_minutes // SLOT_MINUTES, 1)
    out: Histogram = {}
    for slot, count in hist.items():
        start = (slot // per) * per * SLOT_MINUTES
        out[start] = out.get(start, 0) + count
    return out


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out.merge(f)
    return out
