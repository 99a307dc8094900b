"""Ticket issuing over HTTP: throughput and latency with 16 concurrent kiosks.

Starts the server exactly as `make run` does (serve.py: migrate, demo data, serve) for each
variant, issues tickets from 16 client threads with persistent connections, and prints
tickets/s and p50/p95/p99 latency, and the server's CPU per ticket. Variants run in one go
so the figures compare; the servers' clock is pinned to a Monday 10:00 in Baku (open hours)
whatever the real time.

    .venv/bin/python bench/bench_issue.py [--requests 4000] [--clients 16]
        [--variants sqlite,sqlite-bare,postgresql,postgresql-bare]
        [--rounds 1] [--ref REV] [--steady [--counters 4]]

`sqlite` and `postgresql` run the default async mode (gevent); `-threading` the alternative.
`-bare` runs bench/bare_app.py instead: the essential writes only, same schema, durability
and serving (the ceiling); with both run, "project / bare" is printed (median tickets/s,
variants alternating round by round). With `--ref REV` every variant also runs the server
of git revision REV (checked out in a temporary worktree), alternating with this checkout,
and the ratio is printed: "issuing must not get slower" measured in one run.

`--steady`: a realistic steady state: while the kiosks issue, `--counters` operators each
call the next ticket and finish it in a loop, and a hall display (a Socket.IO client) listens
to the center, so every ticket and call fans out as in a real hall; calls/s are printed too.

PostgreSQL variants run on a database of this run's own (asan_bench_<pid>), made afresh for
every run and dropped at the end; a shared database is never touched.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worktree import checkout  # noqa: E402 - bench/worktree.py, beside this script

from tests.live import ROOT, start_server  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_NAME = f"asan_bench_{os.getpid()}"  # this run's own: never a shared database
PG_URL = f"{PG_SERVER}/{PG_NAME}"
MONDAY_1000 = "2026-11-30T06:00:00+00:00"
SERVICES = ["id-card", "passport", "notary", "pension", "medical-certificate", "asan-imza"]
BARE = "bench/bare_app.py"


def _pg_admin(statement: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


def reset_pg() -> None:
    """This run's database, made afresh."""
    _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{PG_NAME}"')


def drop_pg() -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_loop(
    host: str, port: int, n: int, idx: int, out: list[float], errors: list[str]
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    for i in range(n):
        body = json.dumps({"service": SERVICES[(idx + i) % len(SERVICES)]})
        headers = {"Content-Type": "application/json", "Idempotency-Key": f"b-{idx}-{i}"}
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/centers/baku-1/tickets", body, headers)
            res = conn.getresponse()
            res.read()
            if res.status != 201:
                errors.append(str(res.status))
            if res.getheader("Connection", "").lower() == "close" or res.version == 10:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        except (OSError, http.client.HTTPException) as err:
            errors.append(type(err).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        out.append(time.perf_counter() - t0)
    conn.close()


class Hall:
    """The steady state's other side: operators calling and finishing at `counters`
    counters, and a hall display listening to the center, until stopped."""

    def __init__(self, url: str, counters: int) -> None:
        import requests
        import socketio

        self.url, self.stop_flag, self.calls, self.messages = url, threading.Event(), 0, 0
        center = requests.get(f"{url}/api/v1/centers/baku-1", timeout=10).json()
        self.counters = sorted(center["counters"], key=lambda c: c["number"])[:counters]
        self.display = socketio.Client()
        self.display.on("*", self._message)
        self.display.connect(url, transports=["websocket"], wait_timeout=30)
        self.display.emit("subscribe", {"center": "baku-1"})
        self.threads = [
            threading.Thread(target=self._desk, args=(i + 1, c["id"]), daemon=True)
            for i, c in enumerate(self.counters)
        ]

    def _message(self, *_args: object) -> None:
        self.messages += 1

    def _desk(self, n: int, counter_id: int) -> None:
        import requests

        http = requests.Session()
        res = http.post(
            f"{self.url}/api/v1/auth/token",
            json={"username": f"operator{n}", "password": "demo"},
            timeout=10,
        )
        http.headers["Authorization"] = f"Bearer {res.json()['token']}"
        base = f"{self.url}/api/v1/counters/{counter_id}"
        http.post(f"{base}/open", timeout=30)
        while not self.stop_flag.is_set():
            if http.post(f"{base}/call-next", timeout=30).status_code == 200:
                self.calls += 1
                http.post(f"{base}/start", json={}, timeout=30)
                http.post(f"{base}/finish", json={}, timeout=30)
            else:
                self.stop_flag.wait(0.05)  # nobody waiting for this counter yet

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        self.stop_flag.set()
        for t in self.threads:
            t.join()
        self.display.disconnect()


def run_variant(
    name: str,
    env: dict[str, str],
    total: int,
    clients: int,
    root: Path = ROOT,
    steady: int = 0,
) -> dict[str, float]:
    script = BARE if name.endswith("-bare") else "serve.py"
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock.txt"
        clock.write_text(MONDAY_1000)
        env = {**env, "ASAN_CLOCK_FILE": str(clock)}
        server = start_server(Path(tmp), env=env, root=root, script=script)
        hall = None
        try:
            host, port = "127.0.0.1", int(server.url.rsplit(":", 1)[1])
            warm: list[float] = []
            client_loop(host, port, 50, 999, warm, [])
            if steady and script != BARE:
                hall = Hall(server.url, steady)
                hall.start()
            per = total // clients
            latencies: list[list[float]] = [[] for _ in range(clients)]
            errors: list[str] = []
            threads = [
                threading.Thread(
                    target=client_loop, args=(host, port, per, i, latencies[i], errors)
                )
                for i in range(clients)
            ]
            cpu0 = cpu_seconds(server.process.pid)
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            cpu = cpu_seconds(server.process.pid) - cpu0
            calls = hall.calls if hall else 0
        finally:
            if hall is not None:
                hall.stop()
            server.stop()
    flat = sorted(x for lst in latencies for x in lst)
    q = statistics.quantiles(flat, n=100)
    return {
        "requests": len(flat),
        "errors": sum(e != "409" for e in errors),
        "refused": sum(e == "409" for e in errors),  # no_more_tickets: the day is full
        "tickets_per_s": len(flat) / elapsed,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
        "cpu_ms": cpu / len(flat) * 1000,  # server CPU per ticket (and per call, if steady)
        "calls_per_s": calls / elapsed,
    }


def line(label: str, r: dict[str, float]) -> str:
    return (
        f"{label:<30}{r['tickets_per_s']:>10.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
        f"{r['p99_ms']:>9.1f}{r['cpu_ms']:>8.2f}{r['errors']:>8}"
        + (f"{r['calls_per_s']:>9.1f}{r['refused']:>9}" if r["calls_per_s"] else "")
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--variants", default="sqlite,sqlite-bare,postgresql,postgresql-bare")
    ap.add_argument("--ref", help="a git revision to compare with, in the same run")
    ap.add_argument("--rounds", type=int, default=1, help="alternations (bare, --ref)")
    ap.add_argument("--steady", action="store_true", help="counters call while kiosks issue")
    ap.add_argument("--counters", type=int, default=20, help="calling counters with --steady")
    args = ap.parse_args()
    envs = {
        "sqlite": {},
        "sqlite-threading": {"ASAN_ASYNC_MODE": "threading"},
        "postgresql": {"ASAN_DATABASE_URL": PG_URL},
        "postgresql-threading": {"ASAN_DATABASE_URL": PG_URL, "ASAN_ASYNC_MODE": "threading"},
    }
    names = args.variants.split(",")
    steady = args.counters if args.steady else 0
    mode = f", steady state: {steady} counters calling, a hall display" if steady else ""
    print(
        f"ticket issuing over HTTP, {args.clients} concurrent clients, "
        f"{args.requests} tickets{mode}"
    )
    print(
        f"{'variant':<30}{'tickets/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'cpu ms':>8}{'errors':>8}" + (f"{'calls/s':>9}{'refused':>9}" if steady else "")
    )
    seen: dict[str, list[float]] = {}
    try:
        with ExitStack() as stack:
            roots = {"this": ROOT}
            if args.ref:
                roots[args.ref] = stack.enter_context(checkout(args.ref))
            for _ in range(args.rounds):
                for name in names:
                    for label, root in roots.items():
                        if label != "this" and name.endswith("-bare"):
                            continue  # the ceiling is the same whatever the revision
                        if name.startswith("postgresql"):
                            reset_pg()
                        env = envs[name.removesuffix("-bare")]
                        r = run_variant(name, env, args.requests, args.clients, root, steady)
                        seen.setdefault(f"{name} ({label})", []).append(r["tickets_per_s"])
                        print(line(f"{name} ({label})", r), flush=True)
    finally:
        if any(n.startswith("postgresql") for n in names):
            drop_pg()
    median = {k: statistics.median(v) for k, v in seen.items()}
    for name in names:
        bare = median.get(f"{name}-bare (this)")
        if bare:
            mine = median[f"{name} (this)"]
            print(f"  {name}: project / bare = {mine / bare:.2f} (median tickets/s)")
        if args.ref and not name.endswith("-bare"):
            ratio = median[f"{name} (this)"] / median[f"{name} ({args.ref})"]
            print(f"  {name}: this / {args.ref} = {ratio:.2f} (median tickets/s)")


if __name__ == "__main__":
    main()
