"""Fixtures: app/client/runner/db per backend, a recorder of published events, a clock.

SQLite runs everywhere. PostgreSQL tests use ASAN_TEST_DATABASE_URL (default: this machine's
server at 127.0.0.1:5432, database `test`); each xdist worker of each run gets databases and a
Redis key prefix of its own (`run_scope()`), dropped when the run ends, so two checkouts
testing at once never share state. When PostgreSQL is unreachable its tests are skipped
loudly, except under CI=true, where they fail."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asan_queue import create_app  # noqa: E402
from asan_queue.extensions import db as _db  # noqa: E402
from config import TestConfig  # noqa: E402

PG_URL = os.environ.get(
    "ASAN_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_pg_problem: list[str] = []
_made_databases: list[str] = []


def pytest_configure(config: Any) -> None:
    # The controller picks the run id before xdist starts its workers, which inherit it.
    if not hasattr(config, "workerinput"):
        os.environ.setdefault("ASAN_TEST_RUN", uuid.uuid4().hex[:8])


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def run_scope() -> str:
    """`<run>_<worker>`: unique to this test run and xdist worker (database names, Redis
    prefixes)."""
    return f"{os.environ.get('ASAN_TEST_RUN', 'local')}_{_worker()}"


def pg_database_url(purpose: str = "test", *, fresh: bool = False) -> str:
    """A database of this run and worker's own on the PostgreSQL server (created on first
    use; `fresh` drops it first); skip, or under CI=true fail, when PostgreSQL is absent."""
    base = make_url(PG_URL)
    name = f"asan_{purpose}_{run_scope()}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if fresh:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        if name not in _made_databases:
            _made_databases.append(name)
    except Exception as err:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        msg = f"PostgreSQL unreachable at {base.render_as_string(hide_password=True)}: {err}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{msg} (CI=true: PostgreSQL tests must run)", pytrace=False)
        _pg_problem.append(msg)
        pytest.skip(f"!!! SKIPPED: {msg}")
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_sessionfinish(session: Any) -> None:
    """Drop the databases this worker made (each worker drops its own)."""
    if not _made_databases:
        return
    try:
        admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in _made_databases:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    except Exception:  # noqa: BLE001 - cleanup must not turn a green run red
        pass


def redis_prefix() -> str:
    """The Redis key prefix (and Socket.IO channel stem) of this run and worker."""
    return f"asantest-{run_scope()}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _pg_problem:
        terminalreporter.section("POSTGRESQL TESTS SKIPPED", sep="!", red=True, bold=True)
        terminalreporter.write_line(_pg_problem[0], red=True, bold=True)


class Clock:
    """A controllable clock: tests move time with .advance()."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    # A Monday morning in Baku (05:30 UTC = 09:30 local).
    return Clock(datetime(2026, 11, 30, 5, 30, tzinfo=UTC))


def _make_app(url: str, clock: Clock) -> Any:
    class Cfg(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        CLOCK = clock

    app = create_app(Cfg)
    with app.app_context():
        if url.startswith("postgresql"):
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        _db.create_all()
    return app


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> str:
    if backend == "postgresql":
        return pg_database_url()
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app(db_url: str, clock: Clock) -> Iterator[Any]:
    app = _make_app(db_url, clock)
    ctx = app.app_context()
    ctx.push()
    yield app
    _db.session.remove()
    _db.engine.dispose()
    ctx.pop()


@pytest.fixture
def session(app: Any) -> Any:
    return _db.session


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def events(app: Any) -> Iterator[list[Any]]:
    """Every domain event the app's units of work published during the test, in order."""
    seen: list[Any] = []
    handlers = app.extensions["asan_bus"].after_commit
    handlers.append(seen.extend)
    yield seen
    handlers.remove(seen.extend)


@pytest.fixture
def sms(app: Any) -> Iterator[Any]:
    """A stub SMS gateway on loopback, configured as the app's gateway (SMS on offer)."""
    from tests.sms_gateway import StubGateway

    gateway = StubGateway()
    app.config["NOTIFY_SMS_URL"] = gateway.url
    yield gateway
    gateway.close()


@pytest.fixture
def world(app: Any, clock: Clock) -> Any:
    from tests.factories import make_world

    return make_world(_db.session, now=clock.now)


ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ASAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """serve.py running as `make run` runs it, with demo data, on a free port, with a stub SMS
    gateway on loopback (`server.sms`) as its gateway."""
    from tests.live import start_server
    from tests.sms_gateway import StubGateway

    gateway = StubGateway()
    server = start_server(tmp_path_factory.mktemp("live"), env={"ASAN_SMS_URL": gateway.url})
    server.sms = gateway
    yield server
    server.stop()
    gateway.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        msg = f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(f"!!! SKIPPED: {msg}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
