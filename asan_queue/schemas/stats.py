"""Reports, the supervisor's dashboard and open data.

A report is a list of tables, each with its columns and rows of primitives, so every table
is the same shape in JSON and in CSV (`format=csv&table=NAME`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .base import Instant, IsoDate, Localized, Loose, Out, coded

Cell = str | int | float | None
GroupBy = Literal["center", "agency", "service", "counter", "operator"]
Format = Literal["json", "csv"]
TableName = Literal[
    "arrivals",
    "days",
    "waits",
    "service_level",
    "outcomes",
    "bookings",
    "ratings",
    "comments",
    "eta",
    "operators",
    "audit",
]
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); source: ASAN Queue"
# A report or open-data range covers at most this many days (a year and a day).
MAX_RANGE_DAYS = 366


class Table(Out):
    name: str
    columns: list[str]
    rows: list[list[Cell]]


class StatsQuery(Loose):
    from_: IsoDate = coded("invalid_date", alias="from", description="First local day")
    to: IsoDate = coded("invalid_date", description="Last local day (inclusive)")
    bucket: int = Field(
        30, ge=15, le=30, multiple_of=15, description="Minutes per bucket: 15 or 30"
    )
    by: GroupBy = Field("service", description="What the per-group tables group by")
    format: Format = "json"
    table: TableName | None = Field(
        None, description="Only this table (JSON); with format=csv, which table (waits)"
    )


class Report(Out):
    center: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    bucket: int
    by: GroupBy
    tables: list[Table]


# ---- the supervisor's dashboard (room supervise:<slug>) ----------------------------------


class ServiceLoad(Out):
    service: str
    name: Localized
    agency: str
    agency_name: Localized
    waiting: int
    longest_wait_minutes: int | None
    target_wait_minutes: int
    over_target: bool
    served_today: int
    service_level: float | None = Field(description="Today's share called within target")
    eta_minutes: int | None
    no_shows: int
    open_counters: int


class CounterLoad(Out):
    counter: int
    counter_id: int
    state: str
    operator: str | None
    ticket: str | None
    ticket_status: str | None
    at_counter_minutes: int | None
    pause_reason: str | None
    paused_minutes: int | None


class DeviceSeen(Out):
    kind: str
    name: str
    connected: bool
    last_seen_at: Instant


class Alert(Out):
    kind: Literal[
        "service_over_target",
        "ticket_over_double_target",
        "long_break",
        "no_open_counter",
        "sms_failed",
        "device_offline",
    ]
    key: str = Field(description="Stable while the alert holds")
    subject: str = Field(description="The service code, counter number, device name...")
    minutes: int | None = None
    count: int | None = None
    since: Instant | None = None


class Dashboard(Out):
    center: str
    name: Localized
    now: Instant
    waiting: int
    served_today: int
    service_level: float | None
    services: list[ServiceLoad]
    counters: list[CounterLoad]
    devices: list[DeviceSeen]
    alerts: list[Alert]


class DashboardSnapshot(Dashboard):
    room: str
    seq: int


class Overview(Out):
    """The head office's view: every center side by side."""

    items: list[Dashboard]


# ---- open data (no login, no personal data) ----------------------------------------------


class OpenQuery(Loose):
    format: Format = "json"


class OpenDailyQuery(OpenQuery):
    from_: IsoDate = coded("invalid_date", alias="from")
    to: IsoDate = coded("invalid_date")
    center: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")


class OpenRankingQuery(OpenQuery):
    month: str = coded(
        "invalid_month", pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM"
    )
    center: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")


class OpenTable(Out):
    licence: str = Field(description="The licence of the data")
    generated_at: Instant
    columns: list[str]
    rows: list[list[Cell]]
