"""The waiting-room window: a full-screen board readable from 10 m.

Laid out for 1920×1080; every size is a multiple of ``unit`` (the window height over
1080, limited by the width over 1920), so the same board fits 1366×768 and
3840×2160. The newest call's number is drawn at least 15% of the screen high. The
board shows ticket numbers, counters and services only — never a name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QFont, QKeyEvent, QPainter, QPixmap, QResizeEvent, QScreen
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from display.model import BoardSnapshot, CallEvent
from kiosk.config import Config, resolve_path
from kiosk.i18n import clock_time, long_date, tr
from kiosk.services.names import service_label

log = logging.getLogger(__name__)

C = "Display"
BACKGROUND = "#0b2545"
PANEL = "#13315c"
TEXT = "#ffffff"
MUTED = "#b8c4d6"
ACCENT = "#f4c430"  # the highlight of a fresh call
ACCENT_TEXT = "#0b2545"

def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(6, round(pixels)))
    font.setBold(bold)
    return font


def _label(text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
           color: str = TEXT) -> QLabel:
    label = QLabel(text)
    label.setAlignment(align)
    label.setStyleSheet(f"color: {color}; background: transparent;")
    return label


class Ticker(QWidget):
    """The running text along the bottom."""

    STEP_MS = 30

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.offset = 0.0
        self.speed = 2.0  # pixels per step, scaled with the board
        self._moved = False
        self._timer = QTimer(self)
        self._timer.setInterval(self.STEP_MS)
        self._timer.timeout.connect(self._step)
        if text:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._moved:
            self.offset = float(self.width())  # start with the text's beginning at the left edge

    def _step(self) -> None:
        self._moved = True
        width = self.fontMetrics().horizontalAdvance(self.text) + self.width() // 3
        self.offset = (self.offset + self.speed) % max(1, width)
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(ACCENT))
        if not self.text:
            return
        painter.setFont(self.font())
        painter.setPen(QColor(ACCENT_TEXT))
        advance = self.fontMetrics().horizontalAdvance(self.text) + self.width() // 3
        x = self.width() - self.offset
        while x > -advance:
            x -= advance
        while x < self.width():
            painter.drawText(QRectF(x, 0, advance, self.height()),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.text)
            x += advance


class DisplayWindow(QWidget):
    """The board. Feed it snapshots with :meth:`show_board`, fresh calls with :meth:`highlight`."""

    BLINK_MS = 500

    def __init__(self, config: Config, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self._now = now
        self._tz = ZoneInfo(config.office.timezone)
        self._closing_allowed = False
        self._highlighted = False
        self._blink_on = False
        self.snapshot: BoardSnapshot | None = None
        self.setWindowTitle(tr(C, "Layar Antrean — {office}", office=config.office.name))
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"DisplayWindow {{ background: {BACKGROUND}; }}")
        self._build()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._highlight_end = QTimer(self)
        self._highlight_end.setSingleShot(True)
        self._highlight_end.timeout.connect(self._end_highlight)
        self._blink = QTimer(self)
        self._blink.setInterval(self.BLINK_MS)
        self._blink.timeout.connect(self._toggle_blink)
        self._tick()
        self.show_board(BoardSnapshot(0))
        self.resize(1920, 1080)

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        center = Qt.AlignmentFlag.AlignCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        root = QVBoxLayout(self)
        self._root = root

        header = QHBoxLayout()
        self.logo = _label()
        self._logo_pixmap = self._load_logo()
        self.logo.setVisible(self._logo_pixmap is not None)
        self.office = _label(self.config.office.name)
        clock_box = QVBoxLayout()
        self.date_label = _label(align=right, color=MUTED)
        self.clock_label = _label(align=right)
        clock_box.addWidget(self.date_label)
        clock_box.addWidget(self.clock_label)
        header.addWidget(self.logo)
        header.addWidget(self.office, 1)
        header.addLayout(clock_box)
        root.addLayout(header)

        body = QHBoxLayout()
        self.call_panel = QFrame()
        self.call_panel.setObjectName("callPanel")
        call_box = QVBoxLayout(self.call_panel)
        self.call_caption = _label(tr(C, "NOMOR ANTREAN"), center, MUTED)
        self.number_label = _label("—", center)
        self.number_label.setObjectName("calledNumber")
        self.counter_label = _label("", center)
        call_box.addStretch(1)
        call_box.addWidget(self.call_caption)
        call_box.addWidget(self.number_label)
        call_box.addWidget(self.counter_label)
        call_box.addStretch(1)
        body.addWidget(self.call_panel, 58)

        self.recent_panel = QFrame()
        self.recent_panel.setObjectName("recentPanel")
        recent_box = QVBoxLayout(self.recent_panel)
        self.recent_caption = _label(tr(C, "PANGGILAN SEBELUMNYA"), center, MUTED)
        recent_box.addWidget(self.recent_caption)
        self.recent_grid = QGridLayout()
        recent_box.addLayout(self.recent_grid)
        recent_box.addStretch(1)
        self.recent_rows: list[tuple[QLabel, QLabel]] = []
        for row in range(self.config.display.recent_calls):
            number, counter = _label(align=center), _label(align=center, color=MUTED)
            self.recent_grid.addWidget(number, row, 0)
            self.recent_grid.addWidget(counter, row, 1)
            self.recent_rows.append((number, counter))
        body.addWidget(self.recent_panel, 42)
        root.addLayout(body, 1)

        self.counters_panel = QFrame()
        self.counters_panel.setObjectName("countersPanel")
        counters_box = QHBoxLayout(self.counters_panel)
        self.counter_cards: dict[int, tuple[QLabel, QLabel, QLabel]] = {}
        for number, services in sorted(self.config.queue.counters.items(), key=lambda kv: int(kv[0])):
            card = QVBoxLayout()
            title = _label(tr(C, "LOKET {counter}", counter=int(number)), center, MUTED)
            current = _label("—", center)
            serves = _label(", ".join(services), center, MUTED)
            card.addWidget(title)
            card.addWidget(current)
            card.addWidget(serves)
            counters_box.addLayout(card, 1)
            self.counter_cards[int(number)] = (title, current, serves)
        self.waiting_box = QVBoxLayout()
        self.waiting_labels: dict[str, QLabel] = {}
        for letter in self.config.queue.services:
            label = _label(align=right)
            self.waiting_box.addWidget(label)
            self.waiting_labels[letter] = label
        counters_box.addLayout(self.waiting_box, 2)
        root.addWidget(self.counters_panel)

        bottom = QHBoxLayout()
        self.ticker = Ticker(self.config.display.running_text)
        self.ticker.setVisible(bool(self.config.display.running_text))
        bottom.addWidget(self.ticker, 1)
        root.addLayout(bottom)

        # A discreet badge in the corner while the database is away; the board keeps its last state.
        self.reconnect_badge = QLabel(tr(C, "menghubungkan ulang…"), self)
        self.reconnect_badge.setStyleSheet(f"color: {MUTED}; background: rgba(0,0,0,110); padding: 4px 10px;"
                                           "border-radius: 6px;")
        self.reconnect_badge.hide()
        # Plain words when nobody will hear the calls: the sound is off or the device failed.
        self.sound_badge = QLabel(tr(C, "Suara mati"), self)
        self.sound_badge.setObjectName("sound_badge")
        self.sound_badge.setStyleSheet(f"color: {MUTED}; background: rgba(0,0,0,110); padding: 4px 10px;"
                                       "border-radius: 6px;")
        self.sound_badge.hide()
        self._restyle_call_panel()

    def _load_logo(self) -> QPixmap | None:
        if not self.config.display.logo:
            return None
        path = resolve_path(self.config, self.config.display.logo)
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            log.warning("display logo %s cannot be read; showing the office name only", path)
            return None
        return pixmap

    @property
    def unit(self) -> float:
        return max(0.2, min(self.height() / 1080, self.width() / 1920))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._apply_sizes()
        super().resizeEvent(event)

    def _apply_sizes(self) -> None:
        u = self.unit
        self._root.setContentsMargins(*(round(24 * u),) * 4)
        self._root.setSpacing(round(18 * u))
        if self._logo_pixmap is not None:
            self.logo.setPixmap(self._logo_pixmap.scaledToHeight(round(90 * u),
                                                                 Qt.TransformationMode.SmoothTransformation))
        self.office.setFont(_font(46 * u, True))
        self.date_label.setFont(_font(28 * u))
        self.clock_label.setFont(_font(56 * u, True))
        self.call_caption.setFont(_font(44 * u, True))
        # The number: cap height of digits is ~0.73 of the pixel size, so 0.235 H draws them ≥ 17% H.
        self.number_label.setFont(_font(254 * u, True))
        self.counter_label.setFont(_font(104 * u, True))
        self.recent_caption.setFont(_font(34 * u, True))
        self.recent_grid.setVerticalSpacing(round(10 * u))
        for number, counter in self.recent_rows:
            number.setFont(_font(60 * u, True))
            counter.setFont(_font(46 * u))
        for title, current, serves in self.counter_cards.values():
            title.setFont(_font(26 * u, True))
            current.setFont(_font(50 * u, True))
            serves.setFont(_font(22 * u))
        for label in self.waiting_labels.values():
            label.setFont(_font(32 * u))
        self.ticker.setFont(_font(36 * u))
        self.ticker.speed = 3 * u
        self.ticker.setFixedHeight(round(64 * u))
        self.reconnect_badge.setFont(_font(20 * u))
        self.reconnect_badge.adjustSize()
        self.sound_badge.setFont(_font(max(15.0, 20 * u)))
        self.sound_badge.adjustSize()
        self._place_badge()
        radius = round(18 * u)
        for panel in (self.recent_panel, self.counters_panel):
            panel.setStyleSheet(f"QFrame#{panel.objectName()} {{ background: {PANEL}; border-radius: {radius}px; }}")
        self._restyle_call_panel()

    def _place_badge(self) -> None:
        margin = round(30 * self.unit)
        self.reconnect_badge.move(self.width() - self.reconnect_badge.width() - margin,
                                  self.height() - self.reconnect_badge.height() - round(100 * self.unit))
        self.sound_badge.move(margin, self.height() - self.sound_badge.height() - round(100 * self.unit))

    def _restyle_call_panel(self) -> None:
        lit = self._highlighted and self._blink_on
        background, color = (ACCENT, ACCENT_TEXT) if lit else (PANEL, TEXT)
        radius = round(18 * self.unit)
        self.call_panel.setStyleSheet(f"QFrame#callPanel {{ background: {background}; border-radius: {radius}px; }}")
        for label in (self.number_label, self.counter_label):
            label.setStyleSheet(f"color: {color}; background: transparent;")
        self.call_caption.setStyleSheet(f"color: {ACCENT_TEXT if lit else MUTED}; background: transparent;")

    # --- content ------------------------------------------------------------------------

    def show_board(self, snapshot: BoardSnapshot) -> None:
        """Show the state of the room; the previous state stays if this one is older."""
        self.snapshot = snapshot
        calls = list(snapshot.recent_calls)
        newest = calls[0] if calls else None
        self.number_label.setText(newest.label if newest else "—")
        self.counter_label.setText(tr(C, "LOKET {counter}", counter=newest.counter) if newest else "")
        for (number, counter), call in zip(self.recent_rows, calls[1:] + [None] * len(self.recent_rows), strict=False):
            number.setText(call.label if call else "")
            counter.setText(tr(C, "Loket {counter}", counter=call.counter) if call else "")
        for counter_number, (_title, current, _serves) in self.counter_cards.items():
            current.setText(snapshot.serving.get(counter_number, "—"))
        for letter, label in self.waiting_labels.items():
            name = self.config.queue.services[letter]
            label.setText(tr(C, "{service}: {count} menunggu", service=service_label(letter, name),
                             count=snapshot.waiting.get(letter, 0)))

    def highlight(self, call: CallEvent) -> None:
        """Make the newest call blink for a few seconds (a fresh call or a recall)."""
        self.number_label.setText(call.label)
        self.counter_label.setText(tr(C, "LOKET {counter}", counter=call.counter))
        self._highlighted = True
        self._blink_on = True
        self._restyle_call_panel()
        self._blink.start()
        self._highlight_end.start(round(self.config.display.highlight_seconds * 1000))

    @property
    def highlighted(self) -> bool:
        return self._highlighted

    def _toggle_blink(self) -> None:
        self._blink_on = not self._blink_on
        self._restyle_call_panel()

    def _end_highlight(self) -> None:
        self._blink.stop()
        self._highlighted = False
        self._restyle_call_panel()

    def set_reconnecting(self, reconnecting: bool) -> None:
        self.reconnect_badge.setVisible(reconnecting)
        if reconnecting:
            self.reconnect_badge.raise_()

    def set_sound_problem(self, problem: str | None) -> None:
        """Show the "Suara mati" badge while ``problem`` says why calls cannot be heard
        (the sound device's own words, in its tooltip for whoever fixes it); hide it with None."""
        self.sound_badge.setVisible(problem is not None)
        self.sound_badge.setToolTip(tr(C, "Panggilan tidak terdengar: {reason}", reason=problem) if problem else "")
        if problem is not None:
            self.sound_badge.adjustSize()
            self._place_badge()
            self.sound_badge.raise_()

    def _tick(self) -> None:
        local = self._now().astimezone(self._tz)
        self.date_label.setText(long_date(local.date()))
        self.clock_label.setText(clock_time(local))

    # --- placement and closing -----------------------------------------------------------

    def place_on(self, screen: QScreen) -> None:
        """Fill ``screen``: placed by geometry first, then full screen (as OpenLP does,
        so the window manager puts it on the right monitor)."""
        if self.windowHandle() is not None:
            self.windowHandle().setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # a keyboard left near the TV does nothing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing_allowed:
            self._stop_timers()
            event.accept()
        else:
            event.ignore()  # visitors cannot close the board; the process is stopped by the operator

    def shutdown(self) -> None:
        """Close for real (the process is ending)."""
        self._closing_allowed = True
        self._stop_timers()
        self.close()

    def _stop_timers(self) -> None:
        for timer in (self._clock, self._highlight_end, self._blink):
            timer.stop()
        self.ticker.stop()
