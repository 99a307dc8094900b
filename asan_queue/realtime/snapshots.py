"""Room snapshots, cached per room and keyed by the center's version and the minute.

Every emitted batch bumps its center's version (store.commit, atomically with the rooms'
sequence numbers), and so does a catalogue change (`realtime.invalidate`); clocks and ETAs
move with the minute. A body cached under (version, minute) was built after that version
was read, so it holds at least everything numbered up to the seq read with it: a reconnect
storm of a thousand displays costs one build per room and minute."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any

CACHE_MAX = 20_000  # rooms


class SnapshotCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bodies: OrderedDict[str, tuple[int, str, dict[str, Any]]] = OrderedDict()

    @staticmethod
    def minute(now: datetime) -> str:
        return now.strftime("%Y-%m-%dT%H:%M")

    def get(self, room: str, version: int, now: datetime) -> dict[str, Any] | None:
        with self._lock:
            held = self._bodies.get(room)
            if held is None or held[0] != version or held[1] != self.minute(now):
                return None
            self._bodies.move_to_end(room)
            return held[2]

    def put(self, room: str, version: int, now: datetime, body: dict[str, Any]) -> None:
        with self._lock:
            self._bodies[room] = (version, self.minute(now), body)
            self._bodies.move_to_end(room)
            while len(self._bodies) > CACHE_MAX:
                self._bodies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
