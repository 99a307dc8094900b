"""Issuing reads the center's catalogue from a per-process cache (services/catalog_cache.py):
a change in the back office, in this process or another, is seen by the next ticket."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from asan_queue import create_app
from asan_queue.domain.statuses import CounterState
from asan_queue.extensions import db
from asan_queue.models import Center, Counter
from asan_queue.schemas.catalog import CounterIn
from asan_queue.services import provisioning
from asan_queue.services.queue import record_service_time
from asan_queue.web.uow import unit_of_work
from config import TestConfig
from tests.admin.test_provisioning import _login, _service_form


def _issue(client: Any, service: str = "passport") -> Any:
    return client.post("/api/v1/centers/test-1/tickets", json={"service": service, "lang": "en"})


def test_a_service_renamed_in_the_back_office_is_on_the_next_ticket(
    world: Any, client: Any
) -> None:
    first = _issue(client)
    assert first.status_code == 201 and first.get_json()["service_name"]["en"] == "Service passport"
    _login(client, "super")
    form = _service_form(code="passport", prefix="P", agency="DIN", name_en="Passports")
    res = client.post("/admin/centers/test-1/services/passport?lang=en", data=form)
    assert res.status_code == 302, res.get_data(as_text=True)
    assert _issue(client).get_json()["service_name"]["en"] == "Passports"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_a_service_withdrawn_or_hours_changed_elsewhere_reach_this_process(
    app: Any, world: Any, client: Any, clock: Any
) -> None:
    """A second app on the same database is a second server process: its own engine, its
    own cache. What it changes, this one sees at its next ticket, with no message sent."""
    assert _issue(client).status_code == 201  # this process has the catalogue cached

    class Other(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        CLOCK = clock

    other = create_app(Other)
    with other.app_context():
        provisioning.deactivate_service(unit_of_work(), "test-1", "passport", None, now=clock.now)
        db.session.remove()
        db.engine.dispose()
    res = _issue(client)
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "service_not_found"

    # A change made straight through the ORM (a script, the CLI) counts all the same.
    with other.app_context():
        center = db.session.scalar(select(Center).where(Center.slug == "test-1"))
        center.closed_days.clear()
        center.hours.clear()  # no opening hours at all: closed today
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    res = _issue(client, "id-card")
    assert res.status_code == 409 and res.get_json()["error"]["code"] == "center_closed"


def test_a_finished_visit_is_no_catalogue_change(world: Any, session: Any, clock: Any) -> None:
    """The smoothed service minutes change at every visit; the cache stays valid."""
    center = world.center
    before = center.catalog_version
    record_service_time(session, world.services["passport"].id, 7.0, center, clock.now)
    session.commit()
    session.refresh(center)
    assert center.catalog_version == before
    world.services["passport"].planned_minutes = 11
    session.commit()
    session.refresh(center)
    assert center.catalog_version == before + 1


def _counters(client: Any) -> dict[int, dict[str, Any]]:
    res = client.get("/api/v1/centers/test-1")
    assert res.status_code == 200, res.get_data(as_text=True)
    return {c["number"]: c for c in res.get_json()["counters"]}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_counters_changed_elsewhere_reach_the_hall_of_this_process(
    app: Any, world: Any, client: Any, clock: Any
) -> None:
    """The hall reads which services a counter serves from the cached catalogue and the
    counters' state fresh: a counter re-assigned or added in another process is on this
    process's next hall snapshot, and so is a counter opened there (no catalogue change)."""
    center_id = world.center.id
    before = _counters(client)  # this process has the catalogue cached
    assert sorted(before) == [1, 2, 3, 4]
    assert before[3]["services"] == ["passport", "id-card", "notary"]
    assert before[2]["state"] == "closed"

    class Other(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        CLOCK = clock

    other = create_app(Other)

    def elsewhere(change: Any) -> None:
        with other.app_context():
            change()
            db.session.remove()
            db.engine.dispose()
        db.session.remove()  # what this server's next request starts with

    def version() -> int:
        return int(db.session.scalar(select(Center.catalog_version).where(Center.slug == "test-1")))

    def reassign() -> None:
        provisioning.save_counter(
            unit_of_work(),
            "test-1",
            CounterIn(number=3, services=["notary"]),
            None,
            now=clock.now,
            number=3,
        )

    elsewhere(reassign)
    after = _counters(client)
    assert after[3]["services"] == ["notary"]
    assert after[1]["services"] == before[1]["services"]

    def open_counter() -> None:
        was = version()
        counter = db.session.scalar(
            select(Counter).where(Counter.center_id == center_id, Counter.number == 2)
        )
        counter.state = CounterState.OPEN
        counter.state_since = clock.now
        db.session.commit()
        assert version() == was  # a counter's state is no catalogue change

    elsewhere(open_counter)
    assert _counters(client)[2]["state"] == "open"

    def add() -> None:
        data = CounterIn(number=7, services=["id-card"])
        provisioning.save_counter(unit_of_work(), "test-1", data, None, now=clock.now)

    elsewhere(add)
    after = _counters(client)
    assert sorted(after) == [1, 2, 3, 4, 7]
    assert after[7]["services"] == ["id-card"]
