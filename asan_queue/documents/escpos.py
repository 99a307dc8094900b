"""ESC/POS raster output for receipt printers."""

from __future__ import annotations

from PIL import Image

ESC_INIT = b"\x1b@"
# GS v 0, mode 0 (normal density); followed by xL xH yL yH and the bitmap.
GS_RASTER = b"\x1dv0\x00"
FEED_LINES = b"\x1bd\x04"
# GS V 66 0: feed to the cutter and cut, leaving a hinge where the printer supports it.
CUT = b"\x1dVB\x00"
# Many printers cap the height of one raster command; bands keep every model happy.
BAND_ROWS = 256
# PIL packs "1" images with set bits for white; ESC/POS sets bits for dots to burn.
_INVERT = bytes(255 - value for value in range(256))


def escpos_raster(image: Image.Image) -> bytes:
    """Encode a 1-bit image as ESC @, GS v 0 bands, a paper feed and a cut.

    The width is padded to whole bytes by the printer's convention of 8 dots per byte.
    """
    image = image.convert("1")
    if image.width % 8:
        padded = Image.new("1", (image.width + 8 - image.width % 8, image.height), 255)
        padded.paste(image, (0, 0))
        image = padded
    row_bytes = image.width // 8
    out = bytearray(ESC_INIT)
    for top in range(0, image.height, BAND_ROWS):
        band = image.crop((0, top, image.width, min(image.height, top + BAND_ROWS)))
        out += GS_RASTER
        out += row_bytes.to_bytes(2, "little") + band.height.to_bytes(2, "little")
        out += band.tobytes().translate(_INVERT)
    out += FEED_LINES + CUT
    return bytes(out)
