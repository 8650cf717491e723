"""USB keyboard-wedge scanners: a code typed in a burst, recognised anywhere.

A USB barcode scanner is a keyboard: it "types" the code, a few milliseconds per
character, and usually presses Enter. A person types ten times slower. The
:class:`KeyboardWedge` is an application-wide Qt event filter that holds back each
printable keystroke for at most ``gap_ms``: when the next one follows sooner, it is
part of a burst; when a burst of at least ``min_length`` characters ends with the
terminator, it is a scanned code, reported through :attr:`KeyboardWedge.code_scanned`
and never typed into whatever widget has the focus. Anything else — a slow key, a
short burst, a burst without its terminator — is given back to the widget it was
meant for, in order, so typing stays typing (each key merely arrives ``gap_ms``
later, which nobody notices at 50 ms).

Keys are timed by the window system's event timestamps where there are any, so a
GUI that was busy for a moment does not turn queued human typing into a burst.
Keyboard-layout pitfalls and scanner settings: docs/scanning.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

log = logging.getLogger(__name__)


class Terminator(StrEnum):
    ENTER = "enter"
    TAB = "tab"
    NONE = "none"  # the burst ends when the keys stop coming


_TERMINATOR_KEYS = {
    Terminator.ENTER: {Qt.Key.Key_Return, Qt.Key.Key_Enter},
    Terminator.TAB: {Qt.Key.Key_Tab},
    Terminator.NONE: set(),
}
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class KeyboardWedge(QObject):
    """Recognises scanner bursts application-wide; install with :meth:`install`."""

    code_scanned = Signal(str)

    def __init__(self, gap_ms: int = 50, min_length: int = 6, terminator: str = "enter",
                 clock: Callable[[], float] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if gap_ms <= 0 or min_length <= 0:
            raise ValueError("gap_ms and min_length must be positive")
        self.gap_ms = gap_ms
        self.min_length = min_length
        self.terminator = Terminator(terminator)
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._held: list[_HeldKey] = []
        self._last_ms = 0.0
        self._releases_to_swallow: dict[int, int] = {}
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_quiet)
        self._app: QCoreApplication | None = None

    # --- installation ----------------------------------------------------------------

    def install(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("a QApplication must exist before the keyboard wedge is installed")
        app.installEventFilter(self)
        self._app = app

    def uninstall(self) -> None:
        """Stop filtering; keys still held are given back first."""
        self._timer.stop()
        self._give_back()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    # --- the filter ------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._replaying:
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or not obj.isWidgetType():
            # Key events reach the window first and the focus widget next: act once,
            # at the widget, where a key given back belongs.
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyRelease:
            return self._swallow_release(event)
        return self._on_press(obj, event)

    def _on_press(self, target: QObject, event: QKeyEvent) -> bool:
        now = float(event.timestamp()) if event.timestamp() else self._clock()
        if self._held and now - self._last_ms > self.gap_ms:
            self._give_back()  # the held keys were typed, not scanned
        text = event.text()
        is_char = (len(text) == 1 and text.isprintable()
                   and not (event.modifiers() & _COMMAND_MODIFIERS) and not event.isAutoRepeat())
        if is_char:
            self._held.append(_HeldKey(target, event.key(), event.modifiers(), text))
            self._last_ms = now
            self._expect_release(event.key())
            self._timer.start(self.gap_ms + 5)
            return True
        if event.key() in _TERMINATOR_KEYS[self.terminator] and self._held:
            self._timer.stop()
            if len(self._held) >= self.min_length:
                self._emit_held()
                self._expect_release(event.key())
                return True  # the terminator belongs to the scanner too
            self._give_back()
            return False
        if self._held:
            self._timer.stop()
            self._give_back()
        return False

    def _on_quiet(self) -> None:
        """No key for ``gap_ms``: the burst (if any) is over."""
        if not self._held:
            return
        # A GUI that was busy may have the rest of a burst still queued, and Qt may
        # fire this timer before it delivers them: deliver them first. A key among
        # them restarts the timer, and the burst goes on.
        QCoreApplication.processEvents()
        if self._timer.isActive() or not self._held:
            return
        if self.terminator is Terminator.NONE and len(self._held) >= self.min_length:
            self._emit_held()
        else:
            self._give_back()

    def _emit_held(self) -> None:
        code = "".join(k.text for k in self._held)
        self._held.clear()
        log.info("keyboard wedge: scanned %d characters", len(code))
        self.code_scanned.emit(code)

    def _give_back(self) -> None:
        """Deliver the held keys to the widgets they were meant for, in order."""
        held, self._held = self._held, []
        if not held:
            return
        import shiboken6

        self._replaying = True
        try:
            for k in held:
                if not shiboken6.isValid(k.target):
                    continue
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.sendEvent(k.target, QKeyEvent(kind, k.key, k.modifiers, k.text))
        finally:
            self._replaying = False

    def _expect_release(self, key: int) -> None:
        self._releases_to_swallow[key] = self._releases_to_swallow.get(key, 0) + 1

    def _swallow_release(self, event: QKeyEvent) -> bool:
        key = event.key()
        pending = self._releases_to_swallow.get(key, 0)
        if pending == 0 or event.isAutoRepeat():
            return False
        if pending == 1:
            del self._releases_to_swallow[key]
        else:
            self._releases_to_swallow[key] = pending - 1
        return True
