"""A tiny top-down layout shared by the PDF and the thermal PNG renderers.

Documents are composed once as positioned items in points (y grows downwards from the top
of the content box); `paint_pdf` and `paint_image` then draw the same items, so the PDF
and the printer image break lines in the same places. Text is measured with reportlab's
metrics of the same DejaVu TTFs that PIL rasterises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from PIL import Image, ImageDraw
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .fonts import BOLD, REGULAR, pil_font
from .qr import QUIET_ZONE, QrMatrix, draw_qr_image, draw_qr_pdf

Align = Literal["left", "center", "right"]

# DejaVu Sans vertical metrics in em (hhea ascender 1901, descender 483, caps 1493 of 2048).
ASCENT = 0.928
DESCENT = 0.236
CAP_HEIGHT = 0.729


@dataclass(frozen=True)
class TextItem:
    """One line of text; `x` is its left, centre or right edge depending on `align`."""

    text: str
    font: str
    size: float
    x: float
    baseline: float
    align: Align = "left"
    hscale: float = 1.0

    @property
    def width(self) -> float:
        """Advance width in points, horizontal scaling included."""
        return float(stringWidth(self.text, self.font, self.size)) * self.hscale

    @property
    def left(self) -> float:
        """Left edge in points from the content box's left side."""
        if self.align == "center":
            return self.x - self.width / 2
        if self.align == "right":
            return self.x - self.width
        return self.x


@dataclass(frozen=True)
class RuleItem:
    """A horizontal dashed line across the content box at `y`."""

    y: float
    width: float


@dataclass(frozen=True)
class BoxItem:
    """A rectangle outline."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class QrItem:
    """A QR symbol of side `size` (quiet zone excluded) with top-left corner (x, y)."""

    matrix: QrMatrix
    x: float
    y: float
    size: float


Item = TextItem | RuleItem | BoxItem | QrItem


@dataclass(frozen=True)
class Layout:
    """Positioned items inside a content box of `width` x `height` points."""

    width: float
    height: float
    items: tuple[Item, ...]

    def text_lines(self) -> list[TextItem]:
        """The text items, for renderers and for checks that every line fits."""
        return [item for item in self.items if isinstance(item, TextItem)]


def wrap_text(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break `text` into lines no wider than `max_width` points.

    Breaks at spaces; a single word wider than the line (a long URL, a compound name) is
    cut between characters rather than allowed to overflow. Newlines are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while stringWidth(word, font, size) > max_width:
                cut = _fitting_prefix(word, font, size, max_width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fitting_prefix(word: str, font: str, size: float, max_width: float) -> int:
    cut = 1
    while cut < len(word) and stringWidth(word[: cut + 1], font, size) <= max_width:
        cut += 1
    return cut


@dataclass
class Flow:
    """Stacks blocks from the top of a content box `width` points wide."""

    width: float
    y: float = 0.0
    items: list[Item] = field(default_factory=list)

    def gap(self, points: float) -> None:
        """Leave vertical space."""
        self.y += points

    def paragraph(
        self,
        text: str,
        *,
        size: float,
        font: str = REGULAR,
        align: Align = "center",
        leading: float = 1.2,
        indent: float = 0.0,
    ) -> None:
        """Add wrapped text; `indent` narrows the box from the left (for bullets)."""
        x = {"left": indent, "center": (indent + self.width) / 2, "right": self.width}[align]
        for line in wrap_text(text, font, size, self.width - indent):
            self.items.append(TextItem(line, font, size, x, self.y + ASCENT * size, align))
            self.y += size * leading

    def row(self, label: str, value: str, *, size: float, value_size: float) -> None:
        """Add a label on the left and a bold value on the right, sharing a baseline."""
        value_width = stringWidth(value, BOLD, value_size)
        gap = size
        baseline = self.y + ASCENT * max(size, value_size)
        self.items.append(TextItem(value, BOLD, value_size, self.width, baseline, "right"))
        lines = wrap_text(label, REGULAR, size, self.width - value_width - gap)
        for index, line in enumerate(lines):
            self.items.append(TextItem(line, REGULAR, size, 0, baseline + index * size * 1.2))
        self.y = baseline + (len(lines) - 1) * size * 1.2 + DESCENT * max(size, value_size)
        self.y += size * 0.3

    def detail(self, label: str, value: str, *, size: float, label_width: float) -> None:
        """Add a label column and a bold value column, both wrapped."""
        gap = size
        baseline = self.y + ASCENT * size
        leading = size * 1.25
        labels = wrap_text(label, REGULAR, size, label_width - gap)
        values = wrap_text(value, BOLD, size, self.width - label_width)
        for index, line in enumerate(labels):
            self.items.append(TextItem(line, REGULAR, size, 0, baseline + index * leading))
        for index, line in enumerate(values):
            self.items.append(TextItem(line, BOLD, size, label_width, baseline + index * leading))
        self.y += max(len(labels), len(values)) * leading + size * 0.4

    def bullets(self, lines: Sequence[str], *, size: float, indent: float) -> None:
        """Add a bulleted list; wrapped lines hang under the text, not under the bullet."""
        for line in lines:
            self.items.append(TextItem("•", REGULAR, size, indent / 3, self.y + ASCENT * size))
            self.paragraph(line, size=size, align="left", indent=indent, leading=1.3)
            self.y += size * 0.3

    def headline(self, text: str, *, glyph_height: float, min_hscale: float = 0.6) -> None:
        """Add one bold centred line whose capitals are `glyph_height` points tall.

        Too wide a line is condensed horizontally down to `min_hscale`, then shrunk.
        """
        size = glyph_height / CAP_HEIGHT
        natural = stringWidth(text, BOLD, size)
        hscale = min(1.0, self.width / natural) if natural else 1.0
        if hscale < min_hscale:
            size *= hscale / min_hscale
            hscale = min_hscale
        baseline = self.y + CAP_HEIGHT * size
        self.items.append(TextItem(text, BOLD, size, self.width / 2, baseline, "center", hscale))
        self.y = baseline

    def boxed(self, text: str, *, size: float, padding: float) -> None:
        """Add a bold centred line inside an outline box."""
        text_width = stringWidth(text, BOLD, size)
        box_width = min(self.width, text_width + 2 * padding)
        height = (ASCENT + DESCENT) * size + 2 * padding
        self.items.append(BoxItem((self.width - box_width) / 2, self.y, box_width, height))
        self.y += padding
        self.paragraph(text, size=size, font=BOLD, leading=ASCENT + DESCENT)
        self.y += padding

    def rule(self) -> None:
        """Add a dashed separator with a little air around it."""
        self.y += 4
        self.items.append(RuleItem(self.y, self.width))
        self.y += 5

    def qr(self, matrix: QrMatrix, size: float) -> None:
        """Add a centred QR symbol `size` points wide, with its quiet zone above and below."""
        quiet = QUIET_ZONE * size / matrix.size
        self.y += quiet
        self.items.append(QrItem(matrix, (self.width - size) / 2, self.y, size))
        self.y += size + quiet

    def layout(self) -> Layout:
        """Freeze the items stacked so far."""
        return Layout(self.width, self.y, tuple(self.items))


def paint_pdf(canvas: Canvas, layout: Layout, left: float, top: float) -> None:
    """Draw `layout` with its content box's top-left corner at (left, top) in PDF points."""
    for item in layout.items:
        if isinstance(item, TextItem):
            if item.hscale == 1.0:
                canvas.setFont(item.font, item.size)
                canvas.drawString(left + item.left, top - item.baseline, item.text)
                continue
            # Tz is graphics state and outlives the text object: scope it.
            canvas.saveState()
            text = canvas.beginText(left + item.left, top - item.baseline)
            text.setFont(item.font, item.size)
            text.setHorizScale(item.hscale * 100)
            text.textOut(item.text)
            canvas.drawText(text)
            canvas.restoreState()
        elif isinstance(item, RuleItem):
            canvas.saveState()
            canvas.setLineWidth(0.6)
            canvas.setDash(2, 2)
            canvas.line(left, top - item.y, left + item.width, top - item.y)
            canvas.restoreState()
        elif isinstance(item, BoxItem):
            canvas.setLineWidth(1)
            canvas.rect(left + item.x, top - item.y - item.height, item.width, item.height)
        else:
            draw_qr_pdf(canvas, item.matrix, left + item.x, top - item.y, item.size)


def paint_image(
    image: Image.Image, layout: Layout, left: int, top: int, px_per_pt: float, font_dir: str
) -> None:
    """Draw `layout` into an "L" image (white background) at pixel (left, top)."""
    draw = ImageDraw.Draw(image)
    for item in layout.items:
        if isinstance(item, TextItem):
            _paint_text(image, draw, item, left, top, px_per_pt, font_dir)
        elif isinstance(item, RuleItem):
            y = top + round(item.y * px_per_pt)
            dash = max(2, round(2 * px_per_pt))
            for x in range(left, left + round(item.width * px_per_pt), 2 * dash):
                draw.rectangle((x, y, x + dash - 1, y + 1), fill=0)
        elif isinstance(item, BoxItem):
            x0, y0 = left + round(item.x * px_per_pt), top + round(item.y * px_per_pt)
            x1 = x0 + round(item.width * px_per_pt)
            y1 = y0 + round(item.height * px_per_pt)
            draw.rectangle((x0, y0, x1, y1), outline=0, width=max(2, round(px_per_pt)))
        else:
            # Whole pixels per module: a fractional module would smear on a thermal head.
            module_px = max(1, int(item.size * px_per_pt / item.matrix.size))
            slack = round(item.size * px_per_pt) - module_px * item.matrix.size
            x = left + round(item.x * px_per_pt) + slack // 2
            y = top + round(item.y * px_per_pt) + slack // 2
            draw_qr_image(image, item.matrix, x, y, module_px)


def _paint_text(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    item: TextItem,
    left: int,
    top: int,
    px_per_pt: float,
    font_dir: str,
) -> None:
    font = pil_font(font_dir, max(1, round(item.size * px_per_pt)), item.font == BOLD)
    x = left + item.left * px_per_pt
    y = top + item.baseline * px_per_pt
    if item.hscale == 1.0:
        draw.text((x, y), item.text, font=font, fill=0, anchor="ls")
        return
    # PIL cannot condense glyphs, so draw the line as a mask at natural width and squeeze it.
    x0, y0, x1, y1 = (round(edge) for edge in font.getbbox(item.text, anchor="ls"))
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).text((-x0, -y0), item.text, font=font, fill=255, anchor="ls")
    width = max(1, round(mask.width * item.hscale))
    mask = mask.resize((width, mask.height), Image.Resampling.LANCZOS)
    image.paste(0, (round(x + x0 * item.hscale), round(y + y0)), mask)
