"""The schema comes only from migrations: upgrade an empty database, then `flask db check`
finds nothing the models have that the migrations lack. Plus the CLI commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asan_queue.models import Center, Counter, Service, Ticket, User

ROOT = Path(__file__).resolve().parents[2]


def flask(args, url):
    env = dict(os.environ, FLASK_APP="wsgi", ASAN_DATABASE_URL=url)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_upgrade_on_empty_database_then_check(db_url, backend):
    if backend == "postgresql":
        from sqlalchemy import create_engine, text

        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    up = flask(["db", "upgrade"], db_url)
    assert up.returncode == 0, up.stderr
    check = flask(["db", "check"], db_url)
    assert check.returncode == 0, check.stderr + check.stdout
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    seeded = flask(["seed-demo"], db_url)
    assert seeded.returncode == 0 and "demo data loaded" in seeded.stdout


def test_seed_demo_loads_two_centers_once(runner, session):
    res = runner.invoke(args=["seed-demo"])
    assert res.exit_code == 0 and res.output.strip() == "demo data loaded"
    assert [c.slug for c in session.query(Center).order_by(Center.id)] == ["baku-1", "ganja-1"]
    baku = session.query(Center).filter_by(slug="baku-1").one()
    assert baku.name["az"].startswith('"ASAN xidmət"')
    assert len(baku.agencies) == 10
    assert {a.name["en"] for a in baku.agencies} >= {
        "Ministry of Internal Affairs",
        "Ministry of Justice",
        "Ministry of Health",
        "State Customs Committee",
    }
    assert session.query(Counter).filter_by(center_id=baku.id).count() == 20
    prefixes = [s.prefix for s in session.query(Service).filter_by(center_id=baku.id)]
    assert len(prefixes) == len(set(prefixes))
    assert all(c.services for c in baku.counters)
    names = {u.username for u in session.query(User)}
    assert {"admin", "supervisor", "operator1", "operator20"} <= names
    again = runner.invoke(args=["seed-demo"])
    assert "nothing loaded" in again.output
    assert session.query(Center).count() == 2


def test_demo_users_log_in_with_demo_password(runner, client):
    runner.invoke(args=["seed-demo"])
    res = client.post("/api/v1/auth/token", json={"username": "operator7", "password": "demo"})
    assert res.status_code == 201


def test_close_day_expires_yesterdays_tickets(runner, client, world, clock, session):
    client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    res = runner.invoke(args=["close-day"])
    assert res.output.startswith("0 ticket(s) expired")
    clock.advance(days=1)
    res = runner.invoke(args=["close-day"])
    assert res.output.startswith("1 ticket(s) expired")
    session.rollback()
    assert session.query(Ticket).one().status == "expired"
