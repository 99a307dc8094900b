"""Ticket issuing over HTTP: throughput and latency with 16 concurrent kiosks.

Starts the server exactly as `make run` does (serve.py: migrate, demo data, serve) for each
variant, issues tickets from 16 client threads with persistent connections, and prints
tickets/s and p50/p95/p99 latency. Variants run in one go so the figures compare.

    .venv/bin/python bench/bench_issue.py [--requests 4000] [--clients 16]
        [--variants sqlite,sqlite-threading,postgresql,postgresql-threading]

`sqlite` and `postgresql` run the default async mode (gevent); `-threading` the alternative.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import start_server  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/asan_bench"
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


def run_variant(name: str, env: dict[str, str], total: int, clients: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), env=env)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--variants", default="sqlite,sqlite-threading,postgresql,postgresql-threading")
    args = ap.parse_args()
    variants = {
        "sqlite-threading": {"ASAN_ASYNC_MODE": "threading"},
        "sqlite": {},
        "postgresql-threading": {"ASAN_DATABASE_URL": PG_URL, "ASAN_ASYNC_MODE": "threading"},
        "postgresql": {"ASAN_DATABASE_URL": PG_URL},
    }
    print(f"ticket issuing over HTTP, {args.clients} concurrent clients, {args.requests} tickets")
    print(f"{'variant':<20}{'tickets/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name in args.variants.split(","):
        if name.startswith("postgresql"):
            reset_pg()
        r = run_variant(name, variants[name], args.requests, args.clients)
        print(
            f"{name:<20}{r['tickets_per_s']:>10.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{r['errors']:>8}",
            flush=True,
        )


if __name__ == "__main__":
    main()
