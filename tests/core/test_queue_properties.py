"""Property-based: over random halls and every policy, what each surface shows agrees with
whom call-next calls (issue 8: the positions people saw disagreed with the calls).

For each random hall (services with different targets, counters serving random subsets,
waiting tickets of random age, some priority, some booked with a slot already started or
still ahead, some put first by a supervisor), at a fixed instant and with no new arrivals:
- the position and people ahead of every ticket are the same on the API, the phone page,
  the desk lists and the hall snapshot;
- every call-next returns the ticket its desk list shows first;
- the tickets of each service are called in the order of the positions they were shown.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asan_queue.domain.booking import AppointmentStatus
from asan_queue.domain.policy import POLICIES
from asan_queue.domain.statuses import Role, TicketStatus
from asan_queue.extensions import db
from asan_queue.models import Appointment, Ticket
from asan_queue.schemas.base import dump
from asan_queue.services.hall import HallView
from tests.conftest import Clock, _make_app
from tests.factories import (
    make_agency,
    make_center,
    make_counter,
    make_service,
    make_user,
    token_for,
)

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday 10:00 in Baku
SERVICES = (("passport", "P", 10), ("id-card", "A", 15), ("notary", "N", 30))  # target wait

ticket_specs = st.lists(
    st.tuples(
        st.integers(0, len(SERVICES) - 1),  # service
        st.integers(0, 90),  # waited minutes
        st.booleans() | st.just(False),  # priority (False twice as often)
        st.none() | st.none() | st.integers(-30, 30).filter(lambda m: m != 0),  # slot offset
        st.booleans() | st.just(False) | st.just(False),  # put first by a supervisor
    ),
    max_size=12,
)
counter_specs = st.lists(
    st.sets(st.integers(0, len(SERVICES) - 1), min_size=1), min_size=1, max_size=3
)


def build(tmp: Path, policy: str, counters: list[set[int]], tickets: list[Any]) -> Any:
    app = _make_app(f"sqlite:///{tmp / 'hall.db'}", Clock(NOW))
    ctx = app.app_context()
    ctx.push()
    session = db.session
    center = make_center(session, call_policy=policy)
    agency = make_agency(session, center, "DIN")
    services = [
        make_service(session, agency, code, prefix, target_wait_minutes=target)
        for code, prefix, target in SERVICES
    ]
    made = []
    for n, served in enumerate(counters, start=1):
        counter = make_counter(session, center, n, [services[i] for i in sorted(served)])
        operator = make_user(session, f"op{n}", Role.OPERATOR, center=center)
        made.append((counter, operator))
    seq = {s.id: 0 for s in services}
    for n, (index, minutes, priority, slot, first) in enumerate(tickets):
        service = services[index]
        seq[service.id] += 1
        queued = NOW - timedelta(minutes=minutes, seconds=seq[service.id])
        appointment_id = None
        if slot is not None:
            appointment = Appointment(
                code=f"T{n:03d}",
                token=secrets.token_urlsafe(32),
                center=center,
                service=service,
                starts_at=NOW + timedelta(minutes=slot),
                ends_at=NOW + timedelta(minutes=slot + 15),
                status=AppointmentStatus.CHECKED_IN,
                name="x",
                created_at=queued,
            )
            session.add(appointment)
            session.flush()
            appointment_id = appointment.id
        session.add(
            Ticket(
                token=secrets.token_urlsafe(32),
                center_id=center.id,
                service_id=service.id,
                day=NOW.date(),
                number=f"{service.prefix}{seq[service.id]:03d}",
                status=TicketStatus.WAITING,
                priority="elderly" if priority else None,
                appointment_id=appointment_id,
                call_first=first,
                issued_at=queued,
                queued_at=queued,
            )
        )
    session.commit()
    return app, ctx, center, made


def shown_positions(client: Any, center: Any, counters: list[Any]) -> dict[str, dict[str, int]]:
    """Every waiting ticket's position as each surface shows it (number -> position)."""
    tickets = db.session.query(Ticket).filter_by(status=TicketStatus.WAITING).all()
    api, page = {}, {}
    for t in tickets:
        body = client.get(f"/api/v1/tickets/{t.token}").get_json()
        assert body["people_ahead"] == body["position"] - 1
        api[t.number] = body["position"]
        html = client.get(f"/t/{t.token}").get_data(as_text=True)
        page[t.number] = int(re.search(r'id="position"[^>]*>(\d+)<', html).group(1))
    view = HallView(db.session, center, NOW)
    hall = {}
    for service in dump(view.center_state())["services"]:
        for i, number in enumerate(service["next_numbers"], start=1):
            hall[number] = i
    desk: dict[str, int] = {}
    for counter, _ in counters:
        seen: dict[str, int] = {}
        for item in dump(view.counter_body(counter))["waiting"]:
            seen[item["service"]] = seen.get(item["service"], 0) + 1
            position = seen[item["service"]]
            assert desk.setdefault(item["number"], position) == position
    return {"api": api, "page": page, "hall": hall, "desk": desk}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    policy=st.sampled_from(sorted(POLICIES)),
    counters=counter_specs,
    tickets=ticket_specs,
    data=st.data(),
)
def test_every_surface_shows_the_order_call_next_follows(
    tmp_path_factory: Any, policy: str, counters: list[set[int]], tickets: list[Any], data: Any
) -> None:
    app, ctx, center, made = build(tmp_path_factory.mktemp("hall"), policy, counters, tickets)
    try:
        client = app.test_client()
        shown = shown_positions(client, center, made)
        api = shown["api"]
        assert shown["page"] == api
        for surface in ("hall", "desk"):
            assert {n: p for n, p in shown[surface].items()} == {
                n: api[n] for n in shown[surface]
            }, surface
        # The hall shows the first three of every service that has someone waiting.
        assert set(shown["hall"]) == {n for n, p in api.items() if p <= 3}

        headers = {}
        for counter, operator in made:
            headers[counter.id] = token_for(client, operator.username)
            client.post(f"/api/v1/counters/{counter.id}/open", headers=headers[counter.id])
        called: dict[str, list[str]] = {}
        while True:
            view = HallView(db.session, center, NOW)
            ready = [c for c, _ in made if view.counter_body(c).waiting]
            db.session.rollback()
            if not ready:
                break
            counter = data.draw(st.sampled_from(ready), label="counter")
            expected = dump(HallView(db.session, center, NOW).counter_body(counter))["waiting"][0]
            h = headers[counter.id]
            res = client.post(f"/api/v1/counters/{counter.id}/call-next", headers=h)
            assert res.status_code == 200, res.get_json()
            number = res.get_json()["number"]
            assert number == expected["number"]
            called.setdefault(number[0], []).append(number)
            client.post(f"/api/v1/counters/{counter.id}/start", headers=h)
            client.post(f"/api/v1/counters/{counter.id}/finish", headers=h)
        served = {SERVICES[i][1] for subset in counters for i in subset}
        for prefix in served:
            by_position = sorted((n for n in api if n[0] == prefix), key=lambda n: api[n])
            assert called.get(prefix, []) == by_position, prefix
        assert not set(called) - served
    finally:
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
