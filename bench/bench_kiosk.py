"""Kiosk and receipt speed, end to end against a real server (serve.py, as `make run`).

Run from the repository root: `.venv/bin/python bench/bench_kiosk.py [--receipts N] [--touches N]`.

1. Receipts through HTTP: GET /api/v1/tickets/<token>/receipt.pdf and .png for fresh tickets
   (cold: rendered on that request), then the same URLs again (warm: the in-process LRU),
   then with If-None-Match (304). The in-process render of the same receipts is timed too,
   to separate rendering from HTTP and database time. One client thread.
2. Kiosk touch -> ticket screen: Debian Chromium via Playwright clicks a service button;
   the kiosk marks performance.now() at the touch event and two animation frames after the
   ticket screen is shown (window.kiosk.marks). Includes the POST /tickets round trip.
Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.kiosk.live_hours import CENTER, PRINT_STUB, live_db_url, set_hours  # noqa: E402
from tests.live import LiveServer, start_server  # noqa: E402

SERVICES = ["id-card", "passport", "driving-licence", "criminal-record"]


def summary(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    rate = 1000 / statistics.mean(ms)
    print(
        f"  {label:<34} n={len(ms):<4} median {statistics.median(ms):7.2f} ms  "
        f"p95 {p95:7.2f} ms  max {ms[-1]:7.2f} ms  ({rate:6.1f}/s)"
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def issue(server: LiveServer, http: requests.Session, n: int) -> list[str]:
    tokens = []
    for i in range(n):
        res = http.post(
            f"{server.url}/api/v1/centers/{CENTER}/tickets",
            json={"service": SERVICES[i % len(SERVICES)], "lang": ("az", "ru", "en")[i % 3]},
            timeout=10,
        )
        res.raise_for_status()
        tokens.append(res.json()["token"])
    return tokens


def bench_receipts(server: LiveServer, n: int) -> None:
    http = requests.Session()
    print(f"Receipts over HTTP ({n} fresh tickets per format, one client thread)")
    for kind in ("pdf", "png"):
        urls = [f"{server.url}/api/v1/tickets/{t}/receipt.{kind}" for t in issue(server, http, n)]
        sizes: list[int] = []
        etags: list[str] = []

        def get(url: str, sizes: list[int] = sizes, etags: list[str] = etags) -> None:
            res = http.get(url, timeout=10)
            res.raise_for_status()
            sizes.append(len(res.content))
            etags.append(res.headers["ETag"])

        cold = [timed(lambda u=u: get(u)) for u in urls]
        warm = [timed(lambda u=u: http.get(u, timeout=10).content) for u in urls]
        not_modified = [
            timed(lambda u=u, e=e: http.get(u, headers={"If-None-Match": e}, timeout=10))
            for u, e in zip(urls, etags, strict=True)
        ]
        summary(f"{kind} cold (rendered)", cold)
        summary(f"{kind} warm (LRU hit)", warm)
        summary(f"{kind} 304 (If-None-Match)", not_modified)
        print(f"  {kind} size: median {statistics.median(sizes) / 1024:.1f} KiB")
    bench_render_in_process(server, n)


def bench_render_in_process(server: LiveServer, n: int) -> None:
    """The same receipts rendered in this process: rendering cost without HTTP or DB."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from asan_queue.documents import receipt_pdf, receipt_png
    from asan_queue.models import Ticket
    from asan_queue.services.receipts import receipt_data
    from config import Config

    engine = create_engine(live_db_url(server))
    with Session(engine) as session:
        tickets = session.scalars(select(Ticket).order_by(Ticket.id.desc()).limit(n)).all()
        data = [receipt_data(session, t, base_url=server.url) for t in tickets]
        build = [timed(lambda t=t: receipt_data(session, t, base_url=server.url)) for t in tickets]
    engine.dispose()
    print("In-process render of the same receipts (no HTTP; this process encodes each QR afresh)")
    summary("receipt_data (DB read)", build)
    for name, fn in (("pdf", receipt_pdf), ("png", receipt_png)):
        # Distinct URLs: every QR is encoded afresh on its first render here.
        summary(f"{name} render", [timed(lambda d=d, fn=fn: fn(d, Config.FONT_DIR)) for d in data])


def bench_kiosk(server: LiveServer, touches: int) -> None:
    from playwright.sync_api import sync_playwright

    print(f"Kiosk touch on a service -> ticket screen shown ({touches} touches, Debian chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(PRINT_STUB)
        page.goto(f"{server.url}/kiosk/{CENTER}")
        page.wait_for_selector("body[data-ready='1']")
        for i in range(touches):
            page.click("#take")
            page.click("[data-agency='DIN']")
            page.click(f"[data-service='{SERVICES[i % len(SERVICES)]}']")
            page.wait_for_function(f"window.kiosk.marks.length === {i + 1}")
            page.wait_for_function(f"(window.__prints || []).length === {i + 1}")
            page.click("[data-screen='ticket'] [data-go='start']")
        marks = page.evaluate("window.kiosk.marks")
        browser.close()
    summary("touch -> ticket screen", marks[1:])  # the first touch warms caches
    print(f"  first touch (cold page): {marks[0]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--receipts", type=int, default=100)
    parser.add_argument("--touches", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            set_hours(server, open_all_day=True)
            bench_receipts(server, args.receipts)
            bench_kiosk(server, args.touches)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
