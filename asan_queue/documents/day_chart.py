"""The picture of a simulated day (PNG): per call policy, the tickets waiting for each
service over the day, and each ticket's quoted wait at issue against the wait it had, for
every ETA estimator. Pure: plain figures in, PNG bytes out (matplotlib, no global state)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from ..domain.daystats import Sample, TicketRecord

ESTIMATOR_COLOURS = ("#1f6f43", "#c2410c", "#1d4ed8", "#7c3aed")


@dataclass(frozen=True)
class ChartRun:
    policy: str
    samples: Sequence[Sample]
    records: Sequence[TicketRecord]
    served_within_target: float


def day_chart(
    runs: Sequence[ChartRun],
    *,
    title: str,
    timezone: str,
    estimators: Sequence[str],
) -> bytes:
    """One row per policy: waiting per service (stacked) and quoted against actual waits."""
    zone = ZoneInfo(timezone)
    figure = Figure(figsize=(15, 4.2 * max(len(runs), 1)), dpi=90, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title)
    axes = figure.subplots(max(len(runs), 1), 2, squeeze=False, width_ratios=(1.6, 1))
    for row, run in enumerate(runs):
        _waiting(axes[row][0], run, zone)
        _quotes(axes[row][1], run, estimators)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _waiting(ax: Axes, run: ChartRun, zone: ZoneInfo) -> None:
    codes = sorted({c for s in run.samples for c, n in s.waiting.items() if n})
    # Minutes since the first sample on a plain axis, labelled with the local time.
    start = run.samples[0].at if run.samples else None
    times = [(s.at - start).total_seconds() / 60 for s in run.samples] if start else []
    series = [[max(s.waiting.get(c, 0), 0) for s in run.samples] for c in codes]
    if codes:
        ax.stackplot(times, series, labels=codes, step="post")
        ax.legend(loc="upper left", fontsize=6, ncol=2, frameon=False)
    if start is not None:
        ax.xaxis.set_major_locator(MultipleLocator(60))
        ax.xaxis.set_major_formatter(
            FuncFormatter(
                lambda m, _: (start + timedelta(minutes=m)).astimezone(zone).strftime("%H:%M")
            )
        )
    ax.set_ylabel("tickets waiting")
    ax.set_title(f"{run.policy}: {run.served_within_target:.0%} called within target", fontsize=10)


def _quotes(ax: Axes, run: ChartRun, estimators: Sequence[str]) -> None:
    top = 1.0
    for estimator, colour in zip(estimators, ESTIMATOR_COLOURS, strict=False):
        pairs = [
            (float(r.quotes[estimator] or 0), r.wait_minutes)
            for r in run.records
            if r.wait_minutes is not None and r.quotes.get(estimator) is not None
        ]
        if not pairs:
            continue
        quoted = [q for q, _ in pairs]
        actual = [float(a or 0) for _, a in pairs]
        top = max(top, *quoted, *actual)
        ax.scatter(quoted, actual, s=6, alpha=0.45, color=colour, label=estimator)
    ax.plot([0, top], [0, top], color="#444", linewidth=0.8)
    ax.fill_between([0, top], [-2, top - 2], [2, top + 2], color="#888", alpha=0.15, label="±2")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("quoted wait at issue (min)")
    ax.set_ylabel("actual wait (min)")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
