"""Spoken hall announcements: numbers as words (words.py) and audio rendered offline by
espeak-ng, cached per text (engine.py). Pure: no Flask, no database."""

from .engine import (
    CHIME_PATH,
    VOICES,
    SpeechUnavailable,
    announcement_text,
    audio_path,
    cache_key,
    chime,
    engine_path,
    render,
)
from .words import letter_words, number_words, ticket_words

__all__ = [
    "CHIME_PATH",
    "VOICES",
    "SpeechUnavailable",
    "announcement_text",
    "audio_path",
    "cache_key",
    "chime",
    "engine_path",
    "letter_words",
    "number_words",
    "render",
    "ticket_words",
]
