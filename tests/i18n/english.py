"""The English sentences the server could put in front of a person: its errors' English
catalogue texts, the fallback sentences its use cases raise with, and Werkzeug's own."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from werkzeug import exceptions

from asan_queue.i18n import catalogs

PACKAGE = Path(__file__).resolve().parents[2] / "asan_queue"
RAISED = re.compile(
    r"(?:Error|NotFound|Conflict|Forbidden|Unauthorized|Refused|Unavailable|"
    r'TooManyRequests|InvalidTransition|abort)\(\s*(?:\d+,\s*|"[a-z_]+",\s*)?f?"([^"]+)"'
)
MESSAGES = re.compile(r'^\s*"[a-z_]+":\s*"([a-z][^"]+)",?$', re.M)  # statuses.py's _MESSAGES


@lru_cache(maxsize=1)
def english_sentences() -> list[str]:
    found: set[str] = set()

    def add(text: str) -> None:  # the literal parts around {placeholders}
        for part in re.split(r"\{[^}]*\}", text):
            found.add(part.strip(" ,.;:()'"))

    for text in catalogs()["en"].values():
        add(text)
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text("utf-8")
        for sentence in RAISED.findall(source):
            add(sentence)
        if path.name == "statuses.py":
            found.update(MESSAGES.findall(source))
    for kind in vars(exceptions).values():
        described = getattr(kind, "description", None)
        is_http = isinstance(kind, type) and issubclass(kind, exceptions.HTTPException)
        if is_http and isinstance(described, str):
            found.add(described.split(".", 1)[0])
    # Short fragments ("Error", "SMS") are words, not sentences: only judge real sentences.
    return sorted(s for s in found if len(s) >= 14 and " " in s)


def leaks(text: str) -> list[str]:
    """English server sentences found in a page's visible text."""
    return [s for s in english_sentences() if s in text]
