"""Test data builders: make_center(session, **overrides) and friends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from werkzeug.security import generate_password_hash

from asan_queue.domain.statuses import CounterState, Role
from asan_queue.models import Agency, Center, Counter, OpeningPeriod, Service, User

# One cheap hash for every test user (scrypt per user would dominate test time).
PASSWORD = "secret-pw"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_center(session: Any, **overrides: Any) -> Center:
    values: dict[str, Any] = {
        "slug": "test-1",
        "name": {"az": "Test mərkəzi", "ru": "Тестовый центр", "en": "Test center"},
        "address": {"az": "Bakı", "ru": "Баку", "en": "Baku"},
        "timezone": "Asia/Baku",
    }
    values.update(overrides)
    center = Center(**values)
    for weekday in range(5):
        center.hours.append(OpeningPeriod(weekday=weekday, opens=time(9), closes=time(18)))
    session.add(center)
    session.flush()
    return center


def make_agency(session: Any, center: Center, code: str = "DIN", **overrides: Any) -> Agency:
    """The national agency `code` (made on first use), for services of `center`."""
    from sqlalchemy import select

    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name={"az": code, "ru": code, "en": code})
    agency.factory_center = center  # make_service's default center
    for k, v in overrides.items():
        setattr(agency, k, v)
    session.add(agency)
    session.flush()
    return agency


def make_service(session: Any, agency: Agency, code: str, prefix: str, **overrides: Any) -> Service:
    values: dict[str, Any] = {
        "center": agency.factory_center,
        "agency": agency,
        "code": code,
        "prefix": prefix,
        "name": {"az": f"Xidmət {code} əğıöüçş", "ru": f"Услуга {code}", "en": f"Service {code}"},
        "bring": {"az": "Şəxsiyyət vəsiqəsi", "ru": "Удостоверение", "en": "ID card"},
        "planned_minutes": 10,
        "target_wait_minutes": 15,
        "walk_in": True,
        "bookable": True,
        "slot_minutes": 15,
        "seats_per_slot": 1,
    }
    values.update(overrides)
    service = Service(**values)
    session.add(service)
    session.flush()
    return service


def make_counter(
    session: Any, center: Center, number: int, services: list[Service], **overrides: Any
) -> Counter:
    counter = Counter(
        center=center, number=number, state=CounterState.CLOSED, services=services, **overrides
    )
    session.add(counter)
    session.flush()
    return counter


def make_user(
    session: Any,
    username: str,
    role: Role = Role.OPERATOR,
    center: Center | None = None,
    **overrides: Any,
) -> User:
    user = User(
        username=username,
        role=role,
        center_id=center.id if center else None,
        password_hash=PASSWORD_HASH,
        **overrides,
    )
    session.add(user)
    session.flush()
    return user


@dataclass
class World:
    center: Center
    other_center: Center
    services: dict[str, Service]
    counters: list[Counter]
    operators: list[User]
    supervisor: User
    admin: User
    foreign_operator: User
    extra: dict[str, Any] = field(default_factory=dict)


def make_world(session: Any, *, now: datetime) -> World:
    """One center with two agencies, three services, four counters and staff; plus a second
    center with one operator (for cross-center refusals)."""
    center = make_center(session)
    din = make_agency(session, center, "DIN")
    adl = make_agency(session, center, "ADL")
    passport = make_service(session, din, "passport", "P", target_wait_minutes=15)
    idcard = make_service(session, din, "id-card", "A", target_wait_minutes=30)
    notary = make_service(session, adl, "notary", "N", planned_minutes=20)
    counters = [
        make_counter(session, center, 1, [passport, idcard]),
        make_counter(session, center, 2, [passport, idcard]),
        make_counter(session, center, 3, [passport, idcard, notary]),
        make_counter(session, center, 4, [passport, idcard]),
    ]
    operators = [make_user(session, f"op{i}", center=center) for i in range(1, 6)]
    supervisor = make_user(session, "super", Role.SUPERVISOR, center=center)
    admin = make_user(session, "root", Role.ADMIN)
    other = make_center(session, slug="other-1")
    oagency = make_agency(session, other, "DIN")
    make_service(session, oagency, "passport", "P")
    foreign = make_user(session, "foreign", center=other)
    session.commit()
    return World(
        center,
        other,
        {"passport": passport, "id-card": idcard, "notary": notary},
        counters,
        operators,
        supervisor,
        admin,
        foreign,
    )


def token_for(client: Any, username: str) -> dict[str, str]:
    """Authorization header for a test user."""
    res = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert res.status_code == 201, res.get_json()
    return {"Authorization": f"Bearer {res.get_json()['token']}"}
