"""Receipt PDF, thermal PNG and ESC/POS output."""

from __future__ import annotations

import io
import sys
from concurrent.futures import ThreadPoolExecutor

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from reportlab.lib.units import mm

from asan_queue.documents import (
    ReceiptData,
    ReceiptLabels,
    default_font_dir,
    receipt_escpos,
    receipt_image,
    receipt_pdf,
    receipt_png,
)
from asan_queue.documents.fonts import register_fonts
from asan_queue.documents.receipt import MARGIN, PAGE_WIDTH, layout_receipt

FONT_DIR = default_font_dir()
URL = "https://queue.example.az/t/9f3Kq2LmZx81TbVwYc4Rn0"
SERVICE = "Şəxsiyyət vəsiqəsinin verilməsi"
LONG_SERVICE = (
    "Şəxsiyyət vəsiqəsinin verilməsi və dəyişdirilməsi (16 yaşına çatmış vətəndaşlar üçün), "
    "Ölçü, ğ, ı, ü, ç, Azərbaycanrespublikasıvətəndaşınınşəxsiyyətvəsiqəsi"
)
LABELS = ReceiptLabels(
    title="Növbə bileti",
    people_ahead="Sizdən əvvəl",
    eta="Təxmini gözləmə",
    scan_hint="Növbənizi telefonda izləyin",
    issued="Verilmə vaxtı",
)


def make_receipt(**overrides: object) -> ReceiptData:
    fields: dict[str, object] = {
        "center_name": 'Gəncə "ASAN xidmət" mərkəzi',
        "agency_name": "Daxili İşlər Nazirliyi — Ölçü, ğ, ı, ü, ç",
        "service_name": SERVICE,
        "number": "A017",
        "issued_at_local": "29.11.2026 10:42",
        "people_ahead": 5,
        "eta_text": "10–20 dəq",
        "url": URL,
        "labels": LABELS,
    }
    fields.update(overrides)
    return ReceiptData(**fields)  # type: ignore[arg-type]


def page_text(page: pdfium.PdfPage) -> str:
    return " ".join(page.get_textpage().get_text_range().split())


def decode_qr(image: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.fixture(scope="module")
def pdf_page() -> pdfium.PdfPage:
    document = pdfium.PdfDocument(receipt_pdf(make_receipt(), FONT_DIR))
    assert len(document) == 1
    return document[0]


def test_pdf_page_is_80_mm_wide_and_fitted_to_content(pdf_page: pdfium.PdfPage) -> None:
    width, height = pdf_page.get_size()
    assert width == pytest.approx(80 * mm, abs=0.5)
    assert 110 * mm < height < 160 * mm


def test_pdf_text_keeps_azerbaijani_letters(pdf_page: pdfium.PdfPage) -> None:
    text = page_text(pdf_page)
    for expected in (
        "A017",
        SERVICE,
        'Gəncə "ASAN xidmət" mərkəzi',
        "Ölçü, ğ, ı, ü, ç",
        "Sizdən əvvəl 5",
        "Təxmini gözləmə 10–20 dəq",
        "Verilmə vaxtı 29.11.2026 10:42",
        "Növbənizi telefonda izləyin",
    ):
        assert expected in text


def test_pdf_embeds_the_truetype_font() -> None:
    pdf = receipt_pdf(make_receipt(), FONT_DIR)
    assert b"/FontFile2" in pdf
    assert b"DejaVuSans" in pdf


def test_pdf_is_deterministic() -> None:
    assert receipt_pdf(make_receipt(), FONT_DIR) == receipt_pdf(make_receipt(), FONT_DIR)


def test_pdf_number_glyphs_are_about_30_mm_tall(pdf_page: pdfium.PdfPage) -> None:
    textpage = pdf_page.get_textpage()
    start = textpage.get_text_range().index("A017")
    boxes = [textpage.get_charbox(index) for index in range(start, start + 4)]
    tallest = max(top - bottom for _left, bottom, _right, top in boxes)
    assert 28 * mm <= tallest <= 34 * mm
    assert all(
        left >= MARGIN - 1 and right <= PAGE_WIDTH - MARGIN + 1
        for left, _bottom, right, _top in boxes
    )


def test_pdf_qr_decodes_to_the_ticket_url(pdf_page: pdfium.PdfPage) -> None:
    image = pdf_page.render(scale=300 / 72).to_pil()
    assert decode_qr(image) == [URL]


def test_long_texts_wrap_inside_the_margins() -> None:
    data = make_receipt(service_name=LONG_SERVICE, center_name=LONG_SERVICE)
    page = pdfium.PdfDocument(receipt_pdf(data, FONT_DIR))[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    boxes = [textpage.get_charbox(i) for i, char in enumerate(text) if not char.isspace()]
    assert len(boxes) > 2 * len(LONG_SERVICE)
    assert min(left for left, *_ in boxes) >= MARGIN - 1
    assert max(right for _l, _b, right, _t in boxes) <= PAGE_WIDTH - MARGIN + 1
    assert "Ölçü, ğ, ı, ü, ç" in page_text(page)


def test_layout_lines_fit_the_content_width() -> None:
    register_fonts(FONT_DIR)
    width = PAGE_WIDTH - 2 * MARGIN
    layout = layout_receipt(make_receipt(service_name=LONG_SERVICE), width)
    service_lines = [line for line in layout.text_lines() if line.size == 12]
    assert len(service_lines) >= 4
    for line in layout.text_lines():
        assert line.left >= -0.01
        assert line.left + line.width <= width + 0.01


def test_long_number_is_condensed_to_fit() -> None:
    register_fonts(FONT_DIR)
    width = PAGE_WIDTH - 2 * MARGIN
    layout = layout_receipt(make_receipt(number="AB1234"), width)
    (number,) = [line for line in layout.text_lines() if line.text == "AB1234"]
    assert number.hscale < 1
    assert number.width <= width + 0.01


def test_booked_label_is_printed_only_when_booked() -> None:
    booked = make_receipt(booked=True, booked_label="Qabaqcadan yazılış")
    not_booked = make_receipt(booked=False, booked_label="Qabaqcadan yazılış")
    assert "Qabaqcadan yazılış" in page_text(pdfium.PdfDocument(receipt_pdf(booked, FONT_DIR))[0])
    text = page_text(pdfium.PdfDocument(receipt_pdf(not_booked, FONT_DIR))[0])
    assert "Qabaqcadan" not in text


def test_png_is_576_dots_1_bit_and_its_qr_decodes() -> None:
    image = Image.open(io.BytesIO(receipt_png(make_receipt(), FONT_DIR)))
    assert image.format == "PNG"
    assert image.mode == "1"
    assert image.width == 576
    assert 900 < image.height < 1300
    assert decode_qr(image.convert("L")) == [URL]


def test_escpos_is_the_png_bitmap_in_gs_v_0_bands_then_a_cut() -> None:
    data = make_receipt()
    stream = receipt_escpos(data, FONT_DIR)
    image = receipt_image(data, FONT_DIR)
    assert stream.startswith(b"\x1b@")
    assert stream.endswith(b"\x1dVB\x00")
    bitmap, offset = bytearray(), 2
    while stream.startswith(b"\x1dv0\x00", offset):
        row_bytes = int.from_bytes(stream[offset + 4 : offset + 6], "little")
        rows = int.from_bytes(stream[offset + 6 : offset + 8], "little")
        assert row_bytes == 72
        bitmap += stream[offset + 8 : offset + 8 + row_bytes * rows]
        offset += 8 + row_bytes * rows
    assert len(bitmap) == 72 * image.height
    # ESC/POS sets a bit for black, PIL's "1" packing for white.
    assert bytes(bitmap) == bytes(255 - value for value in image.tobytes())


def test_pdfs_built_in_parallel_threads_match_serial_ones() -> None:
    # reportlab's shared TTF subset state broke concurrent renders (KeyError, wrong glyphs).
    receipts = [
        make_receipt(number=f"A{index:03d}", service_name=SERVICE + " əğıöüçş"[: index % 8])
        for index in range(64)
    ]
    serial = [receipt_pdf(data, FONT_DIR) for data in receipts]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            parallel = list(pool.map(lambda data: receipt_pdf(data, FONT_DIR), receipts))
    finally:
        sys.setswitchinterval(interval)
    assert parallel == serial
