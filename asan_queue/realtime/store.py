"""What the emitter shares between server processes: room sequence numbers, the digest of the
last body sent to each ticket room, each center's version (for the snapshot cache), who
listens (listeners.py leases) and a per-center emit lock, so batches go out in order.

With Redis every batch costs a fixed handful of round trips whatever the queue length: the
sequence numbers of all its rooms come back from one pipeline. Every key expires
(KEY_TTL) so a day's ticket rooms leave nothing behind. A single process keeps the same
things in memory.

Every Redis call may raise (a blip, a reset): the emitter retries the whole batch; nothing
is numbered for a message that was not sent, except when Redis fails between the increment
and the publish, and then the client sees the gap and subscribes again."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

KEY_TTL = 36 * 3600  # seconds: a day's rooms and digests outlive the day, not the week
LEASE_SECONDS = 30  # a listener lease lasts this long; processes renew theirs every 10 s
LOCK_MS = 2000  # an emit lock held longer than this (a dead process) is taken over

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class MemoryStore:
    """One process: everything in memory."""

    shared = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq: dict[str, int] = {}
        self._digests: dict[str, dict[str, str]] = {}
        self._versions: dict[str, int] = {}
        self._center_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def emit_lock(self, center: str) -> Iterator[None]:
        with self._lock:
            lock = self._center_locks.setdefault(center, threading.Lock())
        with lock:
            yield

    def listeners(self, center: str) -> set[str]:
        return set()  # nobody else: the process's own rooms are in listeners.py

    def lease(self, leases: dict[str, Iterable[str]]) -> None:
        pass

    def digests(self, center: str, rooms: Iterable[str]) -> dict[str, str]:
        with self._lock:
            held = self._digests.get(center, {})
            return {r: held[r] for r in rooms if r in held}

    def commit(self, center: str, rooms: list[str], digests: dict[str, str]) -> list[int]:
        """Bump the center's version, remember the digests about to be sent and number one
        message for each entry of `rooms` (a room may come twice), all at once: a subscriber
        reading (seq, version) sees both before or both after."""
        with self._lock:
            self._versions[center] = self._versions.get(center, 0) + 1
            self._digests.setdefault(center, {}).update(digests)
            out = []
            for room in rooms:
                self._seq[room] = self._seq.get(room, 0) + 1
                out.append(self._seq[room])
            return out

    def remember(self, center: str, room: str, digest: str) -> None:
        """The body a subscriber of `room` just got (its snapshot)."""
        with self._lock:
            self._digests.setdefault(center, {})[room] = digest

    def bump(self, center: str) -> None:
        with self._lock:
            self._versions[center] = self._versions.get(center, 0) + 1

    def current(self, room: str, center: str) -> tuple[int, int]:
        """(the room's last sequence number, the center's version)."""
        with self._lock:
            return self._seq.get(room, 0), self._versions.get(center, 0)


class RedisStore:
    """Several processes: the same in Redis, keys under `<prefix>:`."""

    shared = True

    def __init__(self, url: str, prefix: str = "asan") -> None:
        import redis

        # A timeout, so a paused connection fails (and the batch is retried) instead of
        # hanging the emitter.
        self.redis: Any = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, health_check_interval=5
        )
        self.prefix = prefix
        self._release = self.redis.register_script(_RELEASE)
        self._token = uuid.uuid4().hex  # this process's emit-lock token

    def _seq_key(self, room: str) -> str:
        return f"{self.prefix}:seq:{room}"

    def _listen_key(self, center: str) -> str:
        return f"{self.prefix}:listen:{center}"

    def _digest_key(self, center: str) -> str:
        return f"{self.prefix}:digest:{center}"

    def _version_key(self, center: str) -> str:
        return f"{self.prefix}:version:{center}"

    @contextmanager
    def emit_lock(self, center: str) -> Iterator[None]:
        """Held by this process (its token): a SET whose answer was lost to a timeout may
        still have landed, and then the retry finds the lock already its own."""
        key = f"{self.prefix}:emitlock:{center}"
        deadline = time.monotonic() + LOCK_MS / 1000
        while not self.redis.set(key, self._token, nx=True, px=LOCK_MS):
            if self.redis.get(key) == self._token.encode():
                self.redis.pexpire(key, LOCK_MS)
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"emit lock of {center} not free")
            time.sleep(0.002)
        try:
            yield
        finally:
            self._release(keys=[key], args=[self._token])

    def listeners(self, center: str) -> set[str]:
        """The rooms of this center with a live lease in any process."""
        rooms = self.redis.zrangebyscore(self._listen_key(center), time.time(), "+inf")
        return {r.decode() for r in rooms}

    def lease(self, leases: dict[str, Iterable[str]]) -> None:
        """Renew this process's listener leases (center -> rooms) and drop expired ones."""
        until = time.time() + LEASE_SECONDS
        pipe = self.redis.pipeline(transaction=False)
        for center, rooms in leases.items():
            key = self._listen_key(center)
            mapping = dict.fromkeys(rooms, until)
            if mapping:
                pipe.zadd(key, mapping, gt=True)
            pipe.zremrangebyscore(key, "-inf", time.time())
            pipe.expire(key, KEY_TTL)
        pipe.execute()

    def digests(self, center: str, rooms: Iterable[str]) -> dict[str, str]:
        wanted = list(rooms)
        if not wanted:
            return {}
        values = self.redis.hmget(self._digest_key(center), wanted)
        return {r: v.decode() for r, v in zip(wanted, values, strict=True) if v is not None}

    def commit(self, center: str, rooms: list[str], digests: dict[str, str]) -> list[int]:
        """As MemoryStore.commit, in one MULTI round trip."""
        pipe = self.redis.pipeline(transaction=True)
        for room in rooms:
            pipe.incr(self._seq_key(room))
        pipe.incr(self._version_key(center))
        for room in set(rooms):
            pipe.expire(self._seq_key(room), KEY_TTL)
        pipe.expire(self._version_key(center), KEY_TTL)
        if digests:
            pipe.hset(self._digest_key(center), mapping=digests)
            pipe.expire(self._digest_key(center), KEY_TTL)
        values = pipe.execute()
        return [int(v) for v in values[: len(rooms)]]

    def remember(self, center: str, room: str, digest: str) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.hset(self._digest_key(center), room, digest)
        pipe.expire(self._digest_key(center), KEY_TTL)
        pipe.execute()

    def bump(self, center: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(self._version_key(center))
        pipe.expire(self._version_key(center), KEY_TTL)
        pipe.execute()

    def current(self, room: str, center: str) -> tuple[int, int]:
        seq, version = self.redis.mget([self._seq_key(room), self._version_key(center)])
        return int(seq or 0), int(version or 0)


Store = MemoryStore | RedisStore


def make_store(redis_url: str | None, prefix: str = "asan") -> Store:
    return RedisStore(redis_url, prefix) if redis_url else MemoryStore()
