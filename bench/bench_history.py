"""History at scale (issue 11): a year of one large center (about 500,000 tickets, each with
its call event, every day closed and rolled up), then the reads that must stay fast with it:

- a month's report (GET /centers/<slug>/stats's body: 29 closed days + today live),
- the supervisor's dashboard snapshot,
- the hall snapshot (center room) and a desk's counter body.

On SQLite (a temp file) and PostgreSQL (a database of this bench's own, created and dropped
here; never a shared one). Bulk Core inserts fill the year. Figures: p50 / p95 ms, wall and CPU.
Each variant measures in a process of its own on the same filled database: this checkout and,
with `--ref REV`, git revision REV (a temporary worktree), alternating `--rounds` times, so
that a machine slower today than yesterday does not pass for a change in the code.

    .venv/bin/python bench/bench_history.py [--days 365] [--per-day 1600] [--repeat 20]
        [--backends sqlite,postgresql] [--ref REV [--rounds 2]]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parents[1]
# The tree whose code is measured: this checkout, or --ref's worktree (set by main for the
# measuring process; the filling is always this checkout's).
ROOT = Path(os.environ.get("ASAN_BENCH_ROOT") or HERE)
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from worktree import checkout  # noqa: E402 - bench/worktree.py, beside this script

from asan_queue import create_app  # noqa: E402
from asan_queue.extensions import db  # noqa: E402
from asan_queue.models import (  # noqa: E402
    Center,
    Counter,
    DayClosure,
    Service,
    Ticket,
    TicketEvent,
    User,
)
from asan_queue.services import rollup  # noqa: E402
from asan_queue.services import stats as stats_service  # noqa: E402
from asan_queue.services.common import load_hall  # noqa: E402
from asan_queue.services.demo import seed_demo  # noqa: E402
from asan_queue.services.hall import HallView  # noqa: E402
from asan_queue.services.supervise import dashboard  # noqa: E402
from asan_queue.services.uow import UnitOfWork  # noqa: E402
from config import TestConfig  # noqa: E402

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 12:00 in Baku
ZONE = ZoneInfo("Asia/Baku")
PG = os.environ.get("ASAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CHUNK = 20_000


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:7.1f} / {p95 * 1000:6.1f}"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and this process's CPU seconds per run: on a shared machine the wall figure
    swings with what else runs (the database server's own work is only in wall)."""
    fn()  # warm
    wall, cpu = [], []
    for _ in range(repeat):
        db.session.expire_all()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        db.session.rollback()
    return wall, cpu


def fill(days: int, per_day: int) -> None:
    """A year of closed days of baku-1 plus a busy morning today."""
    seed_demo(UnitOfWork(db.session, None), now=NOW)  # type: ignore[arg-type]
    session = db.session
    center = session.scalar(select(Center).where(Center.slug == "baku-1"))
    assert center is not None
    services = list(session.scalars(select(Service).where(Service.center_id == center.id)))
    counters = list(session.scalars(select(Counter).where(Counter.center_id == center.id)))
    operators = list(session.scalars(select(User).where(User.center_id == center.id)))
    rng = random.Random(11)
    at_counter = {c.id: operators[i % len(operators)].id for i, c in enumerate(counters)}
    today = NOW.astimezone(ZONE).date()
    tickets = events = 0
    ticket_rows: list[dict[str, Any]] = []
    next_id = 1

    def flush() -> None:
        nonlocal ticket_rows
        if not ticket_rows:
            return
        session.execute(insert(Ticket), ticket_rows)
        session.execute(
            insert(TicketEvent),
            [
                {
                    "ticket_id": r["id"],
                    "operation": "call",
                    "from_status": "waiting",
                    "to_status": "called",
                    "at": r["first_called_at"],
                    "counter_id": r["counter_id"],
                    "reason": "",
                    "data": {},
                }
                for r in ticket_rows
                if r["first_called_at"] is not None
            ],
        )
        ticket_rows = []

    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() == 6:
            continue
        opens = datetime.combine(day, datetime.min.time(), tzinfo=ZONE).replace(hour=9)
        seq: dict[int, int] = {}
        for _ in range(per_day):
            service = rng.choice(services)
            seq[service.id] = seq.get(service.id, 0) + 1
            issued = opens + timedelta(seconds=rng.randrange(0, 9 * 3600))
            outcome = rng.random()
            wait = timedelta(minutes=rng.expovariate(1 / 12))
            called = None if outcome < 0.04 else issued + wait
            status = "cancelled" if called is None else ("no_show" if outcome < 0.08 else "done")
            started = called + timedelta(minutes=1) if status == "done" and called else None
            finished = started + timedelta(minutes=rng.uniform(3, 20)) if started else None
            serving = [c for c in counters if service.id in {x.id for x in c.services}]
            counter = rng.choice(serving or counters) if called else None
            ticket_rows.append(
                {
                    "id": next_id,
                    "token": secrets.token_urlsafe(24),
                    "center_id": center.id,
                    "service_id": service.id,
                    "day": day,
                    "number": f"{service.prefix}{seq[service.id]:03d}",
                    "status": status,
                    "lang": "az",
                    "issued_at": issued,
                    "queued_at": issued,
                    "first_called_at": called,
                    "called_at": called,
                    "started_at": started,
                    "finished_at": finished,
                    "ended_at": finished or called,
                    "counter_id": counter.id if counter else None,
                    # An operator works one counter all day (as on a real floor).
                    "operator_id": at_counter[counter.id] if counter else None,
                    "call_count": 1 if called else 0,
                    "quoted_eta_minutes": rng.randrange(0, 40),
                }
            )
            next_id += 1
            tickets += 1
            events += called is not None
            if len(ticket_rows) >= CHUNK:
                flush()
        flush()
        session.add(DayClosure(center_id=center.id, day=day, closed_at=NOW))
    session.commit()
    print(f"  filled {tickets:,} tickets, {events:,} call events", flush=True)
    start = time.perf_counter()
    for back in range(days, 0, -1):
        rollup.write_day(session, center, today - timedelta(days=back))
    session.commit()
    print(f"  rolled up {days} days in {time.perf_counter() - start:.1f} s", flush=True)
    # Today: counters open with operators, a busy morning: 3 hours served, 80 waiting, a
    # visit at every counter.
    for counter in counters:
        counter.state = "open"
        counter.state_since = NOW - timedelta(hours=3)
        counter.operator_id = at_counter[counter.id]
    seq = {}
    for n in range(per_day // 3 + 80 + len(counters)):
        service = rng.choice(services)
        seq[service.id] = seq.get(service.id, 0) + 1
        waiting = n >= per_day // 3 + len(counters)
        at_desk = per_day // 3 <= n < per_day // 3 + len(counters)
        issued = NOW - timedelta(
            minutes=rng.uniform(0, 40) if waiting or at_desk else rng.uniform(40, 180)
        )
        called = None if waiting else issued + timedelta(minutes=rng.uniform(1, 25))
        counter = (
            counters[n - per_day // 3] if at_desk else (rng.choice(counters) if called else None)
        )
        status = "waiting" if waiting else ("called" if at_desk else "done")
        ticket_rows.append(
            {
                "id": next_id,
                "token": secrets.token_urlsafe(24),
                "center_id": center.id,
                "service_id": service.id,
                "day": today,
                "number": f"{service.prefix}{seq[service.id]:03d}",
                "status": status,
                "lang": "az",
                "issued_at": issued,
                "queued_at": issued,
                "first_called_at": called,
                "called_at": called,
                "started_at": called if status == "done" else None,
                "finished_at": called + timedelta(minutes=5) if status == "done" else None,
                "counter_id": counter.id if counter else None,
                "operator_id": at_counter[counter.id] if counter else None,
                "call_count": 1 if called else 0,
                "quoted_eta_minutes": rng.randrange(0, 40),
            }
        )
        next_id += 1
    flush()
    session.commit()


def app_on(url: str) -> Any:
    """The app (of ROOT's code) on the database at `url`."""

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Cfg)


def prepare(url: str, args: argparse.Namespace) -> None:
    """Fill the database at `url` and leave it as autovacuum would."""
    with app_on(url).app_context():
        db.create_all()
        start = time.perf_counter()
        fill(args.days, args.per_day)
        print(f"  fill took {time.perf_counter() - start:.0f} s", flush=True)
        # What autovacuum (PostgreSQL) or the nightly maintenance does to a real database: the
        # planner's statistics describe the filled tables, not the empty ones of create_all.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def measure(url: str, label: str, repeat: int) -> None:
    """Time the four reads on the filled database at `url` with ROOT's code; print them."""
    with app_on(url).app_context():
        slug = "baku-1"
        center_id = db.session.scalar(select(Center.id).where(Center.slug == slug))
        first = NOW.astimezone(ZONE).date() - timedelta(days=29)
        last = NOW.astimezone(ZONE).date()
        counter_id = db.session.scalar(
            select(Counter.id).where(Counter.center_id == center_id).order_by(Counter.number)
        )

        def report() -> Any:
            c = load_hall(db.session, slug)
            return stats_service.report(db.session, c, first, last)

        def board() -> Any:
            return dashboard(db.session, load_hall(db.session, slug), NOW)

        def hall() -> Any:
            return HallView(db.session, load_hall(db.session, slug), NOW).center_state()

        def desk() -> Any:
            c = load_hall(db.session, slug)
            counter = db.session.get(Counter, counter_id)
            return HallView(db.session, c, NOW).counter_body(counter)

        for name, fn, budget in (
            ("month's report", report, 300),
            ("dashboard snapshot", board, 50),
            ("hall snapshot", hall, 10),
            ("desk counter body", desk, 10),
        ):
            wall, cpu = timed(fn, repeat)
            print(f"  {label:22} {name:20} wall {ms(wall)}  cpu {ms(cpu)} ms  (budget {budget})")
        db.session.remove()
        db.engine.dispose()


def run(url: str, label: str, args: argparse.Namespace, roots: dict[str, Path]) -> None:
    """Fill once, then measure every variant in a process of its own, round by round."""
    prepare(url, args)
    for _ in range(args.rounds):
        for name, root in roots.items():
            done = subprocess.run(  # noqa: S603 - this bench, another tree's code
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--measure",
                    url,
                    "--label",
                    f"{label} ({name})",
                    "--repeat",
                    str(args.repeat),
                ],
                env=dict(os.environ, ASAN_BENCH_ROOT=str(root)),
                capture_output=True,
                text=True,
            )
            print(done.stdout, end="", flush=True)
            if done.returncode != 0:
                sys.exit(f"measuring {label} ({name}) failed:\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=1600)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--ref", help="a git revision to compare with, in the same run")
    parser.add_argument("--rounds", type=int, default=1, help="alternations with --ref")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a filled database's URL
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.label, args.repeat)
        return
    with ExitStack() as stack:
        roots = {"this": HERE}
        if args.ref:
            roots[args.ref] = stack.enter_context(checkout(args.ref))
        run_all(args, roots)


def run_all(args: argparse.Namespace, roots: dict[str, Path]) -> None:
    print("p50 / p95 ms (wall, and the measuring process's CPU)")
    for backend in args.backends.split(","):
        print(backend, flush=True)
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                run(f"sqlite:///{tmp}/history.db", backend, args, roots)
            continue
        base = make_url(PG)
        name = f"asan_bench_history_{os.getpid()}"  # this bench's own database
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = base.set(database=name).render_as_string(hide_password=False)
            run(url, backend, args, roots)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
