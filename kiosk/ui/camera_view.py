"""The live camera picture with a scan guide and the last detected code outlined."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.i18n import tr
from kiosk.ui import look

C = "Desk"
Corners = Sequence[tuple[float, float]]


class CameraView(QWidget):
    """Paints the newest frame scaled to fit, a guide square in the middle and the
    outline of the code the decoder found (in frame pixels). Without a camera it says
    why, in words, where the picture would be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(tr(C, "Gambar kamera"))
        self._frame: QImage | None = None
        self._outline: list[tuple[float, float]] = []
        self._outline_colour = QColor(look.GREEN)
        self._message = tr(C, "Kamera belum aktif.")

    @property
    def message(self) -> str:
        return self._message

    @property
    def has_frame(self) -> bool:
        return self._frame is not None

    def show_frame(self, image: QImage) -> None:
        self._frame = image
        self.update()

    def show_message(self, text: str) -> None:
        """No picture: the reason, e.g. "Tidak ada kamera terpasang"."""
        self._frame = None
        self._message = text
        self.update()

    def show_outline(self, corners: Corners, colour: str = look.GREEN) -> None:
        self._outline = [(float(x), float(y)) for x, y in corners]
        self._outline_colour = QColor(colour)
        self.update()

    def clear_outline(self) -> None:
        self._outline = []
        self.update()

    @property
    def outline(self) -> list[tuple[float, float]]:
        return list(self._outline)

    def _frame_rect(self) -> QRectF:
        assert self._frame is not None
        w, h = self._frame.width(), self._frame.height()
        scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#15181b"))
        if self._frame is None:
            p.setPen(QColor("#e8eaed"))
            p.setFont(look.font(14))
            p.drawText(self.rect().adjusted(24, 24, -24, -24),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
            p.end()
            return
        target = self._frame_rect()
        p.drawImage(target, self._frame)
        # The guide: corner brackets around the middle square, where codes read best.
        side = min(target.width(), target.height()) * 0.6
        guide = QRectF(target.center().x() - side / 2, target.center().y() - side / 2, side, side)
        p.setPen(QPen(QColor(255, 255, 255, 200), 4))
        arm = side * 0.18
        for cx, cy, dx, dy in ((guide.left(), guide.top(), 1, 1), (guide.right(), guide.top(), -1, 1),
                               (guide.right(), guide.bottom(), -1, -1), (guide.left(), guide.bottom(), 1, -1)):
            p.drawLine(QPointF(cx, cy), QPointF(cx + dx * arm, cy))
            p.drawLine(QPointF(cx, cy), QPointF(cx, cy + dy * arm))
        if len(self._outline) >= 3:
            scale = target.width() / self._frame.width()
            polygon = QPolygonF([QPointF(target.left() + x * scale, target.top() + y * scale)
                                 for x, y in self._outline])
            p.setPen(QPen(self._outline_colour, 5))
            fill = QColor(self._outline_colour)
            fill.setAlpha(60)
            p.setBrush(fill)
            p.drawPolygon(polygon)
        p.end()
