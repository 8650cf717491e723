"""Shared look of the desk windows: icons, colours, type sizes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons" / "desk"

# Colours chosen for white text at >= 4.5:1 contrast (WCAG AA), also for colour-blind
# officers each verdict has its own icon and words, never colour alone.
GREEN = "#1b7f3b"
AMBER = "#8a5300"
BLUE = "#1f5fa8"
RED = "#b3261e"
PURPLE = "#6a3fa0"
BROWN = "#7a4a12"
GREY = "#4f5358"
DARK = "#2b2f33"
NAVY = "#1d3557"


def svg_pixmap(name: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """An icon from resources/icons/desk rendered sharp at the screen's pixel ratio."""
    renderer = QSvgRenderer(str(ICONS / f"{name}.svg"))
    pixels = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(QSize(pixels, pixels))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


def _render_svg(data: bytes, pixels: int = 128) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    pixmap = QPixmap(QSize(pixels, pixels))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


def svg_icon(name: str, checked_colour: str | None = None) -> QIcon:
    """The icon; with ``checked_colour`` a second drawing for the checked state (a
    navy pictogram on a navy checked button would vanish)."""
    if not checked_colour:
        return QIcon(str(ICONS / f"{name}.svg"))
    data = (ICONS / f"{name}.svg").read_bytes()
    icon = QIcon()
    icon.addPixmap(_render_svg(data), QIcon.Mode.Normal, QIcon.State.Off)
    icon.addPixmap(_render_svg(data.replace(NAVY.encode(), checked_colour.encode())), QIcon.Mode.Normal,
                   QIcon.State.On)
    return icon


def font(points: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


def text_colour_on(background: str) -> str:
    c = QColor(background)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#000000" if luminance > 160 else "#ffffff"
