"""A stub SMS gateway on loopback, for tests of real delivery: it answers scripted statuses
(then 200), can be switched down (503) and up, and, like real gateways, delivers a message
id once however often it is posted (a retry after a crash keeps its id)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class StubGateway:
    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[dict[str, Any]] = []  # every accepted POST, repeats included
        self.delivered: dict[str, dict[str, Any]] = {}  # message id -> the one delivery
        self.auth: list[str] = []
        self.down = False
        # While `holding`, an accepted message is recorded, then its answer waits for
        # `release` (a sender killed while it waits never learns the message went out).
        self.holding = False
        self.release = threading.Event()
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                status = gateway._answer(body, self.headers.get("Authorization", ""))
                if gateway.holding:
                    gateway.release.wait(timeout=30)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _answer(self, body: dict[str, Any], auth: str) -> int:
        with self._lock:
            if self.down:
                return 503
            status = self.statuses.pop(0) if self.statuses else 200
            if 200 <= status < 300:
                self.received.append(body)
                self.auth.append(auth)
                self.delivered.setdefault(body.get("id") or f"#{len(self.received)}", body)
            return status

    def texts_to(self, phone: str) -> list[str]:
        with self._lock:
            return [m["text"] for m in self.delivered.values() if m["to"] == phone]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
