"""In-process event bus: use cases publish domain events after commit; realtime/ (and the
tests' recorder) subscribe. Services never import socketio."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ..domain.events import Event

log = logging.getLogger(__name__)
Handler = Callable[[list[Event]], None]
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> Callable[[], None]:
    """Register `handler`; returns a function that unregisters it."""
    _handlers.append(handler)
    return lambda: _handlers.remove(handler)


def publish(events: Iterable[Event]) -> None:
    """Hand committed events to every handler. A failing handler is logged, never raised:
    the state change has already committed and the caller must see its result."""
    batch = list(events)
    if not batch:
        return
    for handler in list(_handlers):
        try:
            handler(batch)
        except Exception:
            log.exception("event handler failed")
