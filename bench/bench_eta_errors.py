"""Where the ETA error of a simulated day comes from (issue 12): every ticket's quote at
issue against its actual wait, per estimator, broken down by what its wait held: the hour
of issue, the service, the size of the quote (how far back in the line it started), whether
it was a priority or a booked citizen, and whether a counter of its service went on a
break, opened late, a priority citizen of its service arrived, or a booking of its service
fell due while it waited.

    .venv/bin/python bench/bench_eta_errors.py [--seed 1] [--policy fair] [--hours H]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asan_queue.domain.daystats import TicketRecord  # noqa: E402
from asan_queue.services.simulation import SimulationRequest, simulate  # noqa: E402


def _row(name: str, errors: list[float]) -> str:
    n = len(errors)
    if not n:
        return f"  {name:28} {0:5d}"
    within2 = sum(abs(e) <= 2 for e in errors) / n
    mae = sum(abs(e) for e in errors) / n
    bias = sum(errors) / n
    share = f"{within2:6.1%}"
    return f"  {name:28} {n:5d} {share:>7} {mae:7.2f} {bias:7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--center", default="baku-1")
    parser.add_argument("--policy", default="fair")
    parser.add_argument("--hours", type=float)
    args = parser.parse_args()
    result = simulate(
        SimulationRequest(
            center=args.center, seed=args.seed, hours=args.hours, policies=(args.policy,)
        )
    )
    run = result.runs[0]
    counters = {n: set(codes) for n, codes in result.counter_services.items()}
    opening = result.periods[0][0]
    breaks = defaultdict(list)  # service -> [(start, end)] of planned breaks and late opening
    late = defaultdict(list)
    for plan in result.plan.counters:
        for code in counters.get(plan.number, ()):
            for due, minutes in plan.breaks:
                breaks[code].append((due, due + timedelta(minutes=minutes)))
            if plan.opens_at > opening:
                late[code].append(plan.opens_at)
    records = [r for r in run.records if r.wait_minutes is not None]
    priority_at = defaultdict(list)
    booking_at = defaultdict(list)
    for r in run.records:
        if r.priority:
            priority_at[r.service].append(r.issued_at)
        if r.booked:
            booking_at[r.service].append(r.due_at)

    def held(r: TicketRecord) -> dict[str, bool]:
        end = r.first_called_at
        assert end is not None
        return {
            "break began while waiting": any(r.issued_at <= a < end for a, _ in breaks[r.service]),
            "late opening after issue": any(r.issued_at < a for a in late[r.service]),
            "priority arrived meanwhile": any(
                r.issued_at < a < end for a in priority_at[r.service]
            ),
            "booking due meanwhile": any(r.issued_at < a < end for a in booking_at[r.service]),
        }

    for estimator in ("projection", "formula"):
        groups_of: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        for r in records:
            quote = r.quotes.get(estimator)
            if quote is None:
                continue
            e = quote - (r.wait_minutes or 0.0)
            groups_of["all"]["all"].append(e)
            hour = (r.issued_at - opening).total_seconds() // 3600
            groups_of["hour after opening"][f"{int(hour)}"].append(e)
            groups_of["service"][r.service].append(e)
            bucket = (
                "0"
                if quote < 1
                else "1-5"
                if quote <= 5
                else "6-15"
                if quote <= 15
                else ("16-30" if quote <= 30 else "31+")
            )
            groups_of["quoted minutes"][bucket].append(e)
            kind = "priority" if r.priority else "booked" if r.booked else "regular"
            groups_of["citizen"][kind].append(e)
            groups_of["transferred"][str(bool(r.transfers))].append(e)
            for name, yes in held(r).items():
                groups_of[name][str(yes)].append(e)
        print(f"\n{estimator} (error = quoted - actual, minutes) seed {args.seed} {run.policy}")
        print(f"  {'':28} {'n':>5} {'±2 min':>7} {'MAE':>7} {'bias':>7}")
        for group, rows in groups_of.items():
            print(f" {group}")
            for name in sorted(rows, key=lambda k: (len(k), k)):
                print(_row(name, rows[name]))


if __name__ == "__main__":
    main()
