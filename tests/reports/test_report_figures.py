"""Report figures against a fixed, hand-computed day of tickets (a Friday in Baku), read
live (day not closed) and from its rollup (day closed); CSV export against JSON."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest

from asan_queue.models import Feedback, Ticket
from asan_queue.services import day as day_service
from asan_queue.services.uow import UnitOfWork
from tests.factories import token_for

DAY = date(2026, 11, 27)
OPEN = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 09:00 in Baku
# (final status, wait minutes to the first call or None, service minutes, quoted ETA, rating)
DAY_TICKETS = [
    ("done", 5, 10, 6, 5),
    ("done", 10, 12, 7, 4),
    ("done", 20, 8, 14, 2),
    ("no_show", 30, None, 30, None),
    ("done", 2, 4, 5, 5),
    ("cancelled", None, None, 10, None),
    ("done", 40, 20, 20, 1),
    ("expired", None, None, 12, None),
]
# Hand-computed from DAY_TICKETS (passport: target 15 minutes):
# waits of the called 2, 5, 10, 20, 30, 40: p50 (rank 3) 10, p90 (rank 6) 40, max 40;
# service 4, 8, 10, 12, 20: p50 10, p90 20, max 20;
# within target (<= 15): 5, 10, 2 -> 3 of 8 tickets; <= 20: 4/8; <= 30: 5/8;
# no-show 1/8, cancelled 1/8, left before a call (expired) 1/8;
# quote - actual: +1, -3, -6, 0, +3, -20 -> within 2: 2/6, within 5: 4/6,
# mean error -25/6 = -4.17, mean absolute error 33/6 = 5.5; ratings 5,4,2,5,1 -> 3.4.


def _fill(session, world):
    service = world.services["passport"]
    counter = world.counters[0]
    operator = world.operators[0]
    for n, (status, wait, served, quoted, rating) in enumerate(DAY_TICKETS):
        issued = OPEN + timedelta(minutes=3 * n)
        called = issued + timedelta(minutes=wait) if wait is not None else None
        started = called + timedelta(minutes=1) if served is not None else None
        ticket = Ticket(
            token=secrets.token_urlsafe(16),
            center_id=world.center.id,
            service_id=service.id,
            day=DAY,
            number=f"P{n + 1:03d}",
            status=status,
            issued_at=issued,
            queued_at=issued,
            first_called_at=called,
            called_at=called,
            started_at=started,
            finished_at=started + timedelta(minutes=served) if started else None,
            counter_id=counter.id if called else None,
            operator_id=operator.id if called else None,
            call_count=1 if called else 0,
            quoted_eta_minutes=quoted,
        )
        session.add(ticket)
        session.flush()
        if rating is not None:
            comment = "<b>slow</b>" if rating == 1 else ""
            session.add(
                Feedback(ticket_id=ticket.id, rating=rating, comment=comment, created_at=issued)
            )
    session.commit()


def _table(report, name):
    table = next(t for t in report["tables"] if t["name"] == name)
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


def _check(report):
    (waits,) = _table(report, "waits")
    assert waits["service"] == "passport"
    assert (waits["tickets"], waits["called"]) == (8, 6)
    assert (waits["wait_p50"], waits["wait_p90"], waits["wait_max"]) == (10, 40, 40)
    assert (waits["service_p50"], waits["service_p90"], waits["service_max"]) == (10, 20, 20)
    (level,) = _table(report, "service_level")
    assert level["within_target"] == 0.375
    assert (level["within_10"], level["within_20"], level["within_30"]) == (0.375, 0.5, 0.625)
    (outcomes,) = _table(report, "outcomes")
    assert outcomes["no_show_rate"] == 0.125
    assert outcomes["cancel_rate"] == 0.125
    assert outcomes["left_before_call_rate"] == 0.125
    (eta,) = _table(report, "eta")
    assert eta["quoted"] == 6
    assert (eta["within_2"], eta["within_5"]) == (0.3333, 0.6667)
    assert (eta["mean_error"], eta["mean_abs_error"]) == (-4.17, 5.5)
    (ratings,) = _table(report, "ratings")
    assert ratings["average"] == 3.4
    assert [ratings[f"r{n}"] for n in range(1, 6)] == [1, 1, 0, 1, 2]
    (comment,) = _table(report, "comments")
    assert comment["comment"] == "<b>slow</b>"  # as written: pages show it as text
    (op,) = _table(report, "operators")
    assert (op["visits"], op["no_show"], op["avg_service_minutes"]) == (5, 1, 10.8)
    arrivals = _table(report, "arrivals")
    assert sum(r["arrivals"] for r in arrivals) == 8
    assert sum(r["calls"] for r in arrivals) == 6
    assert arrivals[0]["time"] == "09:00"


@pytest.mark.parametrize("closed", [False, True], ids=["live", "rollup"])
def test_a_fixed_day_gives_the_hand_computed_figures(app, session, world, client, closed):
    _fill(session, world)
    if closed:
        uow = UnitOfWork(session, app.extensions["asan_bus"])
        day_service.close_day(uow, world.center.id, DAY, now=OPEN + timedelta(hours=12))
    auth = token_for(client, "super")
    res = client.get(f"/api/v1/centers/test-1/stats?from={DAY}&to={DAY}", headers=auth)
    assert res.status_code == 200, res.get_json()
    _check(res.get_json())


def test_every_table_as_csv_matches_its_json(session, world, client):
    _fill(session, world)
    auth = token_for(client, "super")
    url = f"/api/v1/centers/test-1/stats?from={DAY}&to={DAY}&bucket=15"
    report = client.get(url, headers=auth).get_json()
    for table in report["tables"]:
        res = client.get(f"{url}&format=csv&table={table['name']}", headers=auth)
        assert res.status_code == 200
        assert res.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(res.get_data(as_text=True))))
        assert rows[0] == table["columns"]
        expected = [["" if v is None else str(v) for v in row] for row in table["rows"]]
        assert rows[1:] == expected, table["name"]
        alone = client.get(f"{url}&table={table['name']}", headers=auth).get_json()
        assert alone["tables"] == [table]


def test_reports_are_for_supervisors_of_the_center(world, client):
    url = f"/api/v1/centers/test-1/stats?from={DAY}&to={DAY}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=token_for(client, "op1")).status_code == 403
    other = "/api/v1/centers/other-1/stats?from=2026-11-27&to=2026-11-27"
    assert client.get(other, headers=token_for(client, "super")).status_code == 403
    assert client.get(other, headers=token_for(client, "root")).status_code == 200
    bad = client.get(
        "/api/v1/centers/test-1/stats?from=2026-11-28&to=2026-11-27",
        headers=token_for(client, "super"),
    )
    assert bad.status_code == 422
    assert bad.get_json()["error"]["code"] == "invalid_range"
