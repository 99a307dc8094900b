"""Ticket issuing over HTTP: throughput and latency with 16 concurrent kiosks.

Starts the server exactly as `make run` does (serve.py: migrate, demo data, serve) for each
variant, issues tickets from 16 client threads with persistent connections, and prints
tickets/s and p50/p95/p99 latency. Variants run in one go so the figures compare; the
servers' clock is pinned to a Monday 10:00 in Baku (open hours) whatever the real time.

    .venv/bin/python bench/bench_issue.py [--requests 4000] [--clients 16]
        [--variants sqlite,sqlite-threading,postgresql,postgresql-threading]
        [--ref REV] [--rounds 2]

`sqlite` and `postgresql` run the default async mode (gevent); `-threading` the alternative.
With `--ref REV` every variant also runs the server of git revision REV (checked out in a
temporary worktree), alternating with this checkout round by round, and the ratio is
printed: "issuing must not get slower" measured in one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import ROOT, start_server  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/asan_bench"
MONDAY_1000 = "2026-11-30T06:00:00+00:00"
SERVICES = ["id-card", "passport", "notary", "pension", "medical-certificate", "asan-imza"]


def reset_pg() -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS asan_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE asan_bench"))
    admin.dispose()


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


def run_variant(
    name: str, env: dict[str, str], total: int, clients: int, root: Path = ROOT
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock.txt"
        clock.write_text(MONDAY_1000)
        env = {**env, "ASAN_CLOCK_FILE": str(clock)}
        server = start_server(Path(tmp), env=env, root=root)
        try:
            host, port = "127.0.0.1", int(server.url.rsplit(":", 1)[1])
            warm: list[float] = []
            client_loop(host, port, 50, 999, warm, [])
            per = total // clients
            latencies: list[list[float]] = [[] for _ in range(clients)]
            errors: list[str] = []
            threads = [
                threading.Thread(
                    target=client_loop, args=(host, port, per, i, latencies[i], errors)
                )
                for i in range(clients)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
        finally:
            server.stop()
    flat = sorted(x for lst in latencies for x in lst)
    q = statistics.quantiles(flat, n=100)
    return {
        "requests": len(flat),
        "errors": len(errors),
        "tickets_per_s": len(flat) / elapsed,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
    }


@contextmanager
def checkout(rev: str) -> Iterator[Path]:
    """The tree of git revision `rev` in a temporary worktree (removed afterwards)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ref"
        subprocess.run(  # noqa: S603
            ["git", "worktree", "add", "--detach", str(path), rev],  # noqa: S607
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            yield path
        finally:
            subprocess.run(  # noqa: S603
                ["git", "worktree", "remove", "--force", str(path)],  # noqa: S607
                cwd=ROOT,
                check=False,
                capture_output=True,
            )


def line(label: str, r: dict[str, float]) -> str:
    return (
        f"{label:<28}{r['tickets_per_s']:>10.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
        f"{r['p99_ms']:>9.1f}{r['errors']:>8}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--variants", default="sqlite,sqlite-threading,postgresql,postgresql-threading")
    ap.add_argument("--ref", help="a git revision to compare with, in the same run")
    ap.add_argument("--rounds", type=int, default=2, help="alternations with --ref")
    args = ap.parse_args()
    variants = {
        "sqlite-threading": {"ASAN_ASYNC_MODE": "threading"},
        "sqlite": {},
        "postgresql-threading": {"ASAN_DATABASE_URL": PG_URL, "ASAN_ASYNC_MODE": "threading"},
        "postgresql": {"ASAN_DATABASE_URL": PG_URL},
    }
    print(f"ticket issuing over HTTP, {args.clients} concurrent clients, {args.requests} tickets")
    print(f"{'variant':<28}{'tickets/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    with ExitStack() as stack:
        roots = {"this": ROOT}
        if args.ref:
            roots[args.ref] = stack.enter_context(checkout(args.ref))
        for name in args.variants.split(","):
            seen: dict[str, list[float]] = {label: [] for label in roots}
            for _ in range(args.rounds if args.ref else 1):
                for label, root in roots.items():
                    if name.startswith("postgresql"):
                        reset_pg()
                    r = run_variant(name, variants[name], args.requests, args.clients, root)
                    seen[label].append(r["tickets_per_s"])
                    print(line(f"{name} ({label})", r), flush=True)
            if args.ref:
                mine, theirs = statistics.median(seen["this"]), statistics.median(seen[args.ref])
                print(f"  {name}: this / {args.ref} = {mine / theirs:.2f} (median tickets/s)")


if __name__ == "__main__":
    main()
