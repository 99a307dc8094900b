"""The Socket.IO client manager through Redis, hardened for faults.

python-socketio's RedisManager publishes with two attempts and then drops the message (logged
only), and after a lost connection listens again after 1, 2, 4 ... 60 s. Here:

- a message that cannot be published waits in an ordered backlog, retried every
  RETRY_SECONDS until Redis answers; later messages queue behind it, so the other
  processes get every message in order (a duplicate after a timeout is dropped by its seq);
- the listener reconnects within LISTEN_RETRY_MAX seconds, and once subscribed again it calls
  `on_relisten`: what the other processes published while it was away is gone, so the
  realtime package sends each room with listeners in this process a fresh snapshot."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import socketio

log = logging.getLogger(__name__)

RETRY_SECONDS = 0.1
LISTEN_RETRY_MAX = 0.4
BACKLOG_MAX = 100_000  # messages; past this the oldest go (and clients see the seq gap)


class ReliableRedisManager(socketio.RedisManager):  # type: ignore[misc]
    def __init__(self, url: str, channel: str, **kwargs: Any) -> None:
        super().__init__(url, channel=channel, **kwargs)
        self._backlog: deque[Any] = deque()
        self._backlog_lock = threading.Lock()
        self._flushing = False
        self.on_relisten: Callable[[], None] | None = None
        self.listen_redis: Any = None

    def _redis_connect(self) -> None:
        module = self._get_redis_module()
        # Publishing fails fast on a paused connection (and is retried); listening waits as
        # long as it takes (a quiet hall sends nothing for minutes).
        self.redis = module.Redis.from_url(
            self.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0, **self.redis_options
        )
        self.listen_redis = module.Redis.from_url(
            self.redis_url, socket_connect_timeout=1.0, socket_keepalive=True, **self.redis_options
        )
        self.pubsub = self.listen_redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    def _try_publish(self, data: Any) -> bool:
        try:
            if not self.connected:
                self._redis_connect()
            self.redis.publish(self.channel, self.json.dumps(data))
            return True
        except Exception as exc:  # noqa: BLE001 - any Redis failure: keep it for later
            log.warning("cannot publish to Redis (%s); message kept for retry", type(exc).__name__)
            self.connected = False
            return False

    def _publish(self, data: Any) -> None:
        with self._backlog_lock:
            if len(self._backlog) >= BACKLOG_MAX:
                self._backlog.popleft()
            self._backlog.append(data)
            if self._flushing:
                return  # the flusher takes it, after the ones before it
            self._flushing = True
        if not self._flush():
            self.server.start_background_task(self._flush_until_empty)

    def _flush(self) -> bool:
        """Publish the backlog in order; False (still flushing) if Redis failed."""
        while True:
            with self._backlog_lock:
                if not self._backlog:
                    self._flushing = False
                    return True
                data = self._backlog[0]
            if not self._try_publish(data):
                return False
            with self._backlog_lock:
                self._backlog.popleft()

    def _flush_until_empty(self) -> None:
        while not self._flush():
            self.server.sleep(RETRY_SECONDS)
        log.info("Redis publish backlog flushed")

    def backlog(self) -> int:
        return len(self._backlog)

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        retry_sleep = RETRY_SECONDS
        failed = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                retry_sleep = RETRY_SECONDS
                if failed and self.on_relisten is not None:
                    failed = False
                    try:
                        self.on_relisten()
                    except Exception:  # noqa: BLE001 - a failed resync must not stop listening
                        log.exception("resync after relisten failed")
                yield from self.pubsub.listen()
            except Exception as exc:  # noqa: BLE001
                log.warning("Redis listener lost (%s); listening again", type(exc).__name__)
                failed = True
                time.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, LISTEN_RETRY_MAX)
