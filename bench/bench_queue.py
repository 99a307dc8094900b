"""The queue model's cost on every change (issue 8): call-next, issuing and the hall snapshot
in-process, with 100, 1,000 and 10,000 tickets waiting in one center, on SQLite.

Each size gets a fresh database with the demo hall (baku-1: 20 services, 20 counters, all
open), the waiting tickets spread over the services and the last three hours. Requests go
through the Flask test client (routing, validation, the use case, JSON), with the realtime
fan-out unplugged so only the request path is timed; the fan-out's own work per call is
printed beside it. Figures are p50 / p95 in milliseconds.

    .venv/bin/python bench/bench_queue.py [--sizes 100,1000,10000,10000c] [--repeat 30]

A size ending in `c` puts every waiting ticket in the services of counter 1 (the worst case
for one counter's call-next). The fan-out runs with listeners as in a real hall: the hall
display, every desk, and an open phone page for PHONES of the waiting tickets; it prints
the messages each call sends. `subscribe` is a center room's snapshot, cached and not.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from asan_queue import create_app  # noqa: E402
from asan_queue.domain.events import TicketCalled, TicketChanged  # noqa: E402
from asan_queue.extensions import db, socketio  # noqa: E402
from asan_queue.models import (  # noqa: E402
    Center,
    Counter,
    DayCounter,
    OpeningPeriod,
    Service,
    Ticket,
    User,
)
from asan_queue.realtime.emitter import emit_batch  # noqa: E402
from asan_queue.realtime.handlers import snapshot as snapshot_of  # noqa: E402
from asan_queue.services.auth import hash_password  # noqa: E402
from asan_queue.services.common import load_hall  # noqa: E402
from asan_queue.services.demo import seed_demo  # noqa: E402
from asan_queue.services.hall import HallView  # noqa: E402
from asan_queue.services.queue import queue_model  # noqa: E402
from asan_queue.services.uow import UnitOfWork  # noqa: E402
from config import TestConfig  # noqa: E402

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday 10:00 in Baku
PASSWORD = "bench-pw"  # noqa: S105 - bench users only


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:7.1f} / {p95 * 1000:6.1f}"


# CPU time of this process: on a shared 2-core machine, wall-clock figures swing with what
# else runs; the CPU a request costs does not. Both are printed.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


@contextmanager
def measure(samples: dict[str, list[float]]) -> Iterator[None]:
    start = {name: clock() for name, clock in CLOCKS.items()}
    yield
    for name, clock in CLOCKS.items():
        samples.setdefault(name, []).append(clock() - start[name])


def timed(fn: Callable[[], Any], repeat: int, samples: dict[str, list[float]]) -> None:
    for _ in range(repeat):
        with measure(samples):
            fn()


PHONES = 100  # ticket pages open (listening) among the waiting


def build(tmp: Path, waiting: int, concentrate: bool = False) -> tuple[Any, Any]:
    name = f"queue-{waiting}{'c' if concentrate else ''}.db"

    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / name}"
        CLOCK = staticmethod(lambda: NOW)
        NOTIFY_TICKETS = False
        RATELIMIT_ENABLED = False

    app = create_app(Cfg)
    app.extensions["asan_bus"].after_commit.clear()  # time the request path only
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    seed_demo(UnitOfWork(db.session), now=NOW)
    center = db.session.scalar(select(Center).where(Center.slug == "baku-1"))
    center.hours.clear()
    # An overfull hall is what is measured: stop walk-ins only at closing, not by projection.
    center.last_ticket_minutes = 0
    for weekday in range(7):
        center.hours.append(
            OpeningPeriod(weekday=weekday, opens=clock_time(0), closes=clock_time(23, 59, 59))
        )
    pw = hash_password(PASSWORD)
    for user in db.session.scalars(select(User)):
        user.password_hash = pw
    services = db.session.scalars(select(Service).where(Service.center_id == center.id)).all()
    if concentrate:
        first = db.session.scalar(
            select(Counter).where(Counter.center_id == center.id).order_by(Counter.number)
        )
        assert first is not None
        mine = {s.id for s in first.services}
        services = [s for s in services if s.id in mine]
    rng = random.Random(7)
    rows = []
    seq = {s.id: 0 for s in services}
    for i in range(waiting):
        service = services[i % len(services)]
        seq[service.id] += 1
        at = NOW - timedelta(seconds=rng.randint(0, 3 * 3600))
        rows.append(
            {
                "token": secrets.token_urlsafe(32),
                "center_id": center.id,
                "service_id": service.id,
                "day": NOW.date(),
                "number": f"{service.prefix}{seq[service.id]:03d}",
                "status": "waiting",
                "lang": "az",
                "priority": "elderly" if rng.random() < 0.1 else None,
                "call_count": 0,
                "issued_at": at,
                "queued_at": at,
            }
        )
    if rows:
        db.session.execute(insert(Ticket), rows)
    for service in services:  # the day counters go on from the inserted numbers
        db.session.add(
            DayCounter(
                center_id=center.id, prefix=service.prefix, day=NOW.date(), value=seq[service.id]
            )
        )
    db.session.commit()
    return app, center


def run(size: str, repeat: int, tmp: Path) -> dict[str, str]:
    waiting = int(size.rstrip("c"))
    app, center = build(tmp, waiting, concentrate=size.endswith("c"))
    client = app.test_client()
    counters = db.session.scalars(
        select(Counter).where(Counter.center_id == center.id).order_by(Counter.number)
    ).all()
    headers = []
    for n, counter in enumerate(counters, start=1):
        token = client.post(
            "/api/v1/auth/token", json={"username": f"operator{n}", "password": PASSWORD}
        ).get_json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        client.post(f"/api/v1/counters/{counter.id}/open", headers=h)
        headers.append((counter.id, h))
    db.session.remove()

    center_id = center.id

    def model() -> None:
        queue_model(db.session, db.session.get(Center, center_id), NOW).arrival_eta(1)
        db.session.rollback()

    def snapshot() -> None:
        HallView(db.session, load_hall(db.session, "baku-1"), NOW).center_state()
        db.session.rollback()

    # The rooms a real hall listens on: the display, every desk, PHONES ticket pages.
    tokens = db.session.scalars(select(Ticket.token).limit(PHONES)).all()
    listened = {"center:baku-1", *(f"counter:{c_id}" for c_id, _ in headers)}
    listened |= {f"ticket:{t}" for t in tokens}
    app.extensions["asan_listeners"].of = lambda slug: listened
    sent: list[str] = []
    real_emit = socketio.emit
    socketio.emit = lambda event, body, to: sent.append(to)  # type: ignore[method-assign]
    db.session.remove()

    issued = iter(range(10**6))

    def issue() -> None:
        service = ("passport", "id-card", "notary")[next(issued) % 3]
        res = client.post("/api/v1/centers/baku-1/tickets", json={"service": service})
        assert res.status_code == 201, res.get_json()

    calls: dict[str, list[float]] = {}
    fanout: dict[str, list[float]] = {}
    messages: list[int] = []
    callers = headers[:1] if size.endswith("c") else headers  # counter 1 serves them all
    for i in range(repeat):
        counter_id, h = callers[i % len(callers)]
        with measure(calls):
            res = client.post(f"/api/v1/counters/{counter_id}/call-next", headers=h)
        assert res.status_code == 200, res.get_json()
        body = res.get_json()
        with app.app_context():
            ticket_id = db.session.scalar(select(Ticket.id).where(Ticket.token == body["token"]))
        events = [
            TicketCalled("baku-1", body["token"], ticket_id, counter_id, False, NOW),
            TicketChanged("baku-1", body["token"], "call", ticket_id, NOW, counter_id),
        ]
        before = len(sent)
        with measure(fanout):
            emit_batch(app, events)
        messages.append(len(sent) - before)
        client.post(f"/api/v1/counters/{counter_id}/start", headers=h)
        client.post(f"/api/v1/counters/{counter_id}/finish", headers=h)
    figures: dict[str, dict[str, list[float]]] = {
        "queue model": {},
        "hall snapshot": {},
        "issue (HTTP)": {},
    }

    def subscribe(cached: bool) -> Callable[[], None]:
        def one() -> None:
            with app.app_context():
                if not cached:
                    app.extensions["asan_snapshots"].clear()
                snapshot_of(app, "center:baku-1", "baku-1")
                db.session.remove()

        return one

    figures["subscribe, cached"] = {}
    figures["subscribe, built"] = {}
    subscribe(False)()
    timed(subscribe(True), repeat, figures["subscribe, cached"])
    timed(subscribe(False), repeat, figures["subscribe, built"])
    timed(model, repeat, figures["queue model"])
    timed(snapshot, repeat, figures["hall snapshot"])
    timed(issue, repeat, figures["issue (HTTP)"])
    figures["call-next (HTTP)"] = calls
    figures["fan-out per call"] = fanout
    out = {
        f"{name} {clock}": ms(samples[clock])
        for name, samples in figures.items()
        for clock in CLOCKS
    }
    out["messages per call"] = f"{statistics.median(messages):7.0f} / {max(messages):6.0f}"
    socketio.emit = real_emit  # type: ignore[method-assign]
    db.session.remove()
    db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,10000c")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            results[size] = run(size, args.repeat, Path(tmp))
    print("\nms p50 / p95 (CPU time, then wall clock), in-process, SQLite, one center")
    print(f"{'waiting':<24}" + "".join(f"{n:>18}" for n in sizes))
    for name in results[sizes[0]]:
        print(f"{name:<24}" + "".join(f"{results[n][name]:>18}" for n in sizes))


if __name__ == "__main__":
    main()
