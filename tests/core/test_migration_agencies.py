"""The provisioning migration on a database with data: the per-center copies of one agency
merge into one national agency and no service is lost (SQLite rebuilds tables in batch mode:
with foreign keys on, dropping the old `agencies` would cascade-delete every service); the
downgrade splits them again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.core.test_migrations_cli import flask

ROWS = """
INSERT INTO centers (id, slug, name, address, timezone, languages, call_policy, max_calls,
  checkin_before_minutes, checkin_after_minutes, close_grace_minutes)
  VALUES (1, 'a-1', '{"az": "A"}', '{}', 'Asia/Baku', 'az', 'fair', 3, 30, 10, 30),
         (2, 'b-1', '{"az": "B"}', '{}', 'Asia/Baku', 'az', 'fair', 3, 30, 10, 30);
INSERT INTO agencies (id, center_id, code, name) VALUES
  (1, 1, 'DIN', '{"az": "DİN"}'), (2, 2, 'DIN', '{"az": "DİN"}'), (3, 2, 'ADL', '{"az": "ƏN"}');
INSERT INTO services (id, center_id, agency_id, code, prefix, name, bring, planned_minutes,
  target_wait_minutes, walk_in, bookable, slot_minutes, seats_per_slot, horizon_days,
  min_notice_minutes, max_bookings_per_phone, active) VALUES
  (1, 1, 1, 'passport', 'P', '{"az": "P"}', '{}', 10, 15, true, false, 15, 1, 30, 60, 2, true),
  (2, 2, 2, 'passport', 'P', '{"az": "P"}', '{}', 10, 15, true, false, 15, 1, 30, 60, 2, true),
  (3, 2, 3, 'notary', 'N', '{"az": "N"}', '{}', 10, 15, true, false, 15, 1, 30, 60, 2, true);
"""


def _sql(url: str, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    with engine.begin() as conn:
        rows = [tuple(r) for r in conn.execute(text(query))]
    engine.dispose()
    return rows


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_agencies_merge_and_no_service_is_lost(db_url: str, backend: str, tmp_path: Path) -> None:
    if backend == "postgresql":
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    assert flask(["db", "upgrade", "b7e2c91d3f05"], db_url).returncode == 0
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for statement in filter(str.strip, ROWS.split(";")):
            conn.execute(text(statement))
        if backend == "postgresql":  # the rows above gave their ids: move the sequences on
            for table in ("centers", "agencies", "services"):
                conn.execute(text(f"SELECT setval('{table}_id_seq', 100)"))
    engine.dispose()
    up = flask(["db", "upgrade"], db_url)
    assert up.returncode == 0, up.stderr
    assert _sql(db_url, "SELECT code FROM agencies ORDER BY code") == [("ADL",), ("DIN",)]
    assert _sql(
        db_url,
        "SELECT s.id, a.code FROM services s JOIN agencies a ON a.id = s.agency_id ORDER BY s.id",
    ) == [(1, "DIN"), (2, "DIN"), (3, "ADL")]
    down = flask(["db", "downgrade", "b7e2c91d3f05"], db_url)
    assert down.returncode == 0, down.stderr
    assert _sql(
        db_url,
        "SELECT s.id, a.code FROM services s JOIN agencies a "
        "ON a.id = s.agency_id AND a.center_id = s.center_id ORDER BY s.id",
    ) == [(1, "DIN"), (2, "DIN"), (3, "ADL")]
