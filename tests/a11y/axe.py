"""axe-core (pinned in package.json, from node_modules: never a CDN) run inside the page by
Playwright, plus the checks axe has no rule for: horizontal overflow, the focus ring's
contrast, `lang` on language links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Evaluated through the DevTools protocol: the pages' CSP allows no inline <script> tag.
AXE_SOURCE = AXE.read_text("utf-8") if AXE.exists() else ""


def violations(page: Any) -> list[str]:
    """axe's violations of the page as it is now, one line per rule with its nodes."""
    # A call's flash is a moment, not the page: judge the colours once it has settled.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
             .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
             .map(a => a.finished.catch(() => null)))"""
    )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, { resultTypes: ["violations"] });
          const where = (v) => v.nodes.map((n) => n.target.join(" ")).join(", ");
          return r.violations.map((v) => `${v.id} (${v.impact}): ${where(v)}`);
        }"""
    )
    return list(found)


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits). Against the
    layout viewport (the root's clientWidth): on a phone (is_mobile) the browser zooms out to
    a page that overflows, and window.innerWidth grows with it."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


FOCUS_CONTRAST = (Path(__file__).parent / "focus_contrast.js").read_text("utf-8")


def weakest_focus(
    page: Any, selector: str = "a[href], button:not([disabled]), input, select"
) -> float:
    """Tab through the page's controls (up to 25) and return the weakest focus contrast."""
    weakest = 99.0
    count = min(25, page.locator(selector).count())
    page.locator("body").focus()
    for _ in range(count):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("() => document.activeElement")
        if page.evaluate("el => el === document.body", focused):
            break
        weakest = min(weakest, float(page.evaluate(FOCUS_CONTRAST, focused)))
    return weakest


def language_links_without_lang(page: Any) -> list[str]:
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.langs a, button[data-lang]')]
                 .filter(a => !a.getAttribute('lang')).map(a => a.outerHTML)"""
        )
    )
