"""GET /api/v1/tickets/<token>/receipt.pdf|png|escpos: content, QR, caching, errors."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from asan_queue.web.api.documents import cache
from tests.factories import token_for

MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def issue(client, service="passport", **extra):
    res = client.post("/api/v1/centers/test-1/tickets", json={"service": service, **extra})
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def pdf_page(data: bytes):
    return pdfium.PdfDocument(data)[0]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_page(data).get_textpage().get_text_range().split())


def decode_pdf_qr(data: bytes) -> list[str]:
    image = pdf_page(data).render(scale=4).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_pdf_is_80mm_and_shows_the_ticket_in_its_language(client, world):
    ticket = issue(client, lang="az")
    res = client.get(ticket["links"]["receipt_pdf"])
    assert res.status_code == 200
    assert res.mimetype == "application/pdf"
    width, height = pdf_page(res.data).get_size()
    assert width == pytest.approx(80 * MM, abs=0.5)
    assert 80 * MM < height < 250 * MM
    assert 5_000 < len(res.data) < 150_000
    text = pdf_text(res.data)
    assert ticket["number"] in text
    assert "Xidmət passport əğıöüçş" in text  # Azerbaijani letters come out as text
    assert "Test mərkəzi" in text
    assert "Sizdən əvvəl" in text


def test_pdf_labels_follow_the_ticket_language(client, world):
    ticket = issue(client, lang="ru")
    text = pdf_text(client.get(ticket["links"]["receipt_pdf"]).data)
    assert "Услуга passport" in text
    assert "Перед вами" in text
    assert "Sizdən əvvəl" not in text


def test_pdf_qr_decodes_to_the_absolute_ticket_page_url(client, world):
    ticket = issue(client)
    data = client.get(ticket["links"]["receipt_pdf"]).data
    assert decode_pdf_qr(data) == [f"http://localhost/t/{ticket['token']}"]


def test_qr_base_comes_from_public_url_when_configured(app, client, world):
    app.config["PUBLIC_URL"] = "https://queue.asan.example/"
    ticket = issue(client)
    data = client.get(ticket["links"]["receipt_pdf"]).data
    assert decode_pdf_qr(data) == [f"https://queue.asan.example/t/{ticket['token']}"]


def test_png_is_576_dots_monochrome_and_its_qr_decodes(client, world):
    ticket = issue(client)
    res = client.get(ticket["links"]["receipt_png"])
    assert res.status_code == 200
    assert res.mimetype == "image/png"
    image = Image.open(io.BytesIO(res.data))
    assert image.width == 576
    assert image.mode == "1"
    decoded = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert decoded == [f"http://localhost/t/{ticket['token']}"]


def test_escpos_is_a_raster_print_job(client, world):
    ticket = issue(client)
    res = client.get(f"/api/v1/tickets/{ticket['token']}/receipt.escpos")
    assert res.status_code == 200
    assert res.mimetype == "application/octet-stream"
    assert res.data.startswith(b"\x1b@")  # ESC @: initialise the printer
    assert b"\x1dv0" in res.data  # GS v 0: raster bit image


def test_receipt_is_cacheable_forever_and_answers_304(client, world):
    ticket = issue(client)
    url = ticket["links"]["receipt_pdf"]
    first = client.get(url)
    assert "immutable" in first.headers["Cache-Control"]
    assert "max-age=31536000" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get(url).data == first.data
    assert cache.hits >= 2 and cache.misses == 1


def test_receipt_shows_the_queue_at_issue_time_even_after_it_moves(client, world, clock):
    issue(client)
    clock.advance(minutes=1)
    second = issue(client)
    before = pdf_text(client.get(second["links"]["receipt_pdf"]).data)
    assert "Sizdən əvvəl 1" in before
    headers = token_for(client, "op1")
    counter = world.counters[0].id
    assert client.post(f"/api/v1/counters/{counter}/open", headers=headers).status_code == 200
    clock.advance(minutes=1)
    assert client.post(f"/api/v1/counters/{counter}/call-next", headers=headers).status_code == 200
    assert "Sizdən əvvəl 1" in before
    assert client.get(second["links"]["status"]).get_json()["people_ahead"] == 0
    cache.clear()  # a restarted process must print the very same receipt
    after = client.get(second["links"]["receipt_pdf"]).data
    assert pdf_text(after) == before


def test_priority_receipt_counts_only_priority_tickets_ahead(client, world):
    issue(client)
    issue(client)
    vip = issue(client, priority="elderly")
    assert vip["people_ahead"] == 0
    assert "Sizdən əvvəl 0" in pdf_text(client.get(vip["links"]["receipt_pdf"]).data)


@pytest.mark.parametrize("kind", ["pdf", "png", "escpos"])
@pytest.mark.parametrize("token", ["x", "a" * 43, "bad token!", "a" * 200])
def test_unknown_or_malformed_token_is_a_json_404(client, world, kind, token):
    res = client.get(f"/api/v1/tickets/{token}/receipt.{kind}")
    assert res.status_code == 404
    assert res.get_json()["error"]["code"] in ("ticket_not_found", "not_found")


def test_openapi_lists_the_receipt_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for kind, mimetype in [("pdf", "application/pdf"), ("png", "image/png")]:
        op = paths[f"/tickets/{{token}}/receipt.{kind}"]["get"]
        assert mimetype in op["responses"]["200"]["content"]
        assert "404" in op["responses"]
