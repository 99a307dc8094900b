"""Issuing runs the essential statements only, the same number whatever the queue's length:
one transaction, the catalogue from the per-process cache (one version read), the number,
the queue's reads, the inserts (the quote goes in with the ticket: no UPDATE), and nothing
read after the commit. (Counts, not times: the speed is bench/bench_issue.py's.)"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from asan_queue.extensions import db
from asan_queue.services.uow import MessageBus

MOST = 11  # BEGIN, catalogue version, key lookup, number, 4 queue reads, 3 inserts


def _statements(app: Any, client: Any, waiting: int) -> tuple[list[str], list[str]]:
    services = ("passport", "id-card", "notary")
    for i in range(waiting):
        res = client.post("/api/v1/centers/test-1/tickets", json={"service": services[i % 3]})
        assert res.status_code == 201, res.get_json()
    seen: dict[str, list[str]] = {"in": [], "after": []}
    phase = ["in"]

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen[phase[0]].append(" ".join(statement.split()[:3]).upper())

    def committed(_events: Any) -> None:
        phase[0] = "after"

    bus: MessageBus = app.extensions["asan_bus"]
    bus.after_commit.insert(0, committed)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        res = client.post(
            "/api/v1/centers/test-1/tickets",
            json={"service": "passport"},
            headers={"Idempotency-Key": f"pinned-{waiting}"},
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        bus.after_commit.remove(committed)
    assert res.status_code == 201, res.get_json()
    return seen["in"], seen["after"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_one_issue_costs_at_most_11_statements_with_10_or_500_waiting(
    app: Any, world: Any, client: Any
) -> None:
    few, few_after = _statements(app, client, 10)
    many, many_after = _statements(app, client, 490)  # 500 waiting, and the 10th issued
    assert few == many, (few, many)
    assert len(few) <= MOST, few
    assert not [s for s in few if s.startswith("UPDATE")], few  # quoted with the insert
    assert sum(s.startswith("INSERT") for s in few) == 4, few  # number, ticket, event, key
    # Nothing read back after the commit (no listener here: the fan-out has no work either).
    assert few_after == many_after == []
