"""QR matrix merging and drawing."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import qrcode
import zxingcpp
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

from asan_queue.documents import qr_matrix, qr_png_image
from asan_queue.documents.qr import QUIET_ZONE, draw_qr_pdf

PAYLOAD = "https://queue.example.az/t/9f3Kq2LmZx81TbVwYc4Rn0"


def reference_modules(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def test_rects_cover_exactly_the_dark_modules_without_overlap() -> None:
    matrix = qr_matrix(PAYLOAD)
    reference = reference_modules(PAYLOAD)
    assert matrix.size == len(reference)
    painted = [[0] * matrix.size for _ in range(matrix.size)]
    for col, row, width, height in matrix.rects:
        for y in range(row, row + height):
            for x in range(col, col + width):
                painted[y][x] += 1
    assert painted == [[int(cell) for cell in row] for row in reference]
    dark = sum(map(sum, painted))
    # Merging is the point: far fewer rects than modules.
    assert len(matrix.rects) < dark / 2


def test_png_image_decodes_and_has_the_quiet_zone() -> None:
    image = qr_png_image(PAYLOAD, module_px=4)
    matrix = qr_matrix(PAYLOAD)
    assert image.mode == "1"
    assert image.size == ((matrix.size + 2 * QUIET_ZONE) * 4,) * 2
    assert image.getpixel((QUIET_ZONE * 4 - 1, QUIET_ZONE * 4 - 1)) == 255
    assert image.getpixel((QUIET_ZONE * 4, QUIET_ZONE * 4)) == 0
    assert [b.text for b in zxingcpp.read_barcodes(image.convert("L"))] == [PAYLOAD]


def test_pdf_drawing_decodes_at_low_resolution() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200), invariant=1)
    draw_qr_pdf(canvas, qr_matrix(PAYLOAD), 40, 160, 120)
    canvas.showPage()
    canvas.save()
    # ~3.7 px per module, not a whole number: no seams may appear between merged rects.
    image = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=1.0).to_pil()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [PAYLOAD]
