"""The 80 mm queue receipt: PDF for browsers, 1-bit PNG and ESC/POS for thermal printers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .escpos import escpos_raster
from .fonts import BOLD, PDF_LOCK, register_fonts
from .layout import Flow, Layout, paint_image, paint_pdf
from .qr import qr_matrix

PAGE_WIDTH = 80 * mm
MARGIN = 4 * mm
# 80 mm thermal printers print 72 mm at 203 dpi: 576 dots per line.
PRINTER_DPI = 203
PRINTER_DOTS = 576
PRINTER_MARGIN_DOTS = 8
NUMBER_HEIGHT = 30 * mm
QR_SIZE = 36 * mm


@dataclass(frozen=True)
class ReceiptLabels:
    """Receipt captions, already translated into the citizen's language."""

    title: str
    people_ahead: str
    eta: str
    scan_hint: str
    issued: str
    priority: str = "Priority"
    sms: str = "SMS"


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on a queue receipt; `url` is encoded in the QR."""

    center_name: str
    agency_name: str
    service_name: str
    number: str
    issued_at_local: str
    people_ahead: int
    eta_text: str  # the quoted wait as printed ("10–15 min", or why there is none)
    url: str
    labels: ReceiptLabels
    booked: bool = False
    booked_label: str = ""
    priority_reason: str = ""  # translated, e.g. "Yaşlı vətəndaş (65+)"; empty when none
    phone_masked: str = ""  # e.g. "+994 •••••••67"; empty when no SMS was asked for


def layout_receipt(data: ReceiptData, width: float) -> Layout:
    """Compose the receipt for a content box `width` points wide (fonts must be registered)."""
    labels = data.labels
    flow = Flow(width)
    flow.paragraph(data.center_name, size=11, font=BOLD)
    flow.gap(1)
    flow.paragraph(data.agency_name, size=9)
    flow.rule()
    flow.paragraph(data.service_name, size=12, font=BOLD)
    flow.gap(6)
    flow.paragraph(labels.title, size=9)
    flow.gap(6)
    flow.headline(data.number, glyph_height=NUMBER_HEIGHT)
    flow.gap(12)
    if data.booked and data.booked_label:
        flow.boxed(data.booked_label, size=10, padding=3)
        flow.gap(6)
    if data.priority_reason:
        flow.boxed(f"{labels.priority}: {data.priority_reason}", size=10, padding=3)
        flow.gap(6)
    flow.row(labels.issued, data.issued_at_local, size=9, value_size=9)
    if data.phone_masked:
        flow.row(labels.sms, data.phone_masked, size=9, value_size=9)
    flow.row(labels.people_ahead, str(data.people_ahead), size=10, value_size=13)
    flow.row(labels.eta, str(data.eta_text), size=10, value_size=13)
    flow.rule()
    flow.qr(qr_matrix(data.url), QR_SIZE)
    flow.paragraph(labels.scan_hint, size=9)
    return flow.layout()


def receipt_pdf(data: ReceiptData, font_dir: str | Path) -> bytes:
    """Render the receipt as a one-page PDF 80 mm wide, as tall as its content.

    Deterministic for equal input. Raises FontMissingError if the DejaVu TTFs are missing.
    """
    register_fonts(font_dir)
    layout = layout_receipt(data, PAGE_WIDTH - 2 * MARGIN)
    height = layout.height + 2 * MARGIN
    buffer = io.BytesIO()
    with PDF_LOCK:
        canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, height), pageCompression=1, invariant=1)
        canvas.setTitle(f"{data.labels.title} {data.number}")
        paint_pdf(canvas, layout, MARGIN, height - MARGIN)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def receipt_image(data: ReceiptData, font_dir: str | Path) -> Image.Image:
    """Render the receipt as a 576-dot-wide 1-bit image for 203 dpi thermal printers.

    Raises FontMissingError if the DejaVu TTFs are missing.
    """
    register_fonts(font_dir)
    px_per_pt = PRINTER_DPI / 72
    content_px = PRINTER_DOTS - 2 * PRINTER_MARGIN_DOTS
    layout = layout_receipt(data, content_px / px_per_pt)
    top = round(2 * mm * px_per_pt)
    height = top + round(layout.height * px_per_pt) + top
    image = Image.new("L", (PRINTER_DOTS, height), 255)
    paint_image(image, layout, PRINTER_MARGIN_DOTS, top, px_per_pt, str(font_dir))
    # Threshold rather than dither: dithered text edges print as grey fuzz.
    return image.convert("1", dither=Image.Dither.NONE)


def receipt_png(data: ReceiptData, font_dir: str | Path) -> bytes:
    """Return `receipt_image` as PNG bytes (mode "1", 576 px wide, 203 dpi)."""
    buffer = io.BytesIO()
    # Level 1 is twice as fast as the default and costs only ~2 KB on a 1-bit receipt.
    receipt_image(data, font_dir).save(
        buffer, format="PNG", dpi=(PRINTER_DPI, PRINTER_DPI), compress_level=1
    )
    return buffer.getvalue()


def receipt_escpos(data: ReceiptData, font_dir: str | Path) -> bytes:
    """Return ESC/POS bytes that print the receipt image and cut the paper."""
    return escpos_raster(receipt_image(data, font_dir))
