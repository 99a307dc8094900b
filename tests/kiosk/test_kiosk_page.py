"""The kiosk's files are served at /kiosk/<center> and /kiosk/static/."""

from __future__ import annotations


def test_kiosk_page_is_served_for_a_known_center(client, world):
    res = client.get("/kiosk/test-1")
    assert res.status_code == 200
    assert b'src="/kiosk/static/app.js"' in res.data
    assert res.headers["Cache-Control"] == "no-cache"


def test_unknown_center_is_a_friendly_404(client, world):
    res = client.get("/kiosk/no-such-center")
    assert res.status_code == 404
    assert b"Traceback" not in res.data
    assert b"<html" in res.data


def test_kiosk_modules_and_print_page_are_served(client):
    for name in ("app.js", "api.js", "views.js", "booking.js", "qr.js", "print.js", "kiosk.css"):
        assert client.get(f"/kiosk/static/{name}").status_code == 200, name
    page = client.get("/kiosk/static/print.html").data
    assert b'href="/kiosk/static/print.css"' in page and b"<style" not in page
    assert b"@page { size: 80mm auto; margin: 0 }" in client.get("/kiosk/static/print.css").data


def test_kiosk_strings_exist_in_every_language(client):
    catalogs = {lang: client.get(f"/i18n/{lang}.json").get_json() for lang in ("az", "ru", "en")}
    # (plural forms differ per language: tests/i18n checks those)
    keys = [
        k
        for k in catalogs["az"]
        if k.startswith(("kiosk.", "receipt.", "track.", "hours."))
        and not k.endswith((".one", ".few", ".many", ".other"))
    ]
    assert len(keys) > 60
    for lang in ("ru", "en"):
        missing = [k for k in keys if k not in catalogs[lang]]
        assert not missing, (lang, missing)
        same = [k for k in keys if catalogs[lang][k] == catalogs["az"][k] and "{" not in k]
        assert len(same) < 5, (lang, same)  # really translated, not copied
