"""A bounded schemathesis run against a live server on SQLite (serve.py as `make run` runs
it): generated and stateful requests (issue a ticket, then read, cancel, rate, print it;
book, then read, move, cancel, download it), without a token and with a staff token. It
fails on any 5xx, any answer the document does not declare (status, content type, body),
any schema-violating request accepted and any schema-valid request refused (outside the
rules a schema cannot state: tests/contract/schemathesis.toml)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.kiosk.live_hours import set_hours
from tests.live import start_server
from tests.sms_gateway import StubGateway

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
BUDGET_SECONDS = 75  # per run: a bound for CI, deep enough for the stateful phase


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    gateway = StubGateway()
    env = {
        "ASAN_SMS_URL": gateway.url,
        # The generator sends thousands of requests from one address: limits would answer
        # most of them 429 and leave the logic behind untested.
        "ASAN_RATELIMIT_BOOKING": "100000/minute",
        "ASAN_LOGIN_FREE_FAILURES_USER": "100000",
        "ASAN_LIMIT_TICKETS_KIOSK": "100000/minute",
        "ASAN_LIMIT_CHECKIN_KIOSK": "100000/minute",
    }
    server = start_server(tmp_path_factory.mktemp("schemathesis"), env=env)
    set_hours(server, open_all_day=True)
    yield server
    server.stop()
    gateway.close()


def run(api: Any, tmp_path: Path, *headers: str) -> tuple[int, str]:
    args = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{api.url}/api/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        "12",
        "--seed",
        "20261202",
        "--max-time",
        str(BUDGET_SECONDS),
        "--workers",
        "1",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    for header in headers:
        args += ["--header", header]
    done = subprocess.run(  # noqa: S603 - our own tool run against our own server
        args, capture_output=True, text=True, cwd=ROOT, timeout=BUDGET_SECONDS * 3
    )
    return done.returncode, done.stdout + done.stderr


def assert_clean(code: int, output: str, api: Any) -> None:
    summary = output[output.rfind("SUMMARY") :]
    assert code == 0, f"schemathesis failed:\n{output[-6000:]}"
    assert "Server error" not in output
    assert "❌" not in summary, summary
    assert "Traceback" not in api.log()  # nothing failed inside the server either


def test_generated_requests_without_a_token(api: Any, tmp_path: Path) -> None:
    assert_clean(*run(api, tmp_path), api)


def test_generated_requests_with_a_staff_token(api: Any, tmp_path: Path) -> None:
    token = api.token("admin")["Authorization"]
    assert_clean(*run(api, tmp_path, f"Authorization: {token}"), api)
