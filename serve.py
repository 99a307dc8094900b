"""`make run`: migrate, load demo data when empty (never with ASAN_ENV=production), print the
links, serve.

Development and single-hall server. For production see README (gunicorn + gevent)."""

from __future__ import annotations

import os
import socket
from typing import Any

if os.environ.get("ASAN_ASYNC_MODE", "gevent") == "gevent":
    # Before anything else imports socket/threading: gevent's cooperative versions.
    from gevent import monkey

    monkey.patch_all()

from flask_migrate import upgrade

from asan_queue import create_app
from asan_queue.clock import now_utc
from asan_queue.extensions import socketio
from asan_queue.services.demo import DEMO_PASSWORD, seed_demo
from asan_queue.web import background
from asan_queue.web.uow import unit_of_work
from config import ROOT, Config


def server_options(async_mode: str) -> dict[str, Any]:
    """gevent's server writes a response's headers and body in separate sends; with Nagle's
    algorithm on, the body then waits for the client's delayed ACK (~40 ms per response on
    keep-alive connections). Kiosks and desks want their answer now: TCP_NODELAY."""
    if async_mode != "gevent":
        return {"allow_unsafe_werkzeug": True}
    from gevent.pywsgi import WSGIHandler

    class NoDelayHandler(WSGIHandler):  # type: ignore[misc]
        def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, *args, **kwargs)

    return {"handler_class": NoDelayHandler}


def main() -> None:
    (ROOT / "instance").mkdir(exist_ok=True)
    app = create_app(Config)
    host = os.environ.get("ASAN_HOST", "127.0.0.1")
    port = int(os.environ.get("ASAN_PORT", "5000"))
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        if app.config["ENV"] == "production":
            print("Production mode: no demo data (flask users create, flask catalog import).")
        elif seed_demo(unit_of_work(), now=now_utc()):
            print(
                f"Demo data loaded. Demo users: admin, supervisor, operator1..operator20 "
                f"(password '{DEMO_PASSWORD}', demo data only)."
            )
    base = f"http://{host}:{port}"
    print(
        f"""
ASAN Queue is running on {base}
  Start page      {base}/
  Kiosk           {base}/kiosk/baku-1
  Hall display    {base}/display/baku-1
  Counter screen  {base}/display/baku-1/counter/1
  Operator desk   {base}/desk            (operator1 / {DEMO_PASSWORD})
  Supervisor      {base}/supervise/baku-1   (supervisor / {DEMO_PASSWORD})
  Reports         {base}/reports
  Back office     {base}/admin           (admin / {DEMO_PASSWORD})
  Public figures  {base}/public
  Booking         {base}/book
  API             {base}/api/v1/centers   (OpenAPI: {base}/api/openapi.json)
""",
        flush=True,
    )
    background.start(app)  # day closing, the notification outbox (first pass right away)
    options = server_options(app.config["ASYNC_MODE"])
    socketio.run(app, host=host, port=port, log_output=False, **options)


if __name__ == "__main__":
    main()
