"""Ticket and counter states and the transition table every state change is checked against."""

from __future__ import annotations

from enum import StrEnum

from .errors import InvalidTransition


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    REMOVED = "removed"
    TRANSFERRED = "transferred"
    EXPIRED = "expired"


class CounterState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"


S = TicketStatus

# operation -> (allowed from-states, to-state). A transfer puts the ticket back to WAITING in the
# new service's queue (same number); the event records the move, so `transferred` is the
# event name and never a resting state of a live ticket.
TRANSITIONS: dict[str, tuple[frozenset[TicketStatus], TicketStatus]] = {
    "call": (frozenset({S.WAITING}), S.CALLED),
    "recall": (frozenset({S.CALLED}), S.CALLED),
    "start": (frozenset({S.CALLED}), S.SERVING),
    "finish": (frozenset({S.SERVING}), S.DONE),
    "no_show": (frozenset({S.CALLED}), S.NO_SHOW),
    "cancel": (frozenset({S.WAITING}), S.CANCELLED),
    "remove": (frozenset({S.WAITING, S.CALLED}), S.REMOVED),
    "transfer": (frozenset({S.CALLED, S.SERVING}), S.WAITING),
    "expire": (frozenset({S.WAITING, S.CALLED, S.SERVING}), S.EXPIRED),
    # One step of a multi-step visit done: back to the first counter, same number.
    "return": (frozenset({S.SERVING}), S.WAITING),
    # Undo of a stray finish or no-show within seconds (services.visits.UNDO_SECONDS).
    "undo_finish": (frozenset({S.DONE}), S.SERVING),
    "undo_no_show": (frozenset({S.NO_SHOW}), S.CALLED),
    # A supervisor's moves of a waiting ticket: it keeps waiting, its place changes.
    "move": (frozenset({S.WAITING}), S.WAITING),
    "prioritise": (frozenset({S.WAITING}), S.WAITING),
    "put_first": (frozenset({S.WAITING}), S.WAITING),
}

ACTIVE = frozenset({S.WAITING, S.CALLED, S.SERVING})
AT_COUNTER = frozenset({S.CALLED, S.SERVING})

_MESSAGES = {
    "call": "only a waiting ticket can be called",
    "recall": "only a ticket that has been called and not started can be recalled",
    "start": "service can start only for a called ticket",
    "finish": "only a ticket being served can be finished",
    "no_show": "only a called ticket can be marked as no-show",
    "cancel": "only a waiting ticket can be cancelled",
    "remove": "only a waiting or called ticket can be removed",
    "transfer": "only a ticket at the counter can be transferred",
    "expire": "only an active ticket can expire",
    "return": "only a ticket being served can go back to its first counter",
    "undo_finish": "only a finished ticket can be brought back",
    "undo_no_show": "only a no-show can be brought back",
    "move": "only a waiting ticket can be moved",
    "prioritise": "only a waiting ticket can be given priority",
    "put_first": "only a waiting ticket can be put first",
}


def check_transition(operation: str, current: TicketStatus) -> TicketStatus:
    """Return the state `operation` leads to from `current`; raise InvalidTransition if none."""
    if operation not in TRANSITIONS:
        raise InvalidTransition(f"unknown operation {operation!r}")
    allowed, target = TRANSITIONS[operation]
    if current not in allowed:
        raise InvalidTransition(
            f"{_MESSAGES[operation]} (ticket is {current.value})",
            details={"operation": operation, "status": current.value},
        )
    return target
