"""Slow CPU work (password hashing) off the gevent event loop: one loop serves every kiosk,
display and desk of a process, and a hash that holds it for 100 ms holds them all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_pool: Any = None
# One hashing thread: on a two-core hall server the other core stays with the event loop, and
# a login flood queues for the hash instead of starving kiosks (bench/bench_login_flood.py).
POOL_SIZE = 1


def _gevent_pool() -> Any:
    global _pool
    if _pool is None:
        from gevent.threadpool import ThreadPool

        _pool = ThreadPool(POOL_SIZE)
    return _pool


def off_loop(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a real thread when gevent has patched this process (hashlib releases the
    GIL while it hashes), so other greenlets run meanwhile; a plain call otherwise."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return fn(*args)
    if not monkey.is_module_patched("threading"):
        return fn(*args)
    return _gevent_pool().apply(fn, args)
