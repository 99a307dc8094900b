"""Announcements served as audio: real speech from espeak-ng (measured), cached per text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from asan_queue import speech
from tests.speech.audio import measure

LANGS = ("az", "ru", "en")


@pytest.fixture(autouse=True)
def _engine(app: Any, tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        msg = "espeak-ng is not installed; `make test` installs Debian's espeak-ng"
        if os.environ.get("CI") == "true":
            pytest.fail(msg, pytrace=False)
        pytest.skip(f"!!! SKIPPED: {msg}")
    app.config["SPEECH_CACHE_DIR"] = str(tmp_path / "speech")


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_is_spoken_audibly_and_at_a_plausible_length(client: Any, lang: str) -> None:
    res = client.get(f"/speech/{lang}/B017/5.wav")
    assert res.status_code == 200
    assert res.mimetype == "audio/wav"
    heard = measure(res.data)
    # "be on yeddi nömrəli bilet, beş nömrəli masaya yaxınlaşın" and its ru/en versions:
    # a few seconds of speech, not a beep, not silence, not a minute of noise.
    assert 2.0 < heard.seconds < 8.0, heard
    assert heard.rms > 1500, heard
    assert heard.voiced > 0.5, heard


def test_longer_numbers_take_longer_to_say(client: Any) -> None:
    short = measure(client.get("/speech/ru/B001/1.wav").data)
    long = measure(client.get("/speech/ru/B777/18.wav").data)
    assert long.seconds > short.seconds + 0.5


def test_chime_is_a_short_audible_sound(client: Any) -> None:
    res = client.get("/speech/chime.wav")
    assert res.status_code == 200
    heard = measure(res.data)
    assert 1.0 < heard.seconds < 2.0
    assert heard.rms > 1500


def test_rendered_once_per_text_keyed_by_a_hash_of_voice_and_text(
    app: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get("/speech/az/C003/2.wav")
    cache = Path(app.config["SPEECH_CACHE_DIR"])
    text = speech.announcement_text("az", "C003", 2)
    key = speech.cache_key(speech.VOICES["az"], text)
    assert [p.name for p in cache.iterdir()] == [f"{key}.wav"]
    # The engine is not run again for the same text: take it away and the file still comes.
    monkeypatch.setattr("asan_queue.speech.engine.engine_path", lambda: None)
    again = client.get("/speech/az/C003/2.wav")
    assert again.status_code == 200 and again.data == first.data
    # A browser that has it revalidates with the ETag and gets a 304.
    assert (
        client.get(
            "/speech/az/C003/2.wav", headers={"If-None-Match": again.headers["ETag"]}
        ).status_code
        == 304
    )
    # Another text has no file yet and cannot be rendered without the engine: a clear 503.
    missing = client.get("/speech/az/C004/2.wav", headers={"Accept": "application/json"})
    assert missing.status_code == 503
    assert missing.get_json()["error"]["code"] == "speech_unavailable"


@pytest.mark.parametrize(
    "path",
    [
        "/speech/de/B001/1.wav",
        "/speech/az/b001/1.wav",
        "/speech/az/B/1.wav",
        "/speech/az/B001/0.wav",
        "/speech/az/B001/100000.wav",
        "/speech/az/..%2Fetc/1.wav",
    ],
)
def test_anything_but_a_real_call_is_a_404(client: Any, path: str) -> None:
    res = client.get(path, headers={"Accept": "application/json"})
    assert res.status_code == 404
    body = res.get_json(silent=True)  # a path Flask cannot route is its plain 404 page
    assert body["error"]["code"] in ("announcement_not_found", "not_found")


def test_a_call_event_links_to_the_chime_and_each_language(
    world: Any, app: Any, client: Any
) -> None:
    from asan_queue.extensions import socketio
    from tests.factories import token_for

    headers = token_for(client, "op1")
    counter = world.counters[2]
    client.post(f"/api/v1/counters/{counter.id}/open", headers=headers)
    client.post("/api/v1/centers/test-1/tickets", json={"service": "passport"})
    hall = socketio.test_client(app, flask_test_client=app.test_client())
    assert hall.emit("subscribe", {"center": "test-1"}, callback=True)["ok"]
    hall.get_received()
    client.post(f"/api/v1/counters/{counter.id}/call-next", headers=headers)
    (call,) = [m["args"][0] for m in hall.get_received() if m["name"] == "ticket_called"]
    hall.disconnect()
    # The texts stay (the contract only grows); the audio of the same call is linked beside.
    assert set(call["announcement"]) == set(LANGS)
    assert list(call["audio"]) == call["languages"] == list(LANGS)
    assert measure(client.get(call["chime"]).data).seconds > 1.0
    for lang in LANGS:
        url = call["audio"][lang]
        assert url == f"/speech/{lang}/{call['number']}/3.wav"
        assert measure(client.get(url).data).voiced > 0.5
