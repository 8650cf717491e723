"""The reply image: a PNG for a phone screen with the booking code as a QR code and a
Code 128 barcode, the human-readable code, the queue number, the date and the time.

Sizes are whole pixels per module (no resampling blur) with the quiet zones the
symbologies require, so desk scanners read the code straight off a phone screen.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import barcode
import qrcode
from PIL import Image, ImageDraw, ImageFont

from kiosk.i18n import clock_time, long_date, tr
from kiosk.private_files import write_private

C = "Intake"
WIDTH = 1080  # a full-HD phone in portrait
MARGIN = 60
QR_SIDE = 640
BAR_MODULE = 2  # pixels per Code 128 module
BAR_HEIGHT = 190
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@dataclass(frozen=True)
class ReplyCard:
    code: str
    label: str  # A042
    service_date: date
    slot: time
    office_name: str
    arrive_minutes: int


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def qr_image(text: str, side: int = QR_SIDE) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=1)
    qr.add_data(text)
    qr.make(fit=True)
    modules = qr.modules_count + 2 * qr.border
    qr.box_size = max(1, side // modules)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


def code128_image(text: str, module: int = BAR_MODULE, height: int = BAR_HEIGHT) -> Image.Image:
    pattern = barcode.get("code128", text).build()[0]
    quiet = 10  # modules of white each side (ISO/IEC 15417 asks for at least 10)
    img = Image.new("L", ((len(pattern) + 2 * quiet) * module, height), 255)
    draw = ImageDraw.Draw(img)
    for i, bit in enumerate(pattern):
        if bit == "1":
            x = (quiet + i) * module
            draw.rectangle([x, 0, x + module - 1, height - 1], fill=0)
    return img


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, font: object, fill: int = 0) -> int:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)  # type: ignore[arg-type]
    draw.text(((WIDTH - (right - left)) // 2 - left, y - top), text, font=font, fill=fill)  # type: ignore[arg-type]
    return y + (bottom - top)


def render(card: ReplyCard) -> Image.Image:
    qr = qr_image(card.code)
    bars = code128_image(card.code)
    if bars.width > WIDTH:  # a very long imported code: thinner bars rather than cut ones
        bars = code128_image(card.code, module=1)
    height = 1900
    img = Image.new("L", (WIDTH, height), 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN
    y = _centered(draw, y, card.office_name[:40], _font(40, bold=True)) + 16
    y = _centered(draw, y, tr(C, "Booking antrean paspor"), _font(34)) + 36
    img.paste(qr, ((WIDTH - qr.width) // 2, y))
    y += qr.height + 24
    img.paste(bars, ((WIDTH - bars.width) // 2, y))
    y += bars.height + 24
    y = _centered(draw, y, card.code, _font(38 if len(card.code) <= 36 else 24, bold=True)) + 44
    y = _centered(draw, y, tr(C, "Nomor antrean"), _font(36)) + 12
    y = _centered(draw, y, card.label, _font(140, bold=True)) + 44
    y = _centered(draw, y, long_date(card.service_date), _font(48, bold=True)) + 20
    y = _centered(draw, y, tr(C, "Jam {slot}", slot=clock_time(card.slot)), _font(48, bold=True)) + 44
    y = _centered(draw, y, tr(C, "Datang {minutes} menit sebelum jadwal.", minutes=card.arrive_minutes),
                  _font(34)) + 10
    y = _centered(draw, y, tr(C, "Terlambat, kode booking hangus."), _font(34)) + MARGIN
    return img.crop((0, 0, WIDTH, min(height, y)))


def write_png(card: ReplyCard, folder: Path) -> Path:
    """Write the card as ``<folder>/<code>.png`` (owner-only, atomically) and return the path."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in card.code)[:64]
    path = folder / f"{safe}.png"
    png = io.BytesIO()
    render(card).save(png, format="PNG", optimize=False)
    write_private(path, png.getvalue())
    return path
