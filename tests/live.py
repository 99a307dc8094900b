"""Real server processes for end-to-end tests (browser, python-socketio client, multi-process).

`start_server(tmp_path)` runs `serve.py` exactly as `make run` does (migrations, demo data,
then serving) on a free port, and waits until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)  # the ASAN_* settings it runs with
    sms: Any = None  # the stub SMS gateway it sends to, if any

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9: no shutdown, no cleanup, as a power cut or an OOM kill would."""
        self.process.kill()
        self.process.wait()

    def token(self, username: str = "operator1", password: str = "demo") -> dict[str, str]:
        res = requests.post(
            f"{self.url}/api/v1/auth/token",
            json={"username": username, "password": password},
            timeout=10,
        )
        res.raise_for_status()
        return {"Authorization": f"Bearer {res.json()['token']}"}


# A Wednesday 10:00 in Baku, not a holiday: the demo centers are open for hours after it.
OPEN_HOUR = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def start_server(
    workdir: Path,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    port: int | None = None,
    root: Path = ROOT,
    script: str = "serve.py",
) -> LiveServer:
    """Start serve.py (of the checkout at `root`; or another `script` served the same way,
    e.g. bench/bare_app.py) on a free port with its own SQLite file
    (unless env overrides the database) and wait for the API to answer. The caller stops
    it. Unless the test brings its own clock, the server's clock runs from a weekday
    morning (OPEN_HOUR), so the demo center is open whenever and wherever the test runs."""
    port = port or free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    if "ASAN_CLOCK_FILE" not in (env or {}):
        clock = workdir / "running-clock.txt"
        clock.write_text(f"{OPEN_HOUR.isoformat()} from {time.time()}")
        env = {**(env or {}), "ASAN_CLOCK_FILE": str(clock)}
    full_env = dict(os.environ)
    full_env.update(
        {
            "ASAN_HOST": "127.0.0.1",
            "ASAN_PORT": str(port),
            "ASAN_DATABASE_URL": f"sqlite:///{workdir / 'live.db'}",
            "PYTHONUNBUFFERED": "1",
            # The browser tests make many tickets from loopback; the limit tests set the real
            # sizes (tests/security).
            "ASAN_LIMIT_TICKETS_ADDRESS": "100000/minute",
            "ASAN_LIMIT_CHECKIN_ADDRESS": "100000/minute",
            "ASAN_LOGIN_FREE_FAILURES_ADDRESS": "100000",
        }
    )
    full_env.update(env or {})
    log_path = workdir / f"server-{port}.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(  # noqa: S603 - our own server script
        [sys.executable, str(root / script)],
        cwd=root,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text(errors='replace')}")
        try:
            if requests.get(f"{url}/api/v1/centers", timeout=2).status_code == 200:
                asan = {k: v for k, v in full_env.items() if k.startswith("ASAN_")}
                return LiveServer(url, proc, log_path, asan)
        except requests.RequestException:
            pass
        time.sleep(0.2)  # polling for readiness, not synchronising test steps
    proc.kill()
    raise RuntimeError(
        f"server did not answer in {timeout}s:\n{log_path.read_text(errors='replace')}"
    )


class FileClock:
    """The clock of real server processes (ASAN_CLOCK_FILE): a file holding one instant,
    which the test rewrites to move the servers' time without sleeping."""

    def __init__(self, path: Path, start: datetime) -> None:
        self.path = path
        self.set(start)

    def set(self, when: datetime) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(when.isoformat())
        tmp.replace(self.path)  # atomic: a server never reads half a line
        self.now = when

    def env(self) -> dict[str, str]:
        return {"ASAN_CLOCK_FILE": str(self.path)}


def wait_until(check: Any, timeout: float = 20, what: str = "condition") -> Any:
    """Poll `check()` until it returns something truthy (for state another process reaches
    on its own, e.g. a background job); fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s")
        time.sleep(0.1)  # polling another process's progress, not ordering our own steps
