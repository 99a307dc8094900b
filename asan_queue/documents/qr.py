"""QR codes computed once with `qrcode`, drawn as merged rectangles (PDF) or pixels (PNG).

reportlab's QrCodeWidget encodes in slow pure Python and emits one rectangle per dark
module; a receipt QR has about 600 of them. Here the matrix comes from `qrcode` and each
horizontal run of dark modules becomes one rectangle, and runs repeated on the next rows
are stacked into one taller rectangle, so a typical receipt QR is ~230 rectangles
in a single filled path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

# ISO/IEC 18004 asks for a 4-module light margin around the symbol.
QUIET_ZONE = 4


@dataclass(frozen=True)
class QrMatrix:
    """The dark modules of a QR symbol, without the quiet zone.

    `rects` holds (column, row, width, height) in modules, row 0 at the top: the dark
    runs merged horizontally, then stacked vertically where the same run repeats.
    """

    size: int
    rects: tuple[tuple[int, int, int, int], ...]

    @property
    def size_with_quiet_zone(self) -> int:
        """Modules across, counting the quiet zone on both sides."""
        return self.size + 2 * QUIET_ZONE


@lru_cache(maxsize=512)
def qr_matrix(payload: str) -> QrMatrix:
    """Encode `payload` (error correction M, smallest fitting version) as merged rects.

    Cached: the kiosk fetches a ticket's PNG and the phone its PDF, and choosing the mask
    (8 trial encodings) is the most expensive step of a receipt.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    modules: list[list[bool]] = code.get_matrix()
    return QrMatrix(size=len(modules), rects=_merge_runs(modules))


def _merge_runs(modules: list[list[bool]]) -> tuple[tuple[int, int, int, int], ...]:
    # open_runs maps (column, width) of a run seen on the previous row to the index of the
    # rectangle it belongs to, so that the same run on this row just makes it taller.
    rects: list[list[int]] = []
    open_runs: dict[tuple[int, int], int] = {}
    for row, cells in enumerate(modules):
        current: dict[tuple[int, int], int] = {}
        col, n = 0, len(cells)
        while col < n:
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < n and cells[col]:
                col += 1
            run = (start, col - start)
            index = open_runs.get(run)
            if index is None:
                index = len(rects)
                rects.append([start, row, col - start, 1])
            else:
                rects[index][3] += 1
            current[run] = index
        open_runs = current
    return tuple((c, r, w, h) for c, r, w, h in rects)


def draw_qr_pdf(canvas: Canvas, matrix: QrMatrix, x: float, y_top: float, size: float) -> None:
    """Draw the symbol (without quiet zone) as one filled path.

    `x`, `y_top` are the top-left corner in points and `size` the symbol width in points;
    the caller leaves the quiet zone free around it.
    """
    module = size / matrix.size
    canvas.saveState()
    # Working in module units keeps every coordinate a small integer: short, exact
    # operators, and one path means rasterisers show no seams between adjacent rects.
    canvas.transform(module, 0, 0, -module, x, y_top)
    canvas.setFillGray(0)
    # Integer operands need no float formatting; reportlab's path API would run each
    # through fp_str, which costs more than the rest of the QR drawing together.
    ops = [f"{col} {row} {width} {height} re" for col, row, width, height in matrix.rects]
    ops.append("f")
    canvas.addLiteral("\n".join(ops))
    canvas.restoreState()


def draw_qr_image(image: Image.Image, matrix: QrMatrix, x: int, y: int, module_px: int) -> None:
    """Paint the symbol (without quiet zone) into a "1" or "L" image at pixel (x, y).

    Whole pixels per module keep the code crisp on a thermal head.
    """
    draw = ImageDraw.Draw(image)
    for col, row, width, height in matrix.rects:
        left, top = x + col * module_px, y + row * module_px
        draw.rectangle(
            (left, top, left + width * module_px - 1, top + height * module_px - 1), fill=0
        )


def qr_png_image(payload: str, module_px: int = 8) -> Image.Image:
    """Return the QR of `payload` with its quiet zone as a 1-bit PIL image."""
    matrix = qr_matrix(payload)
    side = matrix.size_with_quiet_zone * module_px
    image = Image.new("1", (side, side), 255)
    draw_qr_image(image, matrix, QUIET_ZONE * module_px, QUIET_ZONE * module_px, module_px)
    return image
