"""The in-process benches still run (at a tiny size): a bench that no longer starts is found
here, not by the person who follows a closing note's command. Their figures are not checked
(speed is never a test); that they print them is. bench_simulate runs whole days (`flask
simulate` is tested apart); the benches that start servers are run by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BENCHES = [
    ("bench_booking.py", ["5"], "bookings/s"),
    ("bench_receipt.py", ["3"], "ms"),
    (
        "bench_history.py",
        ["--days", "3", "--per-day", "40", "--repeat", "1", "--backends", "sqlite"],
        "desk counter body",
    ),
    ("bench_queue.py", ["--sizes", "20", "--repeat", "1"], "ms"),
    ("bench_eta_errors.py", ["--hours", "0.5"], "projection"),
    ("issue_statements.py", ["--waiting", "3", "--backends", "sqlite"], "until commit"),
]


@pytest.mark.parametrize(("script", "args", "printed"), BENCHES, ids=[b[0] for b in BENCHES])
def test_a_bench_runs_and_prints_its_figures(script: str, args: list[str], printed: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASAN_")}
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert printed in done.stdout, done.stdout[-3000:]
