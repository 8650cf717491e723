"""The counter (loket) window: one key per action, the current ticket large.

Every action is one service call (one transaction) run on the window's own task
thread, in key-press order; the buttons are disabled until it returns, so a double
press never calls two people. Waiting counts and this counter's last calls come
from the same event feed the waiting-room display uses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget,
)

from display.feed import BoardReader, EventFeed
from display.model import BoardSnapshot
from kiosk import services
from kiosk.app import AppContext
from kiosk.i18n import clock_time, tr
from kiosk.services import CallError, CallResult
from kiosk.services.names import service_label
from kiosk.store import DatabaseError
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
C = "Counter"

STATE_TEXT = {
    "call": lambda: tr(C, "Dipanggil"),
    "recall": lambda: tr(C, "Dipanggil ulang"),
    "serve": lambda: tr(C, "Sedang dilayani"),
}


def _font(pixels: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


class CounterWindow(QWidget):
    """The window of loket ``counter``; ``actions`` maps each action to its button."""

    _snapshot = Signal(object)
    _status = Signal(bool)

    def __init__(self, ctx: AppContext, counter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.counter = counter
        self.services = ctx.config.queue.counters[str(counter)]
        self.runner = TaskRunner(f"loket{counter}-actions", self)
        self.compact = False
        self.setWindowTitle(tr(C, "Loket {counter} — Antrean Paspor", counter=counter))
        self._build()
        self._snapshot.connect(self._show_snapshot)
        self._status.connect(self._show_connection)
        self.reader = BoardReader(ctx.db, list(ctx.config.queue.services), ctx.config.tz, ctx.clock,
                                  recent=8, counter=counter)
        self._action_event_id = 0  # the newest event when the last action returned
        self.feed = EventFeed(self.reader, on_snapshot=self._snapshot.emit, on_status=self._status.emit,
                              poll_interval=ctx.config.display.poll_interval)
        self.feed.start()

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.title = QLabel(tr(C, "LOKET {counter}", counter=self.counter))
        self.title.setFont(_font(22, True))
        self.serves = QLabel(tr(C, "Melayani: {services}", services=", ".join(
            service_label(s, self.ctx.config.queue.services[s]) for s in self.services)))
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.serves, 1)
        self.compact_box = QCheckBox(tr(C, "Ringkas (F12)"))
        self.compact_box.toggled.connect(self.set_compact)
        header.addWidget(self.compact_box)
        root.addLayout(header)

        self.current = QLabel("—")
        self.current.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current.setFont(_font(96, True))
        self.state = QLabel(tr(C, "Belum ada yang dipanggil"))
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setFont(_font(20))
        root.addWidget(self.current)
        root.addWidget(self.state)

        grid = QGridLayout()
        self.transfer_to = QComboBox()
        for letter, name in self.ctx.config.queue.services.items():
            self.transfer_to.addItem(service_label(letter, name), letter)
        specs: list[tuple[str, str, str, Callable[[], CallResult]]] = [
            ("next", tr(C, "Panggil berikutnya"), "F1", lambda: services.call_next(self.ctx, self.counter, actor=self.ctx.actor)),
            ("recall", tr(C, "Panggil ulang"), "F2", lambda: services.recall(self.ctx, self.counter, actor=self.ctx.actor)),
            ("serve", tr(C, "Mulai layani"), "F3", lambda: services.start_serving(self.ctx, self.counter, actor=self.ctx.actor)),
            ("done", tr(C, "Selesai"), "F4", lambda: services.finish(self.ctx, self.counter, actor=self.ctx.actor)),
            ("noshow", tr(C, "Tidak hadir"), "F5", lambda: services.no_show(self.ctx, self.counter, actor=self.ctx.actor)),
            ("transfer", tr(C, "Alihkan"), "F6", self._transfer_call),
        ]
        self.actions: dict[str, QPushButton] = {}
        self.shortcuts: dict[str, QShortcut] = {}
        for name, text, key, call in specs:
            button = QPushButton(f"{text}\n[{key}]")
            button.setFont(_font(18, True))
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, c=call: self.run_action(c))
            shortcut = QShortcut(QKeySequence(key), self)
            # The window's own keys: in the demo the desk shares the process, and an
            # application-wide F3 made the desk's F3 ambiguous (neither fired).
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(button.click)
            self.actions[name] = button
            self.shortcuts[name] = shortcut
        self.grid = grid
        self._arrange_buttons(3)
        compact_key = QShortcut(QKeySequence("F12"), self)
        compact_key.activated.connect(self.compact_box.toggle)
        root.addLayout(grid)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setFont(_font(16))
        root.addWidget(self.message)

        self.details = QWidget()
        details = QHBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        self.waiting = QLabel("")
        self.waiting.setFont(_font(18))
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.last_calls = QListWidget()
        self.last_calls.setFont(_font(16))
        details.addWidget(self.waiting, 1)
        details.addWidget(self.last_calls, 1)
        root.addWidget(self.details, 1)
        self.offline = QLabel(tr(C, "Database tidak terhubung — menghubungkan ulang…"))
        self.offline.setStyleSheet("color: #b00020;")
        self.offline.hide()
        root.addWidget(self.offline)
        self.resize(720, 640)

    def _arrange_buttons(self, columns: int) -> None:
        for i, button in enumerate(self.actions.values()):
            self.grid.addWidget(button, i // columns, i % columns)
        rows = (len(self.actions) + columns - 1) // columns
        if columns == 3:
            self.grid.addWidget(self.transfer_to, rows, 2)
        else:
            self.grid.addWidget(self.transfer_to, rows, 0, 1, columns)

    def set_compact(self, compact: bool, on_top: bool = True) -> None:
        """A small strip: the number, the state and the buttons; always on top unless
        ``on_top`` is false (the demo lays its windows out side by side instead)."""
        self.compact = compact
        if self.compact_box.isChecked() != compact:
            self.compact_box.blockSignals(True)
            self.compact_box.setChecked(compact)
            self.compact_box.blockSignals(False)
        self.details.setVisible(not compact)
        self.serves.setVisible(not compact)
        self.current.setFont(_font(48 if compact else 96, True))
        for button in self.actions.values():
            button.setFont(_font(13 if compact else 18, True))
            button.setMinimumHeight(44 if compact else 64)
        self._arrange_buttons(2 if compact else 3)
        was_visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, compact and on_top)
        if was_visible:
            self.show()  # changing window flags hides the window
        self.adjustSize()

    # --- actions ------------------------------------------------------------------------

    def _transfer_call(self) -> CallResult:
        return services.transfer(self.ctx, self.counter, self.transfer_to.currentData(), actor=self.ctx.actor)

    def run_action(self, call: Callable[[], CallResult]) -> None:
        if self.runner.pending:
            return  # one action at a time: a double press must not call two people
        self._enable(False)
        self.runner.submit(lambda: (call(), self._head()), self._action_done)

    def _head(self) -> int:
        try:
            return self.reader.head()
        except DatabaseError:  # the action is done; only the guard against stale snapshots is lost
            return 0

    def _action_done(self, outcome: tuple[CallResult, int] | None, error: BaseException | None) -> None:
        self._enable(True)
        result = None
        if outcome is not None:
            result, self._action_event_id = outcome
        if error is not None:
            if isinstance(error, CallError):
                self._say(str(error), error=True)
            elif isinstance(error, DatabaseError):
                self._say(tr(C, "Database tidak tersedia; coba lagi sebentar lagi."), error=True)
                log.warning("counter %s: %s", self.counter, error)
            else:
                self._say(tr(C, "Tindakan gagal; lihat log."), error=True)
                log.error("counter %s action failed", self.counter, exc_info=error)
            return
        assert result is not None
        self._say(result.message)
        if result.ticket is None or result.action in ("done", "no_show", "transfer"):
            self.current.setText("—")
            self.state.setText(tr(C, "Tidak ada nomor aktif"))
        else:
            self.current.setText(result.ticket.label)
            self.state.setText(STATE_TEXT.get(result.action, lambda: "")())

    def _enable(self, enabled: bool) -> None:
        for button in self.actions.values():
            button.setEnabled(enabled)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")

    # --- feed ---------------------------------------------------------------------------

    def _show_snapshot(self, snapshot: BoardSnapshot) -> None:
        self.waiting.setText("\n".join(
            tr(C, "{service}: {count} menunggu", service=service_label(s, self.ctx.config.queue.services[s]),
               count=snapshot.waiting.get(s, 0)) for s in self.services))
        self.last_calls.clear()
        for call in snapshot.recent_calls:
            local = call.at.astimezone(self.ctx.config.tz)
            self.last_calls.addItem(f"{clock_time(local)}  {call.label}" + (tr(C, " (ulang)") if call.recall else ""))
        # A snapshot read before the last action returned must not undo what it showed.
        if not self.runner.pending and snapshot.last_event_id >= self._action_event_id:
            label = snapshot.serving.get(self.counter)
            if label is not None:
                self.current.setText(label)
            elif self.current.text() != "—":
                self.current.setText("—")
                self.state.setText(tr(C, "Tidak ada nomor aktif"))

    def _show_connection(self, connected: bool) -> None:
        self.offline.setVisible(not connected)

    # --- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        self.feed.stop()
        self.runner.close()
