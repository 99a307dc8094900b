"""Two real server processes on PostgreSQL (and Redis), with their clock in a file: the day
closes once by the servers themselves, at closing time plus the grace period, and the next
morning starts at 001 with an empty queue; nothing from yesterday is called."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import pg_database_url, redis_prefix
from tests.live import FileClock, LiveServer, start_server, wait_until

REDIS_URL = os.environ.get("ASAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
MONDAY_1700 = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # 17:00 in Baku
MONDAY_1831 = datetime(2026, 11, 30, 14, 31, tzinfo=UTC)  # past 18:00 + 30 min grace
TUESDAY_0930 = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, ...]]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as err:  # noqa: BLE001
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis unreachable at {REDIS_URL}: {err}", pytrace=False)
        pytest.skip(f"!!! SKIPPED: Redis unreachable at {REDIS_URL}: {err}")
    work = tmp_path_factory.mktemp("day-live")
    clock = FileClock(work / "clock.txt", MONDAY_1700)
    env = {
        "ASAN_DATABASE_URL": pg_database_url("daylive", fresh=True),
        "ASAN_REDIS_URL": REDIS_URL,
        "ASAN_REDIS_PREFIX": redis_prefix() + "-day",
        "ASAN_DAY_CLOSE_INTERVAL_SECONDS": "0.2",
        **clock.env(),
    }
    first = start_server(work / "a", env=env)
    try:
        second = start_server(work / "b", env=env)
    except Exception:
        first.stop()
        raise
    yield first, second, clock, env["ASAN_DATABASE_URL"]
    second.stop()
    first.stop()


def issue(server: LiveServer, service: str = "id-card") -> dict[str, Any]:
    res = requests.post(
        f"{server.url}/api/v1/centers/baku-1/tickets", json={"service": service}, timeout=10
    )
    assert res.status_code == 201, res.text
    return dict(res.json())


def sql(url: str, query: str, **params: Any) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = list(conn.execute(text(query), params).all())
    engine.dispose()
    return rows


def test_two_processes_close_the_day_once_and_the_next_morning_starts_fresh(
    servers: tuple[LiveServer, LiveServer, FileClock, str], tmp_path: Path
) -> None:
    first, second, clock, db_url = servers
    yesterday = [issue(first), issue(second), issue(first)]
    assert [t["number"] for t in yesterday] == ["A001", "A002", "A003"]
    headers = second.token("operator1")
    center = requests.get(f"{second.url}/api/v1/centers/baku-1", timeout=10).json()
    counter = next(c for c in center["counters"] if "id-card" in c["services"])
    base = f"{second.url}/api/v1/counters/{counter['id']}"
    assert requests.post(f"{base}/open", headers=headers, timeout=10).status_code == 200
    assert requests.post(f"{base}/call-next", headers=headers, timeout=10).json()["number"] == (
        "A001"
    )

    clock.set(MONDAY_1831)
    wait_until(
        lambda: sql(db_url, "SELECT 1 FROM tickets WHERE status = 'expired' HAVING count(*) = 3"),
        what="the day closed by the servers",
    )
    closures = sql(
        db_url,
        "SELECT d.day, d.tickets_expired, d.counters_closed FROM day_closures d "
        "JOIN centers c ON c.id = d.center_id WHERE c.slug = 'baku-1' AND d.day = '2026-11-30'",
    )
    assert [tuple(r) for r in closures] == [(closures[0][0], 3, 1)]
    per_ticket = sql(
        db_url,
        "SELECT ticket_id, count(*) FROM ticket_events WHERE operation = 'expire' "
        "GROUP BY ticket_id",
    )
    assert sorted(n for _, n in per_ticket) == [1, 1, 1]

    clock.set(TUESDAY_0930)
    today = issue(first)
    assert today["number"] == "A001" and today["people_ahead"] == 0
    headers = second.token("operator1")  # yesterday's counter was closed with the day
    assert requests.post(f"{base}/open", headers=headers, timeout=10).status_code == 200
    called = requests.post(f"{base}/call-next", headers=headers, timeout=10).json()
    assert called["token"] == today["token"]
