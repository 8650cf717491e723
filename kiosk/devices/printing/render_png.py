"""A ticket layout as a PNG preview, one image pixel per printer dot."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.core.ticket_layout import CHAR_HEIGHT, CHAR_WIDTH, Align, Cut, Feed, Qr, Text, TicketLayout
from kiosk.devices.printing.qr_image import centred, qr_bitmap

MARGIN = 16  # white border around the paper in the preview
_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
              Path("C:/Windows/Fonts")]


@lru_cache(maxsize=4)
def _font_file(bold: bool) -> str | None:
    names = ["DejaVuSansMono-Bold.ttf", "consolab.ttf"] if bold else ["DejaVuSansMono.ttf", "consola.ttf"]
    for folder in _FONT_DIRS:
        for name in names:
            if (folder / name).is_file():
                return str(folder / name)
    return None


@lru_cache(maxsize=32)
def _font(bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_file(bold)
    if path is not None:
        return ImageFont.truetype(path, CHAR_HEIGHT - 4)
    return ImageFont.load_default(CHAR_HEIGHT - 4)


@lru_cache(maxsize=512)
def _glyph(ch: str, bold: bool) -> Image.Image:
    """One character in one font-A cell (12 x 24), the width the printer uses."""
    cell = Image.new("L", (CHAR_WIDTH, CHAR_HEIGHT), 255)
    draw = ImageDraw.Draw(cell)
    font = _font(bold)
    left, _top, right, _bottom = draw.textbbox((0, 0), ch, font=font)
    draw.text(((CHAR_WIDTH - (right - left)) / 2 - left, 2), ch, fill=0, font=font)
    return cell.point(lambda v: 0 if v < 128 else 255).convert("1")


def _text_cell(text: str, bold: bool, scale: int) -> Image.Image:
    """The line at scale 1, then scaled by whole dots like the printer does."""
    line = Image.new("1", (max(1, len(text)) * CHAR_WIDTH, CHAR_HEIGHT), 1)
    for i, ch in enumerate(text):
        if ch != " ":
            line.paste(_glyph(ch, bold), (i * CHAR_WIDTH, 0))
    if scale > 1:
        line = line.resize((line.width * scale, line.height * scale), Image.Resampling.NEAREST)
    return line


def render_png_image(layout: TicketLayout) -> Image.Image:
    width = layout.paper.width_dots
    strips: list[Image.Image] = []
    for block in layout.blocks:
        if isinstance(block, Text):
            cell = _text_cell(block.text, block.bold, block.scale)
            strip = Image.new("1", (width, cell.height), 1)
            if block.align is Align.LEFT:
                x = 0
            elif block.align is Align.RIGHT:
                x = width - cell.width
            else:
                x = (width - cell.width) // 2
            strip.paste(cell, (max(0, x), 0))
            strips.append(strip)
        elif isinstance(block, Qr):
            strips.append(centred(qr_bitmap(block.data, block.module_dots), width))
        elif isinstance(block, Feed):
            strips.append(Image.new("1", (width, CHAR_HEIGHT * block.lines), 1))
        elif isinstance(block, Cut):
            cut = Image.new("1", (width, 9), 1)
            draw = ImageDraw.Draw(cut)
            for x in range(0, width, 12):
                draw.line((x, 4, x + 6, 4), fill=0)
            strips.append(cut)
    height = sum(s.height for s in strips)
    page = Image.new("L", (width + 2 * MARGIN, height + 2 * MARGIN), 255)
    y = MARGIN
    for strip in strips:
        page.paste(strip.convert("L"), (MARGIN, y))
        y += strip.height
    return page


def render_png(layout: TicketLayout) -> bytes:
    buffer = io.BytesIO()
    render_png_image(layout).convert("1").save(buffer, format="PNG")
    return buffer.getvalue()
