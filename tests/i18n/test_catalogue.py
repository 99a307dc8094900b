"""The translation catalogue is complete: every key a template or script uses exists in az, ru
and en (plurals with each language's forms), and every error code the server raises has its
`errors.<code>` text in all three."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asan_queue.i18n import LANGS, catalogs

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "asan_queue"
PLURAL_FORMS = {"az": {"other"}, "en": {"one", "other"}, "ru": {"one", "few", "many"}}
KEY = r"[a-z_]+\.[a-z0-9_.]*[a-z0-9_]"
PREFIX = r"[a-z_]+(?:\.[a-z0-9_]+)*\."

# How a key is named in each kind of file: a literal key, or a prefix completed at run time.
TEMPLATE_KEY = re.compile(rf"""\b_\(\s*['"]({KEY})['"]""")
TEMPLATE_PREFIX = re.compile(rf"""\b_\(\s*['"]({PREFIX})['"]\s*~""")
HTML_KEY = re.compile(rf"""data-i18n="({KEY})\"""")
HTML_ATTR = re.compile(r'data-i18n-attr="([^"]+)"')
SCRIPT_KEY = re.compile(rf"""\b(?:t|say|plural|list|has|explainKey)\(\s*["'`]({KEY})["'`]""")
SCRIPT_PREFIX = re.compile(rf"""\b(?:t|say|plural)\(\s*`({PREFIX})\$\{{""")
SCRIPT_PLURAL = re.compile(rf"""\bplural\(\s*["'`]({KEY})["'`]""")
PY_KEY = re.compile(rf"""\bt\(\s*\w+,\s*["']({KEY})["']""")
PY_PREFIX = re.compile(rf"""\bt\(\s*\w+,\s*f["']({PREFIX})\{{""")


def _files() -> dict[str, list[Path]]:
    return {
        "template": sorted((PACKAGE / "templates").rglob("*.html")),
        "html": sorted([*(ROOT / "kiosk").glob("*.html"), *(ROOT / "display").glob("*.html")]),
        "script": sorted(
            [
                *(ROOT / "kiosk").glob("*.js"),
                *(ROOT / "display").glob("*.js"),
                *(PACKAGE / "static").rglob("*.js"),
            ]
        ),
        "python": sorted(p for p in PACKAGE.rglob("*.py")),
    }


def used_keys() -> tuple[dict[str, set[str]], set[str], set[str]]:
    """(key -> files using it, plural keys, dynamic prefixes)."""
    keys: dict[str, set[str]] = {}
    plurals: set[str] = set()
    prefixes: set[str] = set()

    def add(key: str, path: Path) -> None:
        keys.setdefault(key, set()).add(str(path.relative_to(ROOT)))

    for kind, paths in _files().items():
        for path in paths:
            text = path.read_text("utf-8")
            if kind == "template":
                for key in TEMPLATE_KEY.findall(text):
                    add(key, path)
                prefixes.update(TEMPLATE_PREFIX.findall(text))
            elif kind == "html":
                for key in HTML_KEY.findall(text):
                    add(key, path)
                for attrs in HTML_ATTR.findall(text):
                    for pair in attrs.split(";"):
                        add(pair.split(":", 1)[1].strip(), path)
            elif kind == "script":
                for key in SCRIPT_KEY.findall(text):
                    add(key, path)
                plurals.update(SCRIPT_PLURAL.findall(text))
                prefixes.update(SCRIPT_PREFIX.findall(text))
            else:
                for key in PY_KEY.findall(text):
                    add(key, path)
                prefixes.update(PY_PREFIX.findall(text))
    return keys, plurals, prefixes


def test_the_scan_finds_what_the_pages_use() -> None:
    keys, plurals, prefixes = used_keys()
    # A scan that found nothing would pass anything: check it sees well-known uses.
    assert {"kiosk.take", "hall.now_calling", "book.title", "desk.call_next"} <= set(keys)
    assert "kiosk.services_count" in plurals
    assert {"ticket.status.", "priority."} <= prefixes


def test_every_used_key_exists_in_every_language() -> None:
    keys, plurals, prefixes = used_keys()
    cats = catalogs()
    missing = []
    for key, where in sorted(keys.items()):
        for lang in LANGS:
            if key in plurals:
                forms = {k.rsplit(".", 1)[1] for k in cats[lang] if k.rsplit(".", 1)[0] == key}
                if not PLURAL_FORMS[lang] <= forms:
                    missing.append(f"{lang}: {key} needs plural forms {sorted(PLURAL_FORMS[lang])}")
            elif key not in cats[lang]:
                missing.append(f"{lang}: {key} (used in {', '.join(sorted(where))})")
    for prefix in sorted(prefixes):
        suffixes = {
            lang: {k[len(prefix) :] for k in cats[lang] if k.startswith(prefix)} for lang in LANGS
        }
        if not suffixes["az"]:
            missing.append(f"az: nothing under {prefix}*")
        for lang in LANGS:
            if suffixes[lang] != suffixes["az"]:
                missing.append(
                    f"{lang}: {prefix}* differs from az: {sorted(suffixes[lang] ^ suffixes['az'])}"
                )
    assert missing == []


def _shape(lang: str) -> tuple[set[str], dict[str, set[str]]]:
    """(plain keys, plural base -> forms) of one language's catalogue."""
    plain: set[str] = set()
    plural: dict[str, set[str]] = {}
    for key in catalogs()[lang]:
        base, _, form = key.rpartition(".")
        if form in {"one", "few", "many", "other"}:
            plural.setdefault(base, set()).add(form)
        else:
            plain.add(key)
    return plain, plural


def test_the_languages_have_the_same_keys() -> None:
    az_plain, az_plural = _shape("az")
    for lang in LANGS:
        plain, plural = _shape(lang)
        assert plain ^ az_plain == set(), lang
        assert set(plural) == set(az_plural), lang
        for base, forms in plural.items():
            assert forms == PLURAL_FORMS[lang], (lang, base, forms)


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text("utf-8")
        codes.update(re.findall(r'\bcode\s*=\s*"([a-z_]+)"', text))
        codes.update(re.findall(r'Refused\(\s*"([a-z_]+)"', text))
        codes.update(re.findall(r'error_response\(\s*\d+,\s*"([a-z_]+)"', text))
    return codes


def test_every_error_code_the_server_raises_has_a_text_in_each_language() -> None:
    codes = raised_codes()
    assert {"counter_taken", "missing_field", "booking_not_found", "invalid_subscription"} <= codes
    # Werkzeug's own errors get codes from their names (web/errors.py).
    codes |= {
        "not_found",
        "method_not_allowed",
        "request_entity_too_large",
        "too_many_requests",
        "unsupported_media_type",
        "internal_server_error",
        "bad_request",
    }
    cats = catalogs()
    missing = sorted(
        f"{lang}: errors.{c}" for c in codes for lang in LANGS if f"errors.{c}" not in cats[lang]
    )
    assert missing == []


@pytest.mark.parametrize("lang", ["az", "ru"])
def test_error_texts_are_translated_not_copied_from_english(lang: str) -> None:
    cats = catalogs()
    same = [k for k in cats["en"] if k.startswith("errors.") and cats[lang][k] == cats["en"][k]]
    assert same == []


def test_no_key_is_defined_in_two_files() -> None:
    """The catalogue is merged from one file per part (kiosk, desk, supervise...); a key in two
    files would silently show one part's text on the other's page."""
    import json

    owner: dict[str, str] = {}
    clashes = []
    for path in sorted((PACKAGE / "i18n").glob("*.json")):
        for key in json.loads(path.read_text("utf-8"))["en"]:
            if key in owner:
                clashes.append((key, owner[key], path.name))
            owner.setdefault(key, path.name)
    assert clashes == []
