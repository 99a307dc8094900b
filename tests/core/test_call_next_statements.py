"""Call-next reads a bounded number of statements whatever the queue's length: one
transaction, the lanes' heads only, no reads after the commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from asan_queue.extensions import db
from tests.factories import token_for


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _call_next_statements(client: Any, world: Any, waiting: int) -> list[str]:
    headers = token_for(client, "op1")
    counter = world.counters[0]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    for i in range(waiting):
        service = ("passport", "id-card")[i % 2]
        res = client.post("/api/v1/centers/test-1/tickets", json={"service": service})
        assert res.status_code == 201, res.get_json()
    client.post(f"/api/v1/counters/{counter.id}/no-show", headers=headers)  # free it
    with statements() as seen:
        res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    assert res.status_code == 200, res.get_json()
    return seen


def test_call_next_costs_the_same_statements_with_2_or_14_waiting(
    app: Any, world: Any, client: Any
) -> None:
    few = _call_next_statements(client, world, 2)
    more = _call_next_statements(client, world, 12)  # 14 waiting, less the one called
    # The use case's transaction: from its BEGIN (before it, the token's lookup, cached or
    # not) to the end of the request: nothing is read after the commit.
    few_tx = few[len(few) - 1 - few[::-1].index("BEGIN") :]
    more_tx = more[len(more) - 1 - more[::-1].index("BEGIN") :]
    assert len(more_tx) == len(few_tx) <= 14, (few_tx, more_tx)
    assert few_tx.count("UPDATE") == 1  # the claim, nothing else writes the ticket twice
