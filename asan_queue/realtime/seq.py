"""Per-room sequence numbers: every event and snapshot carries `seq`, so a client that sees a
gap (a dropped message) subscribes again. Across server processes the counter lives in Redis
(INCR is atomic); a single process counts in memory."""

from __future__ import annotations

import threading
from typing import Any

KEY = "{prefix}:seq:{room}"


class MemorySequencer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, int] = {}

    def next(self, room: str) -> int:
        with self._lock:
            self._values[room] = self._values.get(room, 0) + 1
            return self._values[room]

    def current(self, room: str) -> int:
        with self._lock:
            return self._values.get(room, 0)


class RedisSequencer:
    def __init__(self, url: str, prefix: str = "asan") -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url)
        self._prefix = prefix

    def _key(self, room: str) -> str:
        return KEY.format(prefix=self._prefix, room=room)

    def next(self, room: str) -> int:
        return int(self._redis.incr(self._key(room)))

    def current(self, room: str) -> int:
        return int(self._redis.get(self._key(room)) or 0)


def make_sequencer(redis_url: str | None, prefix: str = "asan") -> MemorySequencer | RedisSequencer:
    return RedisSequencer(redis_url, prefix) if redis_url else MemorySequencer()
