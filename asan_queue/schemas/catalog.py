"""The catalogue: a center with its services, counters (and the services each serves), weekly
hours with breaks and closed days, over the national agency catalogue.

One shape for three uses: the file `flask catalog import FILE` reads and `flask catalog export
SLUG` prints (so export then import round-trips), the back office's forms, and the admin API.
asan_queue/demo_catalog.json is one such file."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .base import In, Integer, IsoDate, coded

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["09:00"])]
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", examples=["passport"])]
# How a visit may end (the desk's outcome list; served, documents_missing...).
OutcomeCode = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$", examples=["documents_missing"])
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$", examples=["baku-1"])]


def _languages(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - {"az", "ru", "en"})
    if unknown:
        raise ValueError(f"languages are az, ru and en, not {unknown[0]!r}")
    return {k: v for k, v in value.items() if v}


Names = Annotated[
    dict[str, Annotated[str, Field(max_length=400)]],
    AfterValidator(_languages),
    Field(description="Texts by language: az, ru, en", examples=[{"az": "...", "en": "..."}]),
]
CallPolicy = Literal["fair", "fifo", "sla"]
Role = Literal["admin", "supervisor", "operator"]


class AgencyIn(In):
    """A national agency: shared by every center."""

    code: str = coded("invalid_agency_code", pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")
    name: Names


class PeriodIn(In):
    opens: HHMM
    closes: HHMM


class ClosedDayIn(In):
    day: IsoDate
    reason: Names = Field(default_factory=dict)


class CenterSettings(In):
    """A center's own settings (the center form; a catalogue center adds its services and
    counters)."""

    slug: Slug = coded("invalid_slug")
    name: Names
    address: Names = Field(default_factory=dict)
    timezone: str = Field(default="Asia/Baku", max_length=64)
    call_policy: CallPolicy = coded("invalid_policy", default="fair")
    max_calls: Integer = coded("invalid_number", default=3, ge=1, le=10)
    checkin_before_minutes: Integer = coded("invalid_number", default=30, ge=0, le=240)
    checkin_after_minutes: Integer = coded("invalid_number", default=10, ge=0, le=120)
    last_ticket_minutes: Integer | None = coded("invalid_number", default=None, ge=0, le=600)
    public_url: str | None = coded(
        "invalid_url", default=None, max_length=200, pattern=r"^https?://[^\s/]+(/\S*)?$"
    )
    active: bool = True
    hours: dict[Weekday, list[PeriodIn]] = coded(
        "invalid_hours", default_factory=dict, description="Open periods per weekday"
    )
    closed_days: list[ClosedDayIn] = coded("invalid_closed_day", default_factory=list)


class ServiceIn(In):
    code: Code = coded("invalid_code")
    agency: str = coded(
        "invalid_agency_code", pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$", description="The agency's code"
    )
    prefix: str = coded("invalid_prefix", pattern=r"^[A-Z]{1,2}$")
    name: Names
    bring: Names = Field(default_factory=dict, description="Documents to bring")
    planned_minutes: Integer = coded("invalid_number", default=10, ge=1, le=480)
    target_wait_minutes: Integer = coded("invalid_number", default=15, ge=1, le=600)
    walk_in: bool = True
    bookable: bool = False
    slot_minutes: Integer = coded("invalid_number", default=15, ge=5, le=480)
    seats_per_slot: Integer = coded("invalid_number", default=1, ge=1, le=50)
    last_ticket_time: HHMM | None = coded("invalid_time", default=None)
    outcome_codes: list[OutcomeCode] = coded("invalid_code", default_factory=list)
    active: bool = True


class CounterIn(In):
    number: Integer = coded("invalid_number", ge=1, le=999)
    label: str | None = Field(
        default=None, max_length=40, description="Shown beside the number, e.g. 'Cashier'"
    )
    services: list[Code] = Field(default_factory=list, description="Codes of the services served")


class CenterIn(CenterSettings):
    services: list[ServiceIn] = Field(default_factory=list)
    counters: list[CounterIn] = Field(default_factory=list)


class Catalog(In):
    """A catalogue file: national agencies, then centers."""

    about: str | None = None
    agencies: list[AgencyIn] = Field(default_factory=list)
    centers: list[CenterIn] = Field(default_factory=list)


class UserIn(In):
    username: str = coded("invalid_username", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,79}$")
    role: Role = coded("invalid_role")
    center: Slug | None = None
    full_name: str = Field(default="", max_length=120)


class UserUpdate(In):
    role: Role = coded("invalid_role")
    center: Slug | None = None
    full_name: str = Field(default="", max_length=120)


class ImportResult(In):
    """What an import changed."""

    centers: list[str] = Field(description="The centers the file describes")
    changes: int = Field(ge=0, description="Audit rows written (0: the file matched)")
    deactivated: list[str] = Field(description="center/service no longer in the file")
