"""Announcements rendered to audio offline with espeak-ng (az, ru and en voices), cached on
disk per text: the file name is a hash of the engine, voice, settings and text, so the same
call is rendered once and a changed catalogue text gets a new file.

Pure: text in, a WAV file's path out; no Flask, no database (the web layer serves the files)."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import subprocess  # noqa: S404 - runs the local speech engine with fixed arguments
import tempfile
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import t
from .words import number_words, ticket_words

ENGINE = "espeak-ng"
SAMPLE_RATE = 22050  # espeak-ng's own rate; the chime is made at the same rate


@dataclass(frozen=True)
class Voice:
    name: str  # espeak-ng voice
    speed: int  # words per minute: slower than the default 175 for a noisy hall
    amplitude: int  # 0..200 (espeak-ng's default is 100)


VOICES = {
    "az": Voice("az", 140, 180),
    "ru": Voice("ru", 145, 180),
    "en": Voice("en-gb", 145, 180),
}


class SpeechUnavailable(Exception):  # noqa: N818 - the word callers read
    """The speech engine is missing or failed: the announcement has no audio."""


def announcement_text(lang: str, number: str, counter: int) -> str:
    """What the hall says for `number` called to `counter`, numbers as words."""
    return t(
        lang,
        "hall.announce",
        number=ticket_words(number, lang),
        counter=number_words(counter, lang),
    )


# Where the web layer serves the files (web/speech.py); events link to these paths.
CHIME_PATH = "/speech/chime.wav"


def audio_path(lang: str, number: str, counter: int) -> str:
    return f"/speech/{lang}/{number}/{counter}.wav"


def cache_key(voice: Voice, text: str) -> str:
    raw = f"{ENGINE}|{voice.name}|{voice.speed}|{voice.amplitude}|{text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def engine_path() -> str | None:
    return shutil.which(ENGINE)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)  # atomic: another process never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def render(text: str, lang: str, cache_dir: Path) -> Path:
    """The WAV file of `text` spoken by `lang`'s voice, rendered on first use. Raises
    SpeechUnavailable when espeak-ng is missing or fails, ValueError for an unknown lang."""
    voice = VOICES.get(lang)
    if voice is None:
        raise ValueError(f"no voice for {lang!r}")
    path = cache_dir / f"{cache_key(voice, text)}.wav"
    if path.is_file():
        return path
    exe = engine_path()
    if exe is None:
        raise SpeechUnavailable(f"{ENGINE} is not installed")

    def write(tmp: Path) -> None:
        args = [exe, "-v", voice.name, "-s", str(voice.speed), "-a", str(voice.amplitude)]
        args += ["-b", "1", "-w", str(tmp), "--stdin"]  # -b 1: the text is UTF-8
        try:
            subprocess.run(  # noqa: S603 - fixed executable, text on stdin
                args, input=text.encode("utf-8"), capture_output=True, check=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise SpeechUnavailable(f"{ENGINE} failed: {err}") from err
        if tmp.stat().st_size <= 44:
            raise SpeechUnavailable(f"{ENGINE} wrote no audio")

    _atomic_write(path, write)
    return path


def _chime_samples() -> array[int]:
    """A two-tone "ding-dong" (E5 then C5), each tone fading out: about 1.4 s."""
    total = int(SAMPLE_RATE * 1.4)
    samples = [0.0] * total
    for freq, start in ((659.25, 0.0), (523.25, 0.55)):
        first = int(start * SAMPLE_RATE)
        for i in range(total - first):
            seconds = i / SAMPLE_RATE
            attack = min(1.0, seconds / 0.015)
            envelope = attack * math.exp(-seconds * 4.0)
            samples[first + i] += envelope * math.sin(2 * math.pi * freq * seconds)
    return array("h", (int(max(-1.0, min(1.0, s * 0.45)) * 32767) for s in samples))


def chime(cache_dir: Path) -> Path:
    """The chime played before every announcement, as a WAV file (made once)."""
    path = cache_dir / "chime-v1.wav"
    if path.is_file():
        return path

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(_chime_samples().tobytes())

    _atomic_write(path, write)
    return path
