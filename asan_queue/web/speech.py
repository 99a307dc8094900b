"""Hall announcements as audio files: /speech/chime.wav and
/speech/<lang>/<number>/<counter>.wav (the `audio` links of a `ticket_called` event).

The text comes from the catalogue (hall.announce) with numbers as words; speech/ renders it
with espeak-ng and caches it per text on disk; this route only validates and serves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, send_file

from ..domain.errors import NotFound, Unavailable
from ..i18n import LANGS
from ..speech import SpeechUnavailable, announcement_text, chime, render

bp = Blueprint("speech", __name__, url_prefix="/speech")

NUMBER_RE = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
MAX_COUNTER = 9999


def _cache_dir() -> Path:
    return Path(current_app.config["SPEECH_CACHE_DIR"])


def _serve(path: Path) -> Any:
    # Revalidated with the ETag: a changed catalogue text must not be heard from a stale copy.
    response = send_file(path, mimetype="audio/wav", conditional=True, etag=True, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/chime.wav")
def chime_file() -> Any:
    return _serve(chime(_cache_dir()))


@bp.get("/<lang>/<number>/<int:counter>.wav")
def announcement(lang: str, number: str, counter: int) -> Any:
    if lang not in LANGS or not NUMBER_RE.match(number) or not 1 <= counter <= MAX_COUNTER:
        raise NotFound("no such announcement", code="announcement_not_found")
    try:
        path = render(announcement_text(lang, number, counter), lang, _cache_dir())
    except SpeechUnavailable as err:
        raise Unavailable(str(err), code="speech_unavailable") from err
    return _serve(path)
