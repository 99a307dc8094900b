"""Font registration."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from asan_queue.documents import (
    ConfirmationData,
    ConfirmationLabels,
    FontMissingError,
    ReceiptData,
    ReceiptLabels,
    confirmation_pdf,
    default_font_dir,
    receipt_pdf,
    receipt_png,
    register_fonts,
)
from asan_queue.documents.fonts import BOLD, REGULAR, font_path


def test_default_font_dir_is_the_npm_package_in_this_checkout() -> None:
    font_dir = default_font_dir()
    assert font_dir.parts[-3:] == ("node_modules", "dejavu-fonts-ttf", "ttf")
    assert (font_dir / "DejaVuSans.ttf").is_file()
    assert (font_dir / "DejaVuSans-Bold.ttf").is_file()


def test_register_fonts_is_idempotent_and_thread_safe() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: register_fonts(default_font_dir()), range(32)))
    regular = pdfmetrics.getFont(REGULAR)
    register_fonts(str(default_font_dir()))
    assert pdfmetrics.getFont(REGULAR) is regular
    assert pdfmetrics.getFont(BOLD).face.name


def test_missing_directory_raises_font_missing_error(tmp_path: Path) -> None:
    with pytest.raises(FontMissingError, match="DejaVuSans"):
        register_fonts(tmp_path / "nowhere")


def test_missing_bold_file_is_reported(tmp_path: Path) -> None:
    shutil.copy(default_font_dir() / "DejaVuSans.ttf", tmp_path)
    with pytest.raises(FontMissingError, match="DejaVuSans-Bold.ttf"):
        register_fonts(tmp_path)
    with pytest.raises(FontMissingError):
        font_path(tmp_path, bold=True)


def test_documents_raise_font_missing_error(tmp_path: Path) -> None:
    labels = ReceiptLabels("t", "p", "e", "s", "i")
    data = ReceiptData("c", "a", "s", "A001", "now", 0, "0–1 min", "https://x.test/t/1", labels)
    with pytest.raises(FontMissingError):
        receipt_pdf(data, tmp_path)
    with pytest.raises(FontMissingError):
        receipt_png(data, tmp_path)
    confirmation = ConfirmationData(
        "c",
        "addr",
        "a",
        "s",
        "K7M-4QX",
        "now",
        "n",
        "https://x.test/m",
        "https://x.test/c",
        ConfirmationLabels("t", "c", "w", "w", "n", ["r"], "h"),
    )
    with pytest.raises(FontMissingError):
        confirmation_pdf(confirmation, tmp_path)
    assert issubclass(FontMissingError, FileNotFoundError)
