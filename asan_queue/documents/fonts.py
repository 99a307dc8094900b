"""DejaVu Sans for every document: embedded in PDFs, rasterised in PNGs.

The core PDF fonts (Helvetica...) only cover Latin-1, which has no ə, ğ, ı, ş or Cyrillic,
so every document embeds DejaVu Sans as a TrueType subset instead.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
# reportlab's TTFont keeps per-document subset state and one shared file reader inside the
# registered font, so two threads building PDFs at once corrupt each other's subsets
# (KeyError in makeSubset). Every PDF is built under this lock; a receipt holds it ~5 ms.
PDF_LOCK = threading.Lock()
# Directories already checked; a hit makes register_fonts a set lookup, so callers may
# call it on every request.
_checked_dirs: set[str] = set()


class FontMissingError(FileNotFoundError):
    """The DejaVu TTF files are not in the given font directory."""


def default_font_dir() -> Path:
    """Return the DejaVu directory of the npm package `dejavu-fonts-ttf` in this checkout."""
    return Path(__file__).resolve().parents[2] / "node_modules" / "dejavu-fonts-ttf" / "ttf"


def font_path(font_dir: str | Path, bold: bool = False) -> Path:
    """Return the path of the regular or bold DejaVu Sans file inside `font_dir`.

    Raises FontMissingError if that file does not exist.
    """
    path = Path(font_dir) / _FILES[BOLD if bold else REGULAR]
    if not path.is_file():
        raise FontMissingError(
            f"font file {path} not found; install the npm package dejavu-fonts-ttf "
            f"(npm ci) or point the font directory at a folder holding {_FILES[REGULAR]} "
            f"and {_FILES[BOLD]}"
        )
    return path


def register_fonts(font_dir: str | Path) -> None:
    """Register DejaVuSans and DejaVuSans-Bold with reportlab under those names.

    Idempotent and thread-safe; after the first call for a directory it costs a set lookup.
    reportlab keeps one global font registry, so the first directory registered wins for
    the process; later directories are only checked for presence.

    Raises FontMissingError if either TTF file is missing from `font_dir`.
    """
    key = str(font_dir)
    if key in _checked_dirs:
        return
    with _lock:
        if key in _checked_dirs:
            return
        paths = {name: font_path(font_dir, bold=name == BOLD) for name in _FILES}
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, path in paths.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        _checked_dirs.add(key)


@lru_cache(maxsize=64)
def pil_font(font_dir: str, size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return a cached PIL font of DejaVu Sans at `size_px` pixels per em.

    Raises FontMissingError if the file is missing.
    """
    return ImageFont.truetype(str(font_path(font_dir, bold)), size_px)
