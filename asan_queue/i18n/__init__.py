"""Translation catalogs: every user-facing string, in az (default), ru and en.

Each `<area>.json` file beside this module holds {"az": {...}, "ru": {...}, "en": {...}};
the catalogs are merged per language. The same merged catalog is served to the browser at
/i18n/<lang>.json, so server pages, receipts and the kiosk share one source."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

LANGS = ("az", "ru", "en")
DEFAULT_LANG = "az"


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text("utf-8"))
        for lang in LANGS:
            merged[lang].update(data.get(lang, {}))
    return merged


class _Keep(dict[str, object]):
    """format_map values that leave an unknown placeholder as it is instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with its {placeholders} filled from `values`; unknown ones stay as they are."""
    try:
        return string.Formatter().vformat(text, (), _Keep(values))
    except (ValueError, IndexError):
        return text


def t(lang: str, key: str, **values: object) -> str:
    """Translate `key` into `lang`, falling back to az, then to the key itself."""
    cat = catalogs()
    text = cat.get(lang, {}).get(key) or cat[DEFAULT_LANG].get(key) or key
    return fill(text, values) if values else text


def pick(names: dict[str, str], lang: str) -> str:
    """A name stored as {"az": ..., "ru": ..., "en": ...} in `lang` (az as fallback)."""
    return names.get(lang) or names.get(DEFAULT_LANG) or next(iter(names.values()), "")


def eta_text(lang: str, body: Mapping[str, object], when: str | None = None) -> str:
    """A ticket's or service's ETA fields (services.serialize.eta_json) as one phrase; the
    same rule as etaText() in static/js/i18n.js. `when` is counters_open_at, already
    formatted as local time by the caller."""
    minutes, status, span = body.get("eta_minutes"), body.get("eta_status"), body.get("eta_range")
    if status == "day_closed":
        return t(lang, "eta.day_closed")
    if minutes is None or status == "no_counter":
        return t(lang, "eta.opens_at", time=when) if when else t(lang, "eta.no_counter")
    low, high = (span["low"], span["high"]) if isinstance(span, dict) else (minutes, minutes)
    text = t(lang, "eta.range", low=low, high=high)
    return f"{text} · {t(lang, 'eta.past_closing')}" if status == "past_closing" else text
