"""A production install from nothing, on an empty PostgreSQL database: migrate, create the
first admin from the command line, import a catalogue file, serve (ASAN_ENV=production).
The kiosk shows exactly the imported services; re-importing a changed file updates it; demo
data is never loaded."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from tests.conftest import pg_database_url
from tests.live import start_server

ROOT = Path(__file__).resolve().parents[2]

CATALOG: dict[str, Any] = {
    "agencies": [
        {"code": "DIN", "name": {"az": "Daxili İşlər Nazirliyi", "en": "Ministry of Interior"}},
        {"code": "VRG", "name": {"az": "Vergi Xidməti", "en": "Tax Service"}},
    ],
    "centers": [
        {
            "slug": "sumqayit-1",
            "name": {"az": "Sumqayıt ASAN xidmət", "en": "Sumgait ASAN Center"},
            "timezone": "Asia/Baku",
            "hours": {
                day: [{"opens": "08:00", "closes": "13:00"}, {"opens": "14:00", "closes": "20:00"}]
                for day in ("mon", "tue", "wed", "thu", "fri")
            },
            "closed_days": [{"day": "2027-01-01", "reason": {"az": "Yeni il"}}],
            "services": [
                {
                    "code": "id-card",
                    "agency": "DIN",
                    "prefix": "A",
                    "name": {"az": "Şəxsiyyət vəsiqəsi", "en": "Identity card"},
                },
                {
                    "code": "passport",
                    "agency": "DIN",
                    "prefix": "B",
                    "name": {"az": "Pasport", "en": "Passport"},
                    "bookable": True,
                },
                {
                    "code": "tax-id",
                    "agency": "VRG",
                    "prefix": "C",
                    "name": {"az": "VÖEN", "en": "Tax ID"},
                },
            ],
            "counters": [
                {"number": 1, "services": ["id-card", "passport"]},
                {"number": 2, "services": ["tax-id"]},
            ],
        }
    ],
}


def _flask(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env={**os.environ, "FLASK_APP": "wsgi", **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _kiosk_services(url: str, slug: str) -> dict[str, str]:
    detail = requests.get(f"{url}/api/v1/centers/{slug}", timeout=10).json()
    return {s["code"]: s["name"]["en"] for s in detail["services"]}


def test_a_production_install_from_an_empty_database(tmp_path: Path) -> None:
    env = {
        "ASAN_DATABASE_URL": pg_database_url("install", fresh=True),
        "ASAN_ENV": "production",
        "ASAN_SECRET_KEY": secrets.token_urlsafe(48),
    }
    up = _flask(env, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    made = _flask(env, "users", "create", "chief", "--role", "admin", stdin="Hall-keeper-2027\n")
    assert made.returncode == 0, made.stderr
    refused = _flask(env, "seed-demo")
    assert refused.returncode != 0 and "never loaded" in refused.stderr
    path = tmp_path / "sumqayit.json"
    path.write_text(json.dumps(CATALOG, ensure_ascii=False), "utf-8")
    imported = _flask(env, "catalog", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "imported sumqayit-1" in imported.stdout

    server = start_server(tmp_path / "server", env=env)
    try:
        centers = requests.get(f"{server.url}/api/v1/centers", timeout=10).json()
        assert [c["slug"] for c in centers["items"]] == ["sumqayit-1"]  # no demo center
        assert _kiosk_services(server.url, "sumqayit-1") == {
            "id-card": "Identity card",
            "passport": "Passport",
            "tax-id": "Tax ID",
        }
        assert requests.get(f"{server.url}/kiosk/sumqayit-1", timeout=10).status_code == 200
        assert requests.get(f"{server.url}/kiosk/baku-1", timeout=10).status_code == 404
        # Nobody but the admin created here exists: no demo accounts.
        demo = {"username": "admin", "password": "demo"}
        assert (
            requests.post(f"{server.url}/api/v1/auth/token", json=demo, timeout=10).status_code
            == 401
        )
        chief = {"username": "chief", "password": "Hall-keeper-2027"}
        assert (
            requests.post(f"{server.url}/api/v1/auth/token", json=chief, timeout=10).status_code
            == 201
        )

        changed = json.loads(json.dumps(CATALOG))
        services = changed["centers"][0]["services"]
        services[0]["name"]["en"] = "Identity card (new design)"
        services.pop(2)  # tax-id withdrawn: deactivated, not deleted
        services.append(
            {
                "code": "residence",
                "agency": "DIN",
                "prefix": "D",
                "name": {"az": "Qeydiyyat", "en": "Residence registration"},
            }
        )
        changed["centers"][0]["counters"][1]["services"] = ["residence"]
        path.write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
        again = _flask(env, "catalog", "import", str(path))
        assert again.returncode == 0, again.stderr
        assert "deactivated sumqayit-1/tax-id" in again.stdout
        assert _kiosk_services(server.url, "sumqayit-1") == {
            "id-card": "Identity card (new design)",
            "passport": "Passport",
            "residence": "Residence registration",
        }
        same = _flask(env, "catalog", "import", str(path))
        assert "0 change(s)" in same.stdout
        assert "demo data" not in server.log().lower().replace("no demo data", "")
    finally:
        server.stop()
