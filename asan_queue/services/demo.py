"""Demo data for a fresh install: two centers from demo_catalog.json, counters and users.

Demo users all have the password `demo`; this module is for demo data only."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.statuses import CounterState, Role
from ..models import Agency, Center, ClosedDay, Counter, OpeningPeriod, Service, User
from .auth import hash_password
from .uow import UnitOfWork

DEMO_PASSWORD = "demo"  # noqa: S105 - demo data only, printed at start-up
# Ganja's hall is smaller: these agencies only, with a lunch break.
GANJA = "ganja-1"
GANJA_AGENCIES = ("DIN", "ADL", "VRG", "DSMF", "RINN")
WEEKDAYS = {"mon-fri": range(0, 5), "sat": range(5, 6), "sun": range(6, 7)}
# Public holidays of Azerbaijan (month, day) on which the centers are closed.
HOLIDAYS = {
    (1, 1): {"az": "Yeni il", "ru": "Новый год", "en": "New Year"},
    (1, 2): {"az": "Yeni il", "ru": "Новый год", "en": "New Year"},
    (3, 8): {"az": "Qadınlar günü", "ru": "Женский день", "en": "Women's Day"},
    (3, 20): {"az": "Novruz bayramı", "ru": "Новруз байрамы", "en": "Novruz"},
    (3, 21): {"az": "Novruz bayramı", "ru": "Новруз байрамы", "en": "Novruz"},
    (5, 9): {"az": "Qələbə günü", "ru": "День Победы", "en": "Victory Day"},
    (5, 28): {"az": "Müstəqillik günü", "ru": "День Независимости", "en": "Independence Day"},
    (6, 15): {
        "az": "Milli Qurtuluş günü",
        "ru": "День национального спасения",
        "en": "National Salvation Day",
    },
    (11, 8): {"az": "Zəfər günü", "ru": "День Победы (Зафер)", "en": "Victory Day (Zafar)"},
    (11, 9): {
        "az": "Dövlət bayrağı günü",
        "ru": "День государственного флага",
        "en": "National Flag Day",
    },
    (12, 31): {"az": "Həmrəylik günü", "ru": "День солидарности", "en": "Solidarity Day"},
}


def load_catalog() -> dict[str, Any]:
    text = resources.files("asan_queue").joinpath("demo_catalog.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _hours(center: Center, spec: dict[str, str], lunch: bool) -> None:
    for days, value in spec.items():
        if value == "closed":
            continue
        opens, closes = (time.fromisoformat(x) for x in value.split("-"))
        for weekday in WEEKDAYS[days]:
            if lunch and closes > time(14, 0):
                center.hours.append(OpeningPeriod(weekday=weekday, opens=opens, closes=time(13)))
                center.hours.append(OpeningPeriod(weekday=weekday, opens=time(14), closes=closes))
            else:
                center.hours.append(OpeningPeriod(weekday=weekday, opens=opens, closes=closes))


def _holidays(center: Center, today: date) -> None:
    for offset in range(0, 400):
        day = today + timedelta(days=offset)
        if (day.month, day.day) in HOLIDAYS:
            center.closed_days.append(ClosedDay(day=day, reason=HOLIDAYS[(day.month, day.day)]))


def _center(
    session: Session, spec: dict[str, Any], agencies: list[dict[str, Any]], today: date, lunch: bool
) -> Center:
    center = Center(
        slug=spec["slug"],
        name=spec["name"],
        address=spec["address"],
        timezone=spec["timezone"],
        languages="az,ru,en",
    )
    session.add(center)
    _hours(center, spec["hours"], lunch)
    _holidays(center, today)
    groups: list[list[Service]] = []
    for a in agencies:
        agency = Agency(code=a["code"], name=a["name"], center=center)
        session.add(agency)
        group = []
        for s in a["services"]:
            service = Service(
                center=center,
                agency=agency,
                code=s["code"],
                prefix=s["prefix"],
                name=s["name"],
                bring=s.get("bring", {}),
                planned_minutes=s["minutes"],
                target_wait_minutes=s["target_wait"],
                walk_in=True,
                bookable=s["bookable"],
                slot_minutes=s["slot_minutes"],
                seats_per_slot=s["seats_per_slot"],
            )
            session.add(service)
            group.append(service)
        groups.append(group)
    # Counters spread round-robin over the agencies; every third one also backs up the next
    # agency, as halls do at busy desks.
    for n in range(1, spec["counters"] + 1):
        group = groups[(n - 1) % len(groups)]
        services = list(group)
        if n % 3 == 0:
            services += groups[n % len(groups)][:1]
        session.add(Counter(center=center, number=n, state=CounterState.CLOSED, services=services))
    return center


def add_center(session: Session, slug: str, today: date) -> Center:
    """Build the catalogue's center `slug` as the demo has it (Ganja's smaller hall with a
    lunch break). Raises ValueError for a slug the catalogue does not have."""
    catalog = load_catalog()
    spec = next((c for c in catalog["centers"] if c["slug"] == slug), None)
    if spec is None:
        known = ", ".join(c["slug"] for c in catalog["centers"])
        raise ValueError(f"the catalogue has no center {slug!r} (it has {known})")
    agencies = catalog["agencies"]
    lunch = slug == GANJA
    if lunch:
        agencies = [a for a in agencies if a["code"] in GANJA_AGENCIES]
    return _center(session, spec, agencies, today, lunch=lunch)


def catalog_centers() -> list[str]:
    return [c["slug"] for c in load_catalog()["centers"]]


def seed_demo(uow: UnitOfWork, *, now: datetime) -> bool:
    """Load the demo centers and users when the database has no center. Returns whether it
    loaded anything."""
    with uow:
        return _seed(uow.session, now)


def _seed(session: Session, now: datetime) -> bool:
    if session.scalar(select(func.count()).select_from(Center)):
        return False
    today = now.date()
    baku = add_center(session, "baku-1", today)
    ganja = add_center(session, GANJA, today)
    session.flush()
    pw = hash_password(DEMO_PASSWORD)
    users = [User(username="admin", role=Role.ADMIN, password_hash=pw, full_name="Admin")]
    users.append(
        User(
            username="supervisor",
            role=Role.SUPERVISOR,
            center_id=baku.id,
            password_hash=pw,
            full_name="Supervisor",
        )
    )
    users += [
        User(
            username=f"operator{i}",
            role=Role.OPERATOR,
            center_id=baku.id,
            password_hash=pw,
            full_name=f"Operator {i}",
        )
        for i in range(1, 21)
    ]
    users.append(
        User(
            username="ganja-supervisor",
            role=Role.SUPERVISOR,
            center_id=ganja.id,
            password_hash=pw,
            full_name="Ganja supervisor",
        )
    )
    users += [
        User(
            username=f"ganja-operator{i}",
            role=Role.OPERATOR,
            center_id=ganja.id,
            password_hash=pw,
            full_name=f"Ganja operator {i}",
        )
        for i in range(1, 5)
    ]
    session.add_all(users)
    return True
