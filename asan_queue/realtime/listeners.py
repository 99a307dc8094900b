"""Which rooms have listeners, so an event costs work and messages only for them.

In this process: the rooms Socket.IO holds (a room disappears with its last socket), each
filed under its center when a client subscribed to it. Across processes (Redis): every
process leases its rooms in `<prefix>:listen:<center>` (a sorted set scored by expiry),
at once on subscribe and renewed every RENEW_SECONDS, so an emitter in another process (or
a CLI command) knows whom to tell."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import Any

from ..extensions import socketio
from .store import Store

log = logging.getLogger(__name__)

RENEW_SECONDS = 10.0


def live_rooms() -> set[str]:
    """The rooms with at least one socket in this process."""
    server = getattr(socketio, "server", None)
    if server is None:
        return set()
    rooms: dict[Any, Any] = server.manager.rooms.get("/", {})
    return {r for r in list(rooms) if isinstance(r, str)}


class Listeners:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._centers: dict[str, set[str]] = defaultdict(set)  # center -> rooms subscribed
        self._renewing = False

    def joined(self, center: str, room: str) -> None:
        """A client of this process subscribed to `room` of `center`."""
        with self._lock:
            self._centers[center].add(room)
            start = self.store.shared and not self._renewing
            self._renewing = self._renewing or start
        if self.store.shared:
            self.store.lease({center: [room]})
        if start:
            socketio.start_background_task(self._renew_forever)

    def local(self, center: str) -> set[str]:
        """This center's rooms with a listener in this process (forgetting the emptied)."""
        live = live_rooms()
        with self._lock:
            rooms = self._centers.get(center)
            if not rooms:
                return set()
            rooms &= live
            return set(rooms)

    def all_local(self) -> dict[str, set[str]]:
        live = live_rooms()
        with self._lock:
            for center in list(self._centers):
                self._centers[center] &= live
            return {c: set(r) for c, r in self._centers.items() if r}

    def of(self, center: str) -> set[str]:
        """Every room of this center with a listener in any process."""
        return self.local(center) | self.store.listeners(center)

    def _renew_forever(self) -> None:
        while True:
            socketio.sleep(RENEW_SECONDS)
            try:
                with self._lock:
                    centers = list(self._centers)
                leases = self.all_local()
                # A center whose last listener left still gets its expired leases dropped.
                self.store.lease({c: leases.get(c, set()) for c in centers})
            except Exception as exc:  # noqa: BLE001 - Redis away: the next round renews
                log.warning("listener leases not renewed (%s)", type(exc).__name__)
