"""Booking confirmation PDF."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from reportlab.lib.pagesizes import A4

from asan_queue.documents import (
    ConfirmationData,
    ConfirmationLabels,
    confirmation_pdf,
    default_font_dir,
)
from asan_queue.documents.confirmation import MARGIN

FONT_DIR = default_font_dir()
MANAGE_URL = "https://queue.example.az/book/manage/Zk81bQxW3nP0aLr9"
CHECKIN_URL = "https://queue.example.az/checkin/Zk81bQxW3nP0aLr9"
RULES = [
    "Vaxtdan 30 dəqiqə əvvəl gəlməyin; 10 dəqiqədən çox gecikdikdə qəbul ləğv olunur, "
    "yeni növbə götürməli olacaqsınız və bu cümlə bir sətirdən uzundur.",
    "Şəxsiyyət vəsiqənizi və tələb olunan sənədləri götürün.",
]


def make_confirmation(**overrides: object) -> ConfirmationData:
    labels = ConfirmationLabels(
        title="Qəbul təsdiqi",
        code="Qəbul kodu",
        when="Vaxt",
        where="Ünvan",
        name="Ad, soyad",
        rules=RULES,
        manage_hint="Qəbulu ləğv etmək və ya vaxtı dəyişmək üçün:",
    )
    fields: dict[str, object] = {
        "center_name": 'Gəncə "ASAN xidmət" mərkəzi',
        "center_address": "Gəncə şəhəri, Atatürk prospekti 1",
        "agency_name": "Daxili İşlər Nazirliyi",
        "service_name": "Şəxsiyyət vəsiqəsinin verilməsi",
        "code": "K7M-4QX",
        "starts_at_local": "03.12.2026, 10:30",
        "name": "Əliyev Həsən Ömər oğlu",
        "manage_url": MANAGE_URL,
        "qr_payload": CHECKIN_URL,
        "labels": labels,
    }
    fields.update(overrides)
    return ConfirmationData(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return confirmation_pdf(make_confirmation(), FONT_DIR)


def test_is_one_a4_page_with_the_code_and_details(pdf: bytes) -> None:
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    assert page.get_size() == pytest.approx(A4, abs=0.5)
    text = " ".join(page.get_textpage().get_text_range().split())
    for expected in (
        "K7M-4QX",
        "Əliyev Həsən Ömər oğlu",
        "Şəxsiyyət vəsiqəsinin verilməsi",
        "Gəncə şəhəri, Atatürk prospekti 1",
        "03.12.2026, 10:30",
        "Şəxsiyyət vəsiqənizi və tələb olunan sənədləri götürün.",
        MANAGE_URL,
    ):
        assert expected in text
    assert b"/FontFile2" in pdf


def test_qr_encodes_the_given_payload(pdf: bytes) -> None:
    image = pdfium.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [CHECKIN_URL]


def test_manage_url_is_a_link(pdf: bytes) -> None:
    assert b"/URI" in pdf
    assert MANAGE_URL.encode() in pdf


def test_rules_wrap_inside_the_margins(pdf: bytes) -> None:
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    boxes = [textpage.get_charbox(i) for i, char in enumerate(text) if not char.isspace()]
    width, _height = page.get_size()
    assert min(left for left, *_ in boxes) >= MARGIN - 1
    assert max(right for _l, _b, right, _t in boxes) <= width - MARGIN + 1


def test_many_rules_grow_the_page_instead_of_cutting_them(pdf: bytes) -> None:
    rules = [f"Qayda {index}: uzun bir sətir, ə ğ ı ö ü ç ş." for index in range(80)]
    data = make_confirmation()
    labels = data.labels.__class__(**{**data.labels.__dict__, "rules": rules})
    document = pdfium.PdfDocument(confirmation_pdf(make_confirmation(labels=labels), FONT_DIR))
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert "Qayda 79:" in text
    assert page.get_size()[1] > A4[1]
