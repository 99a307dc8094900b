"""The citizen's ticket page /t/<token> (server side; the live part is in the browser test)."""

from __future__ import annotations

import pytest


def issue(client, **extra):
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": "passport", **extra})
    assert res.status_code == 201
    return res.get_json()


def test_page_shows_number_service_status_and_position(client, world):
    issue(client)
    ticket = issue(client, lang="en")
    res = client.get(f"/t/{ticket['token']}")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert ticket["number"] in html
    assert "Service passport" in html  # the kiosk's language follows the citizen
    assert 'id="position" aria-live="polite">2<' in html
    assert "Waiting" in html
    assert res.headers["Cache-Control"] == "no-store"


def test_lang_parameter_switches_the_page_language(client, world):
    ticket = issue(client, lang="en")
    html = client.get(f"/t/{ticket['token']}?lang=ru").get_data(as_text=True)
    assert "Услуга passport" in html
    assert "Отменить талон" in html


@pytest.mark.parametrize("token", ["a" * 43, "nope", "%3Cscript%3E", "a" * 300])
def test_unknown_or_malformed_token_is_a_friendly_404(client, world, token):
    res = client.get(f"/t/{token}", headers={"Accept": "text/html"})
    assert res.status_code == 404
    html = res.get_data(as_text=True)
    assert "Belə bilet yoxdur" in html
    assert "Traceback" not in html
    assert "<script>" not in html
