"""Printable documents: receipts, booking confirmations and calendar files.

Pure functions from plain data to bytes; no Flask, no database. Every caller passes the
directory of the DejaVu TTFs (see `default_font_dir`).
"""

from .confirmation import ConfirmationData, ConfirmationLabels, confirmation_pdf
from .fonts import FontMissingError, default_font_dir, register_fonts
from .ics import appointment_ics
from .qr import QrMatrix, qr_matrix, qr_png_image
from .receipt import (
    ReceiptData,
    ReceiptLabels,
    receipt_escpos,
    receipt_image,
    receipt_pdf,
    receipt_png,
)

__all__ = [
    "ConfirmationData",
    "ConfirmationLabels",
    "FontMissingError",
    "QrMatrix",
    "ReceiptData",
    "ReceiptLabels",
    "appointment_ics",
    "confirmation_pdf",
    "default_font_dir",
    "qr_matrix",
    "qr_png_image",
    "receipt_escpos",
    "receipt_image",
    "receipt_pdf",
    "receipt_png",
    "register_fonts",
]
