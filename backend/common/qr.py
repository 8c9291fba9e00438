"""QR codes as data URLs (PNG, made without PIL by qrcode's pure-Python PyPNG image)."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.image.pure import PyPNGImage


def qr_png_data_url(text: str) -> str:
    """A ``data:image/png;base64,...`` QR code of ``text``, sized for scanning from a screen."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=PyPNGImage).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
