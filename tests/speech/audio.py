"""Measure a WAV file the way a listener would notice: how long it lasts, how loud it is, and
how much of it is sound rather than silence (20 ms windows above a floor)."""

from __future__ import annotations

import io
import math
import wave
from array import array
from dataclasses import dataclass

WINDOW_S = 0.02
SILENCE_RMS = 300  # of 32767: well below speech, above dither and the engine's padding


@dataclass(frozen=True)
class Measure:
    seconds: float
    rms: float
    voiced: float  # share of 20 ms windows louder than SILENCE_RMS


def measure(data: bytes) -> Measure:
    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getsampwidth() == 2, "16-bit PCM expected"
        assert wav.getnchannels() == 1
        rate = wav.getframerate()
        samples = array("h", wav.readframes(wav.getnframes()))
    if not samples:
        return Measure(0.0, 0.0, 0.0)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    size = max(1, int(rate * WINDOW_S))
    windows = [samples[i : i + size] for i in range(0, len(samples), size)]
    loud = sum(1 for w in windows if math.sqrt(sum(s * s for s in w) / len(w)) > SILENCE_RMS)
    return Measure(len(samples) / rate, rms, loud / len(windows))
