"""The back office in Debian Chromium against the live demo server: every form, by keyboard
where it matters, with refused input shown next to its field; a renamed service reaches an
open kiosk without a reload; one center's supervisor reaches nothing of another; axe-core
finds nothing on the admin pages in az, ru and en, and nothing overflows at 390 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import expect

from tests.a11y.axe import overflow, violations
from tests.kiosk.live_hours import PRINT_STUB, set_hours

SHOTS = Path("/work/helpers/shots/10")
TIMEOUT = 20_000


@pytest.fixture(scope="module")
def server(live_server: Any) -> Any:
    set_hours(live_server, open_all_day=True)
    return live_server


def sign_in(page: Any, server: Any, username: str = "admin", lang: str = "en") -> None:
    page.goto(f"{server.url}/desk/login?lang={lang}&next=/admin/")
    page.fill("#username", username)
    page.fill("#password", "demo")
    page.press("#password", "Enter")
    page.wait_for_url(re.compile(r".*/admin/$"))


def field_error(page: Any, name: str) -> Any:
    return page.locator(f"#error-{name}")


def test_center_settings_refuse_hours_that_end_before_they_start(page: Any, server: Any) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/admin/centers/ganja-1")
    page.get_by_label("Monday: hours").fill("18:00-09:00")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "hours_mon")).to_have_text(re.compile("must start before it ends"))
    hours = page.get_by_label("Monday: hours")
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(hours).to_have_value("18:00-09:00")  # what was typed stays, to be corrected
    hours.fill("09:00-13:00, 14:00-17:30")
    page.get_by_label("Most calls").fill("4")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    expect(page.get_by_label("Monday: hours")).to_have_value("09:00-13:00, 14:00-17:30")
    expect(page.get_by_label("Most calls")).to_have_value("4")
    page.goto(f"{server.url}/admin/centers/ganja-1/audit")
    expect(page.locator("table.audit tbody tr").first).to_contain_text("max_calls")


def test_a_service_with_a_duplicate_prefix_is_refused_then_saved(page: Any, server: Any) -> None:
    sign_in(page, server)
    page.goto(f"{server.url}/admin/centers/ganja-1/services/new")
    page.locator("#f-code").fill("apostille")
    page.get_by_label("Agency").select_option("ADL")
    page.get_by_label("Ticket prefix").fill("A")
    page.locator("#f-name-az").fill("Apostil")
    page.locator("#f-name-en").fill("Apostille")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "prefix")).to_have_text(
        re.compile("Prefix A is already used by id-card")
    )
    page.get_by_label("Ticket prefix").fill("W")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    expect(page.get_by_role("row", name=re.compile("Apostille"))).to_contain_text("W")


def test_a_renamed_service_changes_on_an_open_kiosk_without_a_reload(
    browser: Any, page: Any, server: Any
) -> None:
    kiosk_context = browser.new_context(viewport={"width": 1080, "height": 1920})
    kiosk = kiosk_context.new_page()
    kiosk.add_init_script(PRINT_STUB)
    kiosk.goto(f"{server.url}/kiosk/ganja-1")
    kiosk.wait_for_selector("body[data-ready='1']")
    kiosk.click("#take")
    kiosk.click("[data-agency='DIN']")
    card = kiosk.locator("[data-service='passport']")
    expect(card).to_contain_text("Ümumvətəndaş pasportunun verilməsi")
    sign_in(page, server)
    page.goto(f"{server.url}/admin/centers/ganja-1/services/passport")
    page.locator("#f-name-az").fill("Xarici pasport")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    expect(card).to_contain_text("Xarici pasport", timeout=TIMEOUT)
    kiosk_context.close()


def test_new_hours_show_on_an_open_kiosk_without_a_reload(browser: Any, server: Any) -> None:
    kiosk_context = browser.new_context(viewport={"width": 1080, "height": 1920})
    kiosk = kiosk_context.new_page()
    kiosk.add_init_script(PRINT_STUB)
    kiosk.goto(f"{server.url}/kiosk/ganja-1")
    kiosk.wait_for_selector("body[data-ready='1']")
    expect(kiosk.locator("#hours")).not_to_contain_text("08:00")
    token = requests.post(
        f"{server.url}/api/v1/auth/token", json={"username": "admin", "password": "demo"}
    ).json()["token"]
    week = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
    res = requests.put(
        f"{server.url}/api/v1/centers/ganja-1/hours",
        json={"hours": week},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert res.status_code == 200, res.text
    expect(kiosk.locator("#hours")).to_contain_text("08:00–20:00", timeout=TIMEOUT)
    kiosk_context.close()


def test_counters_agencies_and_users_forms(page: Any, server: Any) -> None:
    sign_in(page, server)
    # A counter: a number taken is refused; the services it serves are checkboxes.
    page.goto(f"{server.url}/admin/centers/ganja-1/counters/new")
    page.locator("#f-number").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "number")).to_have_text(re.compile("Counter 1 already exists"))
    page.locator("#f-number").fill("9")
    page.locator("input[name=services][value=id-card]").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    expect(page.get_by_role("row", name=re.compile("^9 "))).to_contain_text("A")
    # A national agency: a bad code is refused.
    page.goto(f"{server.url}/admin/agencies/new")
    page.locator("#f-code").fill("bad code")
    page.locator("#f-name-az").fill("Miqrasiya Xidməti")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "code")).to_have_text(re.compile("capital letters"))
    page.locator("#f-code").fill("DMX")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("Miqrasiya"))).to_be_visible()
    # A user: a weak password is refused; then created, reset, deactivated.
    page.goto(f"{server.url}/admin/users/new")
    page.locator("#f-username").fill("ganja-operator9")
    page.locator("#f-role").select_option("operator")
    page.locator("#f-center").select_option("ganja-1")
    page.locator("#f-password").fill("short")
    page.locator("#f-password_again").fill("short")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "password")).to_have_text(re.compile("Weak password"))
    expect(page.locator("#f-password")).to_have_value("")  # never echoed
    page.locator("#f-password").fill("Ganja-desk-2027")
    page.locator("#f-password_again").fill("Ganja-desk-2027")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("ganja-operator9"))).to_be_visible()
    page.goto(f"{server.url}/admin/users/ganja-operator9")
    page.get_by_role("link", name="Reset password").click()
    page.locator("#f-password").fill("Ganja-desk-2028")
    page.locator("#f-password_again").fill("Ganja-desk-2029")
    page.get_by_role("button", name="Save").click()
    expect(field_error(page, "password_again")).to_have_text("The two passwords differ")
    page.locator("#f-password").fill("Ganja-desk-2028")
    page.locator("#f-password_again").fill("Ganja-desk-2028")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved")
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_text("The account is deactivated")).to_be_visible()
    assert "Ganja-desk-2028" not in page.content()


def test_a_supervisor_of_one_center_reaches_nothing_of_another(page: Any, server: Any) -> None:
    sign_in(page, server, "ganja-supervisor")
    expect(page.locator("main")).to_contain_text("ganja-1")
    expect(page.locator("main")).not_to_contain_text("baku-1")
    for path in (
        "centers/baku-1",
        "centers/baku-1/services",
        "centers/baku-1/counters",
        "centers/baku-1/audit",
        "users/operator1",
        "agencies",
        "centers/new",
    ):
        res = page.goto(f"{server.url}/admin/{path}")
        assert res is not None and res.status == 403, path
    sign_in(page, server, "operator1")  # an operator: no back office at all
    res = page.goto(f"{server.url}/admin/")
    assert res is not None and res.status == 403


PAGES = [
    ("home", ""),
    ("center", "centers/baku-1"),
    ("services", "centers/baku-1/services"),
    ("service", "centers/baku-1/services/id-card"),
    ("counters", "centers/baku-1/counters"),
    ("counter", "centers/baku-1/counters/3"),
    ("agencies", "agencies"),
    ("users", "users"),
    ("user", "users/operator2"),
    ("audit", "centers/ganja-1/audit"),
]


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_admin_pages_pass_axe_and_fit_a_phone(browser: Any, server: Any, lang: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    for size, viewport in (
        ("tv", {"width": 1920, "height": 1080}),
        ("phone", {"width": 390, "height": 844}),
    ):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(page, server, lang=lang)
        for name, path in PAGES:
            page.goto(f"{server.url}/admin/{path}?lang={lang}")
            problems = violations(page)
            if size == "phone" and overflow(page) > 0:
                problems.append(f"horizontal overflow of {overflow(page)} px")
            if problems:
                found[f"{name} {size}"] = problems
            if lang == "en" or name in ("home", "service"):
                page.screenshot(path=str(SHOTS / f"admin-{name}-{lang}-{size}.png"), full_page=True)
        # An error shown next to its field passes too.
        page.goto(f"{server.url}/admin/centers/baku-1/services/new?lang={lang}")
        page.locator("#f-prefix").fill("A")
        page.locator("#f-code").fill("x-test")
        page.locator("#f-name-az").fill("X")
        page.locator("button[type=submit]").first.click()
        expect(page.locator("#error-prefix")).to_be_visible()
        problems = violations(page)
        if problems:
            found[f"error {size}"] = problems
        page.screenshot(path=str(SHOTS / f"admin-error-{lang}-{size}.png"), full_page=True)
        context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
