"""Receipt rendering speed: our merged-rect QR against reportlab's QrCodeWidget.

Run from the repository root: `.venv/bin/python bench/bench_receipt.py [N]`.
Single-threaded; every timed receipt gets its own URL so the QR cache never helps.
Prints figures only.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asan_queue.documents import (  # noqa: E402
    ReceiptData,
    ReceiptLabels,
    default_font_dir,
    receipt_escpos,
    receipt_pdf,
    receipt_png,
    register_fonts,
)
from asan_queue.documents.layout import Layout, QrItem, paint_pdf  # noqa: E402
from asan_queue.documents.receipt import MARGIN, PAGE_WIDTH, layout_receipt  # noqa: E402

FONT_DIR = default_font_dir()
LABELS = ReceiptLabels(
    title="Növbə bileti",
    people_ahead="Sizdən əvvəl",
    eta="Təxmini gözləmə",
    scan_hint="Növbənizi telefonda izləyin",
    issued="Verilmə vaxtı",
)


def receipt(index: int, variant: str = "w") -> ReceiptData:
    return ReceiptData(
        center_name='Gəncə "ASAN xidmət" mərkəzi',
        agency_name="Daxili İşlər Nazirliyi",
        service_name="Şəxsiyyət vəsiqəsinin verilməsi",
        number=f"A{index % 1000:03d}",
        issued_at_local="29.11.2026 10:42",
        people_ahead=index % 40,
        eta_text=f"{index % 90}–{index % 90 + 10} dəq",
        url=f"https://queue.asan.az/t/{variant}{index:07d}Kq2LmZx81TbVwYc4Rn0",
        labels=LABELS,
    )


def naive_receipt_pdf(data: ReceiptData, font_dir: Path) -> bytes:
    """The same receipt with the QR drawn by reportlab's own widget (encoder included)."""
    register_fonts(font_dir)
    # Lay out with a cached URL of the same length so that only the widget encodes.
    layout = layout_receipt(replace(data, url=receipt(0).url), PAGE_WIDTH - 2 * MARGIN)
    height = layout.height + 2 * MARGIN
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, height), pageCompression=1, invariant=1)
    others = tuple(item for item in layout.items if not isinstance(item, QrItem))
    paint_pdf(canvas, Layout(layout.width, layout.height, others), MARGIN, height - MARGIN)
    for item in layout.items:
        if isinstance(item, QrItem):
            widget = QrCodeWidget(data.url, barLevel="M", barBorder=0)
            x0, y0, x1, y1 = widget.getBounds()
            drawing = Drawing(
                item.size,
                item.size,
                transform=[item.size / (x1 - x0), 0, 0, item.size / (y1 - y0), 0, 0],
            )
            drawing.add(widget)
            renderPDF.draw(drawing, canvas, MARGIN + item.x, height - MARGIN - item.y - item.size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(
    name: str, variant: str, render: Callable[[ReceiptData, Path], bytes], count: int
) -> None:
    render(receipt(0), FONT_DIR)  # warm up fonts and imports outside the timing
    samples = []
    sizes = 0
    for index in range(count):
        data = receipt(index, variant)
        start = time.perf_counter()
        sizes += len(render(data, FONT_DIR))
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    mean = statistics.fmean(samples)
    p99 = samples[min(len(samples) - 1, round(0.99 * len(samples)) - 1)]
    print(
        f"{name:<28} mean {mean:6.2f} ms   p50 {samples[len(samples) // 2]:6.2f} ms   "
        f"p99 {p99:6.2f} ms   {1000 / mean:6.0f} receipts/s   {sizes / count / 1024:5.1f} KiB"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"{count} receipts per variant, one thread, unique URL each")
    measure("PDF, merged-rect QR", "p", receipt_pdf, count)
    measure("PDF, reportlab QrCodeWidget", "n", naive_receipt_pdf, count)
    measure("PNG 576 dots, 1-bit", "i", receipt_png, count)
    measure("ESC/POS raster", "e", receipt_escpos, count)


if __name__ == "__main__":
    main()
