"""Tickets: issuing, the ticket as a citizen sees it, cancelling, rating."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ..domain.statuses import TicketStatus
from .base import PHONE_PATTERN, In, Instant, Integer, Localized, Out, Text, coded

Lang = Literal["az", "ru", "en"]
Priority = Literal["disability", "elderly", "veteran", "pregnancy"]
EtaStatus = Literal["estimate", "past_closing", "no_counter", "day_closed"]


class IssueTicket(In):
    """A walk-in ticket; a supervisor's or admin's token may add `override_reason` to issue
    outside the walk-in rules (hours, last ticket), recorded on the ticket."""

    service: Text = Field(max_length=40, description="The service's code")
    lang: Lang = coded("invalid_lang", default="az", description="The citizen's language")
    priority: Priority | None = coded("invalid_priority", default=None)
    phone: str | None = coded(
        "invalid_phone",
        default=None,
        max_length=20,
        pattern=PHONE_PATTERN,
        description="For the 'you are called' SMS; only where sms_available is true",
    )
    override_reason: str | None = Field(default=None, max_length=200)


class Feedback(In):
    rating: Integer = coded("invalid_rating", ge=1, le=5)
    comment: str = coded("invalid_comment", default="", max_length=1000)


class FeedbackOut(Out):
    rating: int
    comment: str


class EtaRange(Out):
    low: int = Field(ge=0)
    high: int = Field(ge=0)


class TicketLinks(Out):
    status: str
    page: str
    receipt_pdf: str
    receipt_png: str


class Eta(Out):
    """The ETA fields shared by tickets and services (see README, "How the queue behaves")."""

    eta_minutes: int | None = Field(
        description="Minutes until the call; null when there is no figure (no counter open)"
    )
    eta_range: EtaRange | None
    eta_status: EtaStatus | None = Field(description="null when the ticket is not waiting")
    counters_open_at: Instant | None = Field(
        description="With no counter open outside opening hours: when the center opens"
    )


class Ticket(Eta):
    """A ticket as its holder sees it: the body of GET /tickets/{token} and of the ticket
    room's messages."""

    token: str
    number: str = Field(examples=["P017"])
    center: str
    service: str
    service_name: Localized
    agency: str
    agency_name: Localized
    status: TicketStatus
    lang: Lang
    priority: Priority | None
    booked: bool
    position: int = Field(ge=0, description="1 = next of its service; 0 when not waiting")
    people_ahead: int = Field(ge=0)
    counter: int | None = Field(description="The counter's number while called or served")
    call_count: int = Field(ge=0)
    issued_at: Instant
    called_at: Instant | None
    started_at: Instant | None
    finished_at: Instant | None
    links: TicketLinks


class Empty(In):
    """Nothing to send: no body, or a JSON object whose fields are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")
