"""`make run`: migrate, load demo data when empty, print the links, serve.

Development and single-hall server. For production see README (gunicorn + gevent)."""

from __future__ import annotations

import os

if os.environ.get("ASAN_ASYNC_MODE", "gevent") == "gevent":
    # Before anything else imports socket/threading: gevent's cooperative versions.
    from gevent import monkey

    monkey.patch_all()

from flask_migrate import upgrade

from asan_queue import create_app
from asan_queue.extensions import db, socketio
from asan_queue.services.demo import DEMO_PASSWORD, seed_demo
from asan_queue.web.clock import now_utc
from config import ROOT, Config


def main() -> None:
    (ROOT / "instance").mkdir(exist_ok=True)
    app = create_app(Config)
    host = os.environ.get("ASAN_HOST", "127.0.0.1")
    port = int(os.environ.get("ASAN_PORT", "5000"))
    with app.app_context():
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        if seed_demo(db.session, now=now_utc()):
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
  Booking         {base}/book
  API             {base}/api/v1/centers   (OpenAPI: {base}/api/openapi.json)
""",
        flush=True,
    )
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
