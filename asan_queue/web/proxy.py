"""X-Forwarded-For and friends, believed only from a configured trusted proxy: a client that
reaches the server directly cannot pick its own address (and so its own limits budget)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix


class TrustedProxy:
    """ProxyFix for requests whose connection comes from one of `addresses`; every other
    request keeps its connection's address and its own Host and scheme."""

    def __init__(self, app: Any, count: int, addresses: Iterable[str]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count, x_port=count)
        self.addresses = frozenset(a for a in addresses if a)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REMOTE_ADDR") in self.addresses:
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
