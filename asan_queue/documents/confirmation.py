"""The A4 booking confirmation: booking code, time and place, QR and the visit rules."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .fonts import BOLD, PDF_LOCK, REGULAR, register_fonts
from .layout import ASCENT, DESCENT, Flow, Layout, paint_pdf, wrap_text
from .qr import qr_matrix

MARGIN = 20 * mm
LABEL_WIDTH = 45 * mm
CODE_HEIGHT = 14 * mm
QR_SIZE = 45 * mm
URL_SIZE = 10


@dataclass(frozen=True)
class ConfirmationLabels:
    """Confirmation captions, already translated; `rules` are whole sentences."""

    title: str
    code: str
    when: str
    where: str
    name: str
    rules: Sequence[str]
    manage_hint: str


@dataclass(frozen=True)
class ConfirmationData:
    """Everything printed on a booking confirmation.

    `qr_payload` is what the QR encodes (the check-in or the manage URL, the caller
    decides); `manage_url` is printed in full for people who cannot scan.
    """

    center_name: str
    center_address: str
    agency_name: str
    service_name: str
    code: str
    starts_at_local: str
    name: str
    manage_url: str
    qr_payload: str
    labels: ConfirmationLabels


def layout_confirmation(data: ConfirmationData, width: float) -> Layout:
    """Compose the confirmation for a content box `width` points wide."""
    labels = data.labels
    flow = Flow(width)
    flow.paragraph(labels.title, size=20, font=BOLD, align="left")
    flow.paragraph(data.center_name, size=12, align="left")
    flow.gap(4)
    flow.rule()
    flow.gap(6)
    flow.paragraph(labels.code, size=11)
    flow.gap(6)
    flow.headline(data.code, glyph_height=CODE_HEIGHT)
    flow.gap(10)
    flow.paragraph(data.service_name, size=13, font=BOLD)
    flow.paragraph(data.agency_name, size=11)
    flow.qr(qr_matrix(data.qr_payload), QR_SIZE)
    flow.detail(labels.when, data.starts_at_local, size=12, label_width=LABEL_WIDTH)
    where = f"{data.center_name}\n{data.center_address}"
    flow.detail(labels.where, where, size=12, label_width=LABEL_WIDTH)
    flow.detail(labels.name, data.name, size=12, label_width=LABEL_WIDTH)
    flow.gap(4)
    flow.rule()
    flow.gap(4)
    flow.bullets(data.labels.rules, size=11, indent=6 * mm)
    flow.gap(8)
    flow.paragraph(labels.manage_hint, size=10, align="left")
    flow.paragraph(data.manage_url, size=URL_SIZE, align="left")
    return flow.layout()


def confirmation_pdf(data: ConfirmationData, font_dir: str | Path) -> bytes:
    """Render the booking confirmation as a one-page A4 PDF.

    Deterministic for equal input. Raises FontMissingError if the DejaVu TTFs are missing.
    """
    register_fonts(font_dir)
    page_width, page_height = A4
    layout = layout_confirmation(data, page_width - 2 * MARGIN)
    # An unusually long list of rules makes the page taller rather than cutting text off.
    page_height = max(page_height, layout.height + 2 * MARGIN)
    buffer = io.BytesIO()
    with PDF_LOCK:
        canvas = Canvas(buffer, pagesize=(page_width, page_height), pageCompression=1, invariant=1)
        canvas.setTitle(f"{data.labels.title} {data.code}")
        paint_pdf(canvas, layout, MARGIN, page_height - MARGIN)
        _link_url_lines(canvas, layout, data.manage_url, MARGIN, page_height - MARGIN)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _link_url_lines(canvas: Canvas, layout: Layout, url: str, left: float, top: float) -> None:
    # The URL is the last paragraph; making its lines clickable helps people who read
    # the PDF on the phone they would otherwise have to scan with.
    url_lines = len(wrap_text(url, REGULAR, URL_SIZE, layout.width))
    for line in layout.text_lines()[-url_lines:]:
        x0 = left + line.left
        y0 = top - line.baseline - DESCENT * line.size
        rect = (x0, y0, x0 + line.width, y0 + (ASCENT + DESCENT) * line.size)
        canvas.linkURL(url, rect, relative=0, thickness=0)
