"""Every page works under the Content-Security-Policy: Chromium reports no violation (no
inline script, style or handler is refused) and each page comes up, at kiosk, TV and phone
sizes."""

from typing import Any

import pytest
import requests
from playwright.sync_api import expect

TIMEOUT = 15_000
# Init scripts run through the DevTools protocol, which the page's CSP does not govern.
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
SIZES = {"kiosk": (1080, 1920), "tv": (1920, 1080), "phone": (390, 844)}


def _context(browser: Any, size: str) -> Any:
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    ctx.add_init_script(RECORD)
    return ctx


def _violations(page: Any) -> list[str]:
    page.wait_for_load_state("networkidle")
    return list(page.evaluate("() => window.__csp"))


@pytest.mark.parametrize("size", list(SIZES))
def test_public_pages_run_under_the_csp(browser: Any, live_server: Any, size: str) -> None:
    ticket = requests.post(
        f"{live_server.url}/api/v1/centers/baku-1/tickets", json={"service": "id-card"}, timeout=10
    ).json()
    ctx = _context(browser, size)
    page = ctx.new_page()
    try:
        pages = {
            "/": "main",
            "/kiosk/baku-1": "main button",
            "/display/baku-1": "body[data-ready=true]",
            "/display/baku-1/counter/1": "body[data-ready=true]",
            "/book": "main",
            f"/t/{ticket['token']}": "main",
            "/desk/login": "form",
        }
        for path, ready in pages.items():
            page.goto(f"{live_server.url}{path}")
            expect(page.locator(ready).first).to_be_attached(timeout=TIMEOUT)
            assert _violations(page) == [], path
    finally:
        ctx.close()


def test_the_desk_and_the_receipt_frame_run_under_the_csp(browser: Any, live_server: Any) -> None:
    ctx = _context(browser, "tv")
    page = ctx.new_page()
    try:
        page.goto(f"{live_server.url}/desk/login")
        page.locator("#username").fill("operator12")
        page.locator("#password").fill("demo")
        page.locator("form.desk-login button[type=submit]").click()
        expect(page.locator(".counter-choice")).to_be_visible()
        page.locator('a[data-counter="12"]').click()
        expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=TIMEOUT)
        assert _violations(page) == []
        ticket = requests.post(
            f"{live_server.url}/api/v1/centers/baku-1/tickets",
            json={"service": "id-card"},
            timeout=10,
        ).json()
        receipt = ticket["links"]["receipt_png"]
        page.goto(f"{live_server.url}/kiosk/static/print.html?src={receipt}")
        expect(page.locator("#receipt")).to_have_js_property("complete", True)
        assert _violations(page) == []
        rules = page.evaluate(
            "() => [...document.styleSheets[0].cssRules].map((r) => r.cssText).join(' ')"
        )
        assert "@page" in rules and "mm" in rules  # the receipt's exact height, via the CSSOM
    finally:
        ctx.close()
