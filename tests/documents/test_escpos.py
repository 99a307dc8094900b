"""ESC/POS raster encoding."""

from __future__ import annotations

from PIL import Image

from asan_queue.documents.escpos import BAND_ROWS, escpos_raster


def test_width_is_padded_with_white_and_black_sets_bits() -> None:
    image = Image.new("1", (10, 2), 255)
    image.putpixel((0, 0), 0)
    image.putpixel((9, 1), 0)
    stream = escpos_raster(image)
    header = b"\x1b@" + b"\x1dv0\x00" + (2).to_bytes(2, "little") + (2).to_bytes(2, "little")
    assert stream.startswith(header)
    bitmap = stream[len(header) : len(header) + 4]
    assert bitmap == bytes([0b1000_0000, 0, 0, 0b0100_0000])


def test_tall_images_are_split_into_bands() -> None:
    image = Image.new("1", (16, BAND_ROWS * 2 + 5), 255)
    stream = escpos_raster(image)
    assert stream.count(b"\x1dv0\x00") == 3
    assert len(stream) == 2 + 3 * 8 + 2 * image.height + 3 + 4
