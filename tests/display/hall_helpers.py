"""Driving the live demo server's counters for the hall browser tests."""

from __future__ import annotations

from typing import Any

import requests

CENTER = "baku-1"

# Every media element's playback, recorded in the page (not by the app): which file, when it
# started playing and when its `ended` fired. Played at 4x so a burst takes seconds, not a
# minute; `ended` still fires only when the whole file has been played.
MEDIA_LOG = """
window.mediaLog = [];
let clips = 0;
const realPlay = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  this.playbackRate = 4;
  if (!this.__clip) {
    this.__clip = ++clips;
    const log = (event) => window.mediaLog.push({
      clip: this.__clip, src: this.currentSrc, event, t: performance.now(),
      duration: this.duration,
    });
    this.addEventListener("playing", () => log("playing"));
    this.addEventListener("ended", () => log("ended"));
  }
  return realPlay.call(this);
};
"""


class Hall:
    """The demo center's counters, worked through the public API as operators would."""

    def __init__(self, server: Any) -> None:
        self.server = server
        center = requests.get(f"{server.url}/api/v1/centers/{CENTER}", timeout=10).json()
        self.counters = {c["number"]: c for c in center["counters"]}
        self.services = {s["code"]: s for s in center["services"]}
        self._headers: dict[int, dict[str, str]] = {}

    def headers(self, number: int) -> dict[str, str]:
        if number not in self._headers:
            self._headers[number] = self.server.token(f"operator{number}")
        return self._headers[number]

    def act(self, number: int, action: str, body: dict[str, Any] | None = None) -> Any:
        counter = self.counters[number]
        return requests.post(
            f"{self.server.url}/api/v1/counters/{counter['id']}/{action}",
            json=body or {},
            headers=self.headers(number),
            timeout=10,
        )

    def issue(self, service: str) -> dict[str, Any]:
        res = requests.post(
            f"{self.server.url}/api/v1/centers/{CENTER}/tickets",
            json={"service": service},
            timeout=10,
        )
        assert res.status_code == 201, res.text
        return dict(res.json())

    def call_own(self, number: int) -> dict[str, Any]:
        """Open counter `number`, give it a ticket of its own service and call it."""
        service = self.counters[number]["services"][0]
        self.act(number, "open")
        self.issue(service)
        res = self.act(number, "call-next")
        assert res.status_code == 200, res.text
        return dict(res.json())
