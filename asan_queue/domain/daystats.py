"""Figures of a simulated (or a real) day: service levels, waits and ETA accuracy.

Pure: the caller passes one record per ticket (what it was quoted at issue by each ETA
estimator, when it was first called, how it ended) and the counters' busy and open minutes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

FINAL = frozenset({"done", "no_show", "cancelled", "removed", "expired"})


@dataclass(frozen=True)
class TicketRecord:
    service: str
    target_wait_minutes: float
    priority: bool
    booked: bool
    issued_at: datetime
    # Where the wait that counts against the target starts: issue, or the slot's start for a
    # booked ticket checked in early (it is not meant to be called before its time).
    due_at: datetime
    first_called_at: datetime | None
    status: str
    quotes: Mapping[str, float | None] = field(default_factory=dict)  # estimator -> minutes
    calls: int = 0  # call-next events of the ticket (a transfer makes a second visit)
    transfers: int = 0

    @property
    def wait_minutes(self) -> float | None:
        """Minutes from issue to the first call (what an ETA predicts)."""
        if self.first_called_at is None:
            return None
        return (self.first_called_at - self.issued_at).total_seconds() / 60

    def service_wait(self, end: datetime) -> float:
        """Minutes waited against the target; a ticket never called waited until `end`."""
        until = self.first_called_at or end
        return max((until - self.due_at).total_seconds() / 60, 0.0)


@dataclass(frozen=True)
class Sample:
    """How many tickets waited for each service at an instant of the day."""

    at: datetime
    waiting: dict[str, int]  # service code -> tickets waiting


@dataclass(frozen=True)
class Accuracy:
    """How close the quotes at issue came to the actual waits."""

    tickets: int
    within_2min: float
    within_5min: float
    mae_minutes: float
    bias_minutes: float  # mean of quoted - actual: < 0 promises too short a wait

    def as_json(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            "within_2min": round(self.within_2min, 4),
            "within_5min": round(self.within_5min, 4),
            "mae_minutes": round(self.mae_minutes, 3),
            "bias_minutes": round(self.bias_minutes, 3),
        }


@dataclass(frozen=True)
class Waits:
    tickets: int
    p50: float
    p90: float
    max: float

    def as_json(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            "p50_minutes": round(self.p50, 1),
            "p90_minutes": round(self.p90, 1),
            "max_minutes": round(self.max, 1),
        }


@dataclass(frozen=True)
class DayFigures:
    tickets: int
    served_within_target: float  # share of every issued ticket
    over_three_targets: int  # tickets that waited more than three times their target
    regular: Waits
    priority: Waits
    max_wait_minutes: float
    utilisation: float
    no_shows: int
    expired: int
    unfinished: int  # not in a final state at the end (must be 0)
    accuracy: dict[str, Accuracy]

    def as_json(self) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            "served_within_target": round(self.served_within_target, 4),
            "max_wait_minutes": round(self.max_wait_minutes, 1),
            "over_three_targets": self.over_three_targets,
            "waits": {"regular": self.regular.as_json(), "priority": self.priority.as_json()},
            "utilisation": round(self.utilisation, 4),
            "no_shows": self.no_shows,
            "expired": self.expired,
            "unfinished": self.unfinished,
            "estimators": {name: a.as_json() for name, a in self.accuracy.items()},
        }


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[min(rank, len(ordered)) - 1]


def waits(values: Sequence[float]) -> Waits:
    return Waits(
        len(values), percentile(values, 0.5), percentile(values, 0.9), max(values, default=0)
    )


def accuracy(pairs: Iterable[tuple[float, float]]) -> Accuracy:
    """From (quoted, actual) minute pairs."""
    errors = [quoted - actual for quoted, actual in pairs]
    if not errors:
        return Accuracy(0, 0.0, 0.0, 0.0, 0.0)
    n = len(errors)
    return Accuracy(
        n,
        sum(1 for e in errors if abs(e) <= 2) / n,
        sum(1 for e in errors if abs(e) <= 5) / n,
        sum(abs(e) for e in errors) / n,
        sum(errors) / n,
    )


def day_figures(
    records: Sequence[TicketRecord],
    *,
    end: datetime,
    busy_minutes: float,
    open_minutes: float,
    estimators: Sequence[str],
) -> DayFigures:
    """The figures of a day from its tickets. Accuracy is measured on the tickets that every
    estimator gave a figure for and that were called, so the estimators are compared on the
    same tickets."""
    service_waits = [r.service_wait(end) for r in records]
    within = sum(
        1
        for r, w in zip(records, service_waits, strict=True)
        if r.first_called_at and w <= r.target_wait_minutes
    )
    regular = [w for r, w in zip(records, service_waits, strict=True) if not r.priority]
    priority = [w for r, w in zip(records, service_waits, strict=True) if r.priority]
    quoted = [
        r
        for r in records
        if r.wait_minutes is not None and all(r.quotes.get(e) is not None for e in estimators)
    ]
    acc = {
        e: accuracy((float(r.quotes[e] or 0), float(r.wait_minutes or 0)) for r in quoted)
        for e in estimators
    }
    return DayFigures(
        tickets=len(records),
        served_within_target=within / len(records) if records else 0.0,
        over_three_targets=sum(
            1 for r, w in zip(records, service_waits, strict=True) if w > 3 * r.target_wait_minutes
        ),
        regular=waits(regular),
        priority=waits(priority),
        max_wait_minutes=max(service_waits, default=0.0),
        utilisation=busy_minutes / open_minutes if open_minutes else 0.0,
        no_shows=sum(1 for r in records if r.status == "no_show"),
        expired=sum(1 for r in records if r.status == "expired"),
        unfinished=sum(1 for r in records if r.status not in FINAL),
        accuracy=acc,
    )
