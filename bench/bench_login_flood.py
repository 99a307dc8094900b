"""A kiosk's ticket latency while 8 clients flood the staff login with wrong passwords.

Starts the server as `make run` does (serve.py, gevent, SQLite) per variant; a kiosk issues
tickets one after another on one connection, first alone (baseline), then while 8 flooder
threads post wrong passwords as fast as they are answered. Prints p50/p95/p99 of the kiosk
and what the flooders got (401: a password was checked, 429: refused before hashing).

    .venv/bin/python bench/bench_login_flood.py [--tickets 300] [--flooders 8]
        [--variants limits,pool-only]

`limits`: the shipped settings (per-user and per-address locks, hashing in a thread pool).
`pool-only`: the locks set out of reach, so every flood request hashes a password: what the
thread pool alone does for the kiosk. The servers' clock is pinned to a Monday 10:00 in Baku
(open hours); the kiosk sends an X-Kiosk-Key whose ticket limit is raised for the bench.
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
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import start_server  # noqa: E402

MONDAY_1000 = "2026-11-30T06:00:00+00:00"
KIOSK_KEY = "bench-kiosk-key-0123456789"
VARIANTS = {
    "limits": {},
    "pool-only": {
        "ASAN_LOGIN_FREE_FAILURES_USER": "100000000",
        "ASAN_LOGIN_FREE_FAILURES_ADDRESS": "100000000",
    },
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def kiosk(port: int, n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "X-Kiosk-Key": KIOSK_KEY}
    body = json.dumps({"service": "passport"})
    took = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("POST", "/api/v1/centers/baku-1/tickets", body, headers)
        res = conn.getresponse()
        res.read()
        took.append((time.perf_counter() - start) * 1000)
        if res.status != 201:
            raise SystemExit(f"kiosk got {res.status}")
    conn.close()
    return took


def flooder(port: int, idx: int, stop: threading.Event, seen: Counter[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    i = 0
    while not stop.is_set():
        user = f"operator{1 + (idx + i) % 20}" if i % 2 else f"nobody-{idx}-{i}"
        body = json.dumps({"username": user, "password": f"wrong-{i}"})
        conn.request("POST", "/api/v1/auth/token", body, headers)
        res = conn.getresponse()
        res.read()
        seen[res.status] += 1
        i += 1
    conn.close()


def line(name: str, took: list[float]) -> str:
    return (
        f"  {name:<9} n={len(took):<4} p50={statistics.median(took):7.1f} ms  "
        f"p95={percentile(took, 95):7.1f} ms  p99={percentile(took, 99):7.1f} ms  "
        f"max={max(took):7.1f} ms"
    )


def run(variant: str, tickets: int, flooders: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock"
        clock.write_text(MONDAY_1000)
        env = {
            "ASAN_CLOCK_FILE": str(clock),
            "ASAN_KIOSK_KEYS": f"bench-kiosk={KIOSK_KEY}",
            "ASAN_LIMIT_TICKETS_KIOSK": "1000000/minute",
            "ASAN_LOGIN_FREE_FAILURES_ADDRESS": "30",
            **VARIANTS[variant],
        }
        server = start_server(Path(tmp), env=env)
        port = int(server.url.rsplit(":", 1)[1])
        try:
            kiosk(port, 20)  # warm-up: connections, caches
            baseline = kiosk(port, tickets)
            stop = threading.Event()
            seen: Counter[int] = Counter()
            threads = [
                threading.Thread(target=flooder, args=(port, i, stop, seen))
                for i in range(flooders)
            ]
            for t in threads:
                t.start()
            time.sleep(0.5)  # the flood is under way before the kiosk measures
            flooded = kiosk(port, tickets)
            stop.set()
            for t in threads:
                t.join()
        finally:
            server.stop()
    print(f"{variant}:")
    print(line("baseline", baseline))
    print(line("flood", flooded))
    answers = ", ".join(f"{status}: {n}" for status, n in sorted(seen.items()))
    print(f"  flooders ({flooders}) got {answers}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--variants", default="limits,pool-only")
    args = parser.parse_args()
    for variant in args.variants.split(","):
        run(variant, args.tickets, args.flooders)


if __name__ == "__main__":
    main()
