"""The one QR bitmap both the raster ESC/POS path and the PNG preview draw."""

from __future__ import annotations

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_MODULES = 2  # plus the white paper around it; scanners need about 4 in total


def qr_bitmap(data: str, module_dots: int) -> Image.Image:
    """Black-on-white 1-bit image, ``module_dots`` dots per module (error correction M)."""
    code = qrcode.QRCode(version=None, error_correction=ERROR_CORRECT_M, box_size=module_dots,
                         border=QUIET_MODULES)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    size = len(matrix)
    small = Image.new("1", (size, size), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((size * module_dots, size * module_dots), Image.Resampling.NEAREST)


def left_padded(image: Image.Image, width: int) -> Image.Image:
    """``image`` moved to the middle of a ``width``-dot line by white on its left only:
    the printer centres nothing itself, and the right half of the line costs no bytes."""
    if image.width >= width:
        return centred(image, width)
    left = (width - image.width) // 2
    strip = Image.new("1", (left + image.width, image.height), 1)
    strip.paste(image, (left, 0))
    return strip


def centred(image: Image.Image, width: int) -> Image.Image:
    """``image`` in the middle of a white strip ``width`` dots wide (cropped if wider)."""
    if image.width >= width:
        left = (image.width - width) // 2
        return image.crop((left, 0, left + width, image.height))
    strip = Image.new("1", (width, image.height), 1)
    strip.paste(image, ((width - image.width) // 2, 0))
    return strip
