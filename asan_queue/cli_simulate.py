"""`flask simulate`: a simulated day of a catalogue center, once per call policy, on the real
use cases (services.simulation); prints the policy and ETA accuracy tables (or one JSON
object) and draws the day (documents.day_chart)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask

from .documents.day_chart import ChartRun, day_chart
from .domain.dayplan import Rates
from .domain.errors import DomainError
from .services.simulation import DEFAULT_DAY, ESTIMATORS, Simulation, SimulationRequest, simulate


def register(app: Flask) -> None:
    @app.cli.command("simulate")
    @click.option("--center", default="baku-1", show_default=True, help="a catalogue center")
    @click.option("--seed", default=1, show_default=True, type=int)
    @click.option("--hours", type=float, help="simulate arrivals for H hours after opening")
    @click.option("--policy", "policies", multiple=True, help="repeatable; default: every policy")
    @click.option("--load", default=Rates().load, show_default=True, type=float)
    @click.option(
        "--day",
        type=click.DateTime(["%Y-%m-%d"]),
        default=DEFAULT_DAY.isoformat(),
        show_default=True,
    )
    @click.option(
        "--picture",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("simulated-day.png"),
        show_default=True,
    )
    @click.option("--no-picture", is_flag=True, help="do not draw the day")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object")
    def simulate_command(
        center: str,
        seed: int,
        hours: float | None,
        policies: tuple[str, ...],
        load: float,
        day: datetime,
        picture: Path,
        no_picture: bool,
        as_json: bool,
    ) -> None:
        """Simulate a day of CENTER on the real use cases, once per call policy, and compare
        the policies and the ETA estimators on the same citizens."""
        if not 0 < load <= 5:
            raise click.BadParameter("must be more than 0 and at most 5", param_hint="--load")
        request = SimulationRequest(
            center=center,
            seed=seed,
            hours=hours,
            policies=policies,
            day=day.date(),
            rates=Rates(load=load),
        )
        try:
            result = simulate(request)
        except DomainError as err:
            raise click.UsageError(err.message) from None
        drawn = None if no_picture else _draw(result, picture)
        if as_json:
            click.echo(json.dumps(as_object(result, drawn), indent=2))
            return
        for line in tables(result):
            click.echo(line)
        if drawn is not None:
            click.echo(f"picture: {drawn}")


def _draw(result: Simulation, path: Path) -> Path:
    request = result.request
    runs = [
        ChartRun(r.policy, r.samples, r.records, r.figures.served_within_target)
        for r in result.runs
    ]
    title = f"{request.center} on {request.day.isoformat()}, seed {request.seed}"
    path.write_bytes(day_chart(runs, title=title, timezone=_zone(result), estimators=ESTIMATORS))
    return path


def _zone(result: Simulation) -> str:
    first = result.periods[0][0]
    return str(first.tzinfo)


def as_object(result: Simulation, picture: Path | None) -> dict[str, Any]:
    """The --json object: per policy its figures, and per estimator its accuracy."""
    request = result.request
    return {
        "center": request.center,
        "day": request.day.isoformat(),
        "seed": request.seed,
        "hours": request.hours,
        "load": request.rates.load,
        "walk_ins": result.walk_ins,
        "bookings": result.bookings,
        "picture": str(picture) if picture else None,
        "policies": {
            run.policy: {
                **run.figures.as_json(),
                "refused": run.refused,
                "cpu_seconds": round(run.cpu_seconds, 2),
                "wall_seconds": round(run.wall_seconds, 2),
            }
            for run in result.runs
        },
    }


def tables(result: Simulation) -> list[str]:
    """The policy table, then the ETA accuracy table (one row per policy and estimator)."""
    request = result.request
    hours = f"{request.hours:g} h of arrivals" if request.hours else "the whole day"
    out = [
        f"{request.center} {_day(request.day)}, seed {request.seed}, {hours}, load "
        f"{request.rates.load:g}: {result.walk_ins} walk-ins drawn, {result.bookings} bookings",
        "",
        f"{'policy':8} {'tickets':>7} {'in target':>9} {'regular p50/p90/max':>20} "
        f"{'priority p50/p90/max':>21} {'>3x':>4} {'util':>5} {'refused':>7} {'cpu s':>6}",
    ]
    for run in result.runs:
        f = run.figures
        out.append(
            f"{run.policy:8} {f.tickets:7d} {f.served_within_target:9.1%} "
            f"{_waits(f.regular.p50, f.regular.p90, f.regular.max):>20} "
            f"{_waits(f.priority.p50, f.priority.p90, f.priority.max):>21} "
            f"{f.over_three_targets:4d} {f.utilisation:5.0%} {run.refused:7d} "
            f"{run.cpu_seconds:6.1f}"
        )
    out += [
        "",
        f"{'policy':8} {'estimator':11} {'tickets':>7} {'±2 min':>7} {'±5 min':>7} "
        f"{'MAE min':>8} {'bias min':>9}",
    ]
    for run in result.runs:
        for name, a in run.figures.accuracy.items():
            out.append(
                f"{run.policy:8} {name:11} {a.tickets:7d} {a.within_2min:7.1%} "
                f"{a.within_5min:7.1%} {a.mae_minutes:8.2f} {a.bias_minutes:+9.2f}"
            )
    return out


def _waits(p50: float, p90: float, top: float) -> str:
    return f"{p50:.0f}/{p90:.0f}/{top:.0f}"


def _day(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")
