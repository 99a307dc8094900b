"""The Socket.IO contract (published as AsyncAPI at /api/asyncapi.json): what a client sends
(`subscribe`) and every message the server emits, each stamped with its room and sequence.

A client emits `subscribe` with exactly one of {"center": slug}, {"counter": id} (desk
login) or {"ticket": token}; the ack is {"ok": true, "room"} or {"error": {code, message}},
then a `snapshot` of the room follows. A gap in a room's `seq` means a message was missed:
subscribe again."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from .base import Instant, Localized, Out
from .centers import Agency, CenterSummary, Counter, Service, ServiceQueue
from .paths import ID_MAX
from .staff import CounterView
from .tickets import Ticket


class Stamp(Out):
    room: str = Field(examples=["center:baku-1"])
    seq: int = Field(ge=0, description="The room's sequence number; a gap means a miss")


class Call(Out):
    """A ticket called (or recalled) to a counter: what the hall announces."""

    center: str
    number: str
    counter: int
    counter_id: int
    service: str
    service_name: Localized
    agency: str
    agency_name: Localized
    recall: bool
    languages: list[str]
    announcement: dict[str, str] = Field(description="The spoken text by language")
    chime: str = Field(description="The chime's audio, played first")
    audio: dict[str, str] = Field(
        description="The call as speech (WAV) by language, played in `languages` order"
    )
    called_at: Instant | None


class HallState(Out):
    """The center room's snapshot: the center detail's queue plus the last calls."""

    now: Instant
    center: CenterSummary
    services: list[Service]
    agencies: list[Agency]
    counters: list[Counter]
    recent_calls: list[Call]


class Queue(Out):
    """Waiting counts, ETAs and counters of a center after a change."""

    center: str
    services: list[ServiceQueue]
    counters: list[Counter]


class CenterSnapshot(HallState, Stamp):
    pass


class CounterSnapshot(CounterView, Stamp):
    pass


class TicketSnapshot(Ticket, Stamp):
    pass


class TicketCalledMessage(Call, Stamp):
    pass


class QueueMessage(Queue, Stamp):
    pass


class TicketMessage(Ticket, Stamp):
    pass


class CounterMessage(CounterView, Stamp):
    pass


class Device(Out):
    """A hall display or kiosk names itself, so the supervisor sees when it drops off."""

    kind: Literal["display", "kiosk"]
    name: str = Field(min_length=1, max_length=60, pattern=r"^[\w .:#-]+$")


class SubscribeCenter(Out):
    center: str = Field(min_length=1, max_length=40, description="The center's slug")
    device: Device | None = Field(None, description="A display or kiosk names itself")


class SubscribeCounter(Out):
    counter: (
        Annotated[int, Field(strict=True, ge=1, le=ID_MAX)]
        | Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}$")]
    ) = Field(description="The counter's id (a number, or its digits)")


class SubscribeTicket(Out):
    ticket: str = Field(min_length=1, max_length=64, description="The ticket's token")


class SubscribeSupervise(Out):
    supervise: str = Field(
        min_length=1, max_length=40, description="A center's slug (its supervisors, admins)"
    )


class Subscribe(
    RootModel[SubscribeCenter | SubscribeCounter | SubscribeTicket | SubscribeSupervise]
):
    """Exactly one of center, counter, ticket or supervise."""


class SubscribeAck(Out):
    ok: bool
    room: str
