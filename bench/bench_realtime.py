"""Realtime latency: N Socket.IO clients subscribed to one center; the time from a call-next
HTTP request to the `ticket_called` event at every client (p50/p99/max), per server variant.

    .venv/bin/python bench/bench_realtime.py                 # the default comparison
    .venv/bin/python bench/bench_realtime.py --variants gevent --clients 500,1000,2000

Variants (each started by this script on a free loopback port, demo data loaded first):
  threading      serve.py as `make run` runs it (Werkzeug, one thread per connection)
  gevent         gunicorn -k gevent -w 1 (python-engineio's gevent driver + simple-websocket)
  gevent-redis2  two gevent processes sharing PostgreSQL and Redis; clients split evenly,
                 call-next sent to the first: every event crosses Redis

Clients are python-socketio AsyncClients spread over a few client processes so that their
own parsing does not dominate the figure (both sides share this machine's 2 cores).
Timestamps are CLOCK_MONOTONIC, comparable across processes on Linux. `cpu ms` is the
server processes' CPU per round (one issue, one call fanned out to every client, one
no-show; the idle time between included), read from /proc. gevent-redis2 runs on a
PostgreSQL database of this run's own (asan_bench_realtime_<pid>), dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.live import OPEN_HOUR  # noqa: E402

PG_ADMIN_URL = os.environ.get("ASAN_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ASAN_BENCH_REDIS", "redis://127.0.0.1:6379/12")
TARGET_P99_MS = 250.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- servers -----------------------------------------------------------------------------


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the demo data in a child process (as serve.py does before serving)."""
    code = (
        "from flask_migrate import upgrade\n"
        "from asan_queue import create_app\n"
        "from asan_queue.extensions import db\n"
        "from asan_queue.services.demo import seed_demo\n"
        "from asan_queue.clock import now_utc\n"
        "from asan_queue.web.uow import unit_of_work\n"
        "from config import Config\n"
        "app = create_app(Config)\n"
        "with app.app_context():\n"
        "    upgrade(directory=app.config['MIGRATIONS_DIR'])\n"
        "    seed_demo(unit_of_work(), now=now_utc())\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603


PG_NAME = f"asan_bench_realtime_{os.getpid()}"  # this run's own, dropped at the end


def drop_pg_database(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children alive now (gunicorn's worker)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(cpu_seconds(int(c)) for c in children)


def fresh_pg_database(name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(PG_ADMIN_URL)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


class Server:
    def __init__(self, cmd: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if requests.get(f"{self.url}/api/v1/centers", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_variant(variant: str, workdir: Path) -> list[Server]:
    # The servers' clock runs from a weekday morning (as the live tests' do): the demo center
    # issues tickets whatever the real hour of the run.
    clock = workdir / "running-clock.txt"
    clock.write_text(f"{OPEN_HOUR.isoformat()} from {time.time()}")
    env = dict(os.environ, PYTHONUNBUFFERED="1", ASAN_NOTIFY_WORKER="0")
    env["ASAN_CLOCK_FILE"] = str(clock)
    # One address issues every ticket here (the abuse limit is not what is measured), and
    # this run's Redis keys are its own.
    env.update(ASAN_LIMIT_TICKETS_ADDRESS="100000/minute", ASAN_REDIS_PREFIX=f"bench{os.getpid()}")
    env.pop("ASAN_REDIS_URL", None)
    if variant == "threading":
        env.update(
            ASAN_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}", ASAN_ASYNC_MODE="threading"
        )
        port = free_port()
        env.update(ASAN_HOST="127.0.0.1", ASAN_PORT=str(port))
        return [Server([sys.executable, "serve.py"], env, port, workdir / "threading.log")]
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
    env["ASAN_ASYNC_MODE"] = "gevent"
    if variant == "gevent":
        env["ASAN_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.db'}"
        count = 1
    elif variant == "gevent-redis2":
        env["ASAN_DATABASE_URL"] = fresh_pg_database(PG_NAME)
        env["ASAN_REDIS_URL"] = REDIS_URL
        count = 2
    else:
        raise SystemExit(f"unknown variant {variant}")
    prepare_database(env)
    servers = []
    for i in range(count):
        port = free_port()
        servers.append(
            Server(
                [*gunicorn, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                env,
                port,
                workdir / f"{variant}-{i}.log",
            )
        )
    return servers


# --- clients (child processes) -----------------------------------------------------------


def client_worker(urls: list[str], n: int, conn: Any) -> None:
    """Connect n clients (round-robin over urls), subscribe them to baku-1, report ready, then
    record (number, arrival time) of every ticket_called until told to stop."""
    import socketio

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    arrivals: list[tuple[str, float]] = []

    async def one(i: int) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=False)

        @sio.on("ticket_called")
        async def _called(body: dict[str, Any]) -> None:
            arrivals.append((body["number"], time.monotonic()))

        await sio.connect(urls[i % len(urls)], transports=["websocket"], wait_timeout=30)
        ack = await sio.call("subscribe", {"center": "baku-1"}, timeout=30)
        assert ack.get("ok"), ack
        return sio

    async def main() -> None:
        clients: list[Any] = []
        for start in range(0, n, 50):  # connect in waves: the accept backlog is finite
            clients += await asyncio.gather(*(one(i) for i in range(start, min(n, start + 50))))
        conn.send(("ready", len(clients)))
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, conn.recv)  # "stop"
        conn.send(("arrivals", arrivals))
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

    asyncio.run(main())


# --- one measurement ---------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def measure(servers: list[Server], clients: int, rounds: int, procs: int) -> dict[str, float]:
    urls = [s.url for s in servers]
    pipes, workers = [], []
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    for n in per:
        parent, child = mp.Pipe()
        w = mp.Process(target=client_worker, args=(urls, n, child), daemon=True)
        w.start()
        pipes.append(parent)
        workers.append(w)
    try:
        connected = 0
        for p in pipes:
            if not p.poll(180):
                raise RuntimeError("client processes did not finish connecting in 180 s")
            connected += p.recv()[1]
        return _rounds(servers, pipes, connected, rounds)
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.terminate()


def _rounds(
    servers: list[Server], pipes: list[Any], connected: int, rounds: int
) -> dict[str, float]:
    api = servers[0].url
    center = requests.get(f"{api}/api/v1/centers/baku-1", timeout=10).json()
    counter = next(c for c in center["counters"] if c["number"] == 1)
    token = requests.post(
        f"{api}/api/v1/auth/token", json={"username": "operator1", "password": "demo"}, timeout=10
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    base = f"{api}/api/v1/counters/{counter['id']}"
    requests.post(f"{base}/open", headers=auth, timeout=10).raise_for_status()
    sent: dict[str, float] = {}
    service_ms: list[float] = []
    cpu0 = sum(cpu_seconds(s.proc.pid) for s in servers)
    for _ in range(rounds):
        ticket = requests.post(
            f"{api}/api/v1/centers/baku-1/tickets",
            json={"service": counter["services"][0]},
            timeout=10,
        ).json()
        time.sleep(0.3)  # let the `queue` broadcast of the new ticket drain first
        t0 = time.monotonic()
        res = requests.post(f"{base}/call-next", headers=auth, timeout=30)
        service_ms.append((time.monotonic() - t0) * 1000)
        res.raise_for_status()
        sent[ticket["number"]] = t0
        time.sleep(0.6)
        requests.post(f"{base}/no-show", headers=auth, timeout=30).raise_for_status()
        time.sleep(0.3)
    time.sleep(1.0)
    cpu = sum(cpu_seconds(s.proc.pid) for s in servers) - cpu0
    latencies: list[float] = []
    for p in pipes:
        p.send("stop")
    for p in pipes:
        if not p.poll(60):
            raise RuntimeError("a client process did not report")
        _, arrivals = p.recv()
        latencies += [(t - sent[num]) * 1000 for num, t in arrivals if num in sent]
    requests.post(f"{base}/close", headers=auth, timeout=10)
    expected = connected * rounds
    return {
        "clients": connected,
        "delivered": len(latencies) / expected if expected else 0.0,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": percentile(latencies, 99) if latencies else float("nan"),
        "max": max(latencies) if latencies else float("nan"),
        "http_p50": statistics.median(service_ms),
        # Server CPU per round (an issue, a call fanned out to every client, a no-show),
        # idle seconds between included.
        "cpu_ms": cpu / rounds * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", default="threading,gevent,gevent-redis2")
    parser.add_argument("--clients", default="250,1000", help="client counts per variant")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--client-procs", type=int, default=2)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    counts = [int(x) for x in args.clients.split(",")]
    print(f"call-next HTTP request -> ticket_called at every client ({args.rounds} calls)")
    head = ("variant", "clients", "deliv", "p50 ms", "p99 ms", "max ms", "HTTP ms", "cpu ms")
    print(f"{head[0]:<15}" + "".join(f"{h:>9}" for h in head[1:]) + "  p99<250")
    try:
        run_all(args, counts)
    finally:
        if "gevent-redis2" in args.variants:
            drop_pg_database(PG_NAME)


def run_all(args: Any, counts: list[int]) -> None:
    for variant in args.variants.split(","):
        for n in counts:
            with tempfile.TemporaryDirectory() as tmp:
                workdir = Path(tmp)
                try:
                    servers = start_variant(variant, workdir)
                except Exception as err:  # noqa: BLE001
                    print(f"{variant:<15}{n:>8}  could not start: {err}")
                    continue
                try:
                    r = measure(servers, n, args.rounds, args.client_procs)
                except Exception as err:  # noqa: BLE001
                    print(f"{variant:<15}{n:>8}  failed: {type(err).__name__}: {err}")
                    continue
                finally:
                    for s in servers:
                        s.stop()
                ok = "yes" if r["p99"] < TARGET_P99_MS and r["delivered"] >= 0.999 else "NO"
                print(
                    f"{variant:<15}{r['clients']:>9}{r['delivered']:>9.1%}{r['p50']:>9.1f}"
                    f"{r['p99']:>9.1f}{r['max']:>9.1f}{r['http_p50']:>9.1f}{r['cpu_ms']:>9.1f}"
                    f"  {ok}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
