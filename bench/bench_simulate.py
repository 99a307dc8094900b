"""The day simulator's speed (issue 12): one simulated day of baku-1 (20 counters) on the
real use cases, per call policy, in CPU and wall seconds, with what the day held.

The default day is the one the ETA and the policies are measured on: about 1,500 tickets at
about 85% counter utilisation (the catalogue's visits of 3-12 minutes, arrivals drawn for
Rates().load). `--loads 0.9,2.2` adds an overloaded day (hundreds waiting at once, walk-ins
refused once their call would come after closing): the expensive case for the queue model,
which every issue and call-next rebuilds. On a shared machine wall-clock figures swing with
what else runs; CPU seconds of this process do not. The machine's load average is printed.

    .venv/bin/python bench/bench_simulate.py [--seed 1] [--policy fifo] [--loads 0.9]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asan_queue.domain.dayplan import Rates  # noqa: E402
from asan_queue.services.simulation import SimulationRequest, simulate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--center", default="baku-1")
    parser.add_argument("--policy", action="append", default=[])
    parser.add_argument("--loads", default=str(Rates().load))
    args = parser.parse_args()
    print(
        f"{'load':>5} {'policy':7} {'arrivals':>8} {'tickets':>7} {'refused':>7} "
        f"{'util':>5} {'cpu s':>6} {'wall s':>7} {'loadavg':>8}"
    )
    for load in (float(x) for x in args.loads.split(",")):
        start = time.perf_counter()
        result = simulate(
            SimulationRequest(
                center=args.center,
                seed=args.seed,
                policies=tuple(args.policy),
                rates=Rates(load=load),
            )
        )
        arrivals = result.walk_ins + result.bookings
        for run in result.runs:
            print(
                f"{load:5.2f} {run.policy:7} {arrivals:8d} {run.figures.tickets:7d} "
                f"{run.refused:7d} {run.figures.utilisation:5.0%} {run.cpu_seconds:6.1f} "
                f"{run.wall_seconds:7.1f} "
                f"{os.getloadavg()[0]:8.1f}",
                flush=True,
            )
        print(f"      (all policies: {time.perf_counter() - start:.1f} s wall)")


if __name__ == "__main__":
    main()
