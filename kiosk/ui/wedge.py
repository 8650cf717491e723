"""USB scanners that type: a burst of keystrokes ending in Enter, wherever the focus is.

A scanner "types" a whole code in a few milliseconds per key; a person needs 80 ms or
more per key. The filter watches key presses for the whole application:

* focus on something that takes no text (a button, a table): printable keys are held
  back and Enter hands them over as a code, so the officer or the scanner can type a
  code without first clicking into the field;
* focus in a text field (search, date of birth): keys go to the field as usual; when
  they turn out to be a scanner burst ending in Enter, the burst is taken back out of
  the field and handed over as a code;
* the manual code field itself handles Enter on its own and is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

MAX_GAP = 0.035  # seconds between keys of one burst; scanners send 2-20 ms, people 80+
MIN_BURST = 6  # shorter bursts in a text field are a fast typist, not a scanner
MAX_LENGTH = 256


def _is_text_input(widget: QWidget | None) -> bool:
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox))


class WedgeFilter(QObject):
    """Install on the QApplication; ``burst(text)`` for each code typed by a scanner.
    ``ignore`` names the objectName of fields that handle Enter themselves."""

    burst = Signal(str, bool)  # text, True when the timing says a scanner typed it

    def __init__(self, root: QWidget, *, ignore: tuple[str, ...] = ("manual_code",),
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self.ignore = ignore
        self.clock = clock
        self.enabled = True
        self._held = ""  # typed while no text field has the focus
        self._burst = ""  # the current fast run of keys
        self._burst_target: QLineEdit | None = None
        self._burst_before = ""  # the field's text before the burst began
        self._last = 0.0

    def reset(self) -> None:
        self._held = self._burst = self._burst_before = ""
        self._burst_target = None

    def _receiver_is_focus(self, obj: QObject) -> bool:
        # Key events travel from the focus widget up to its parents; look only once.
        focus = QApplication.focusWidget()
        if focus is not None:
            return obj is focus
        return isinstance(obj, QWidget) and obj.isWindow()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self.enabled or event.type() != QEvent.Type.KeyPress or not self._receiver_is_focus(obj):
            return False
        widget = obj if isinstance(obj, QWidget) else None
        if widget is None or widget.window() is not self.root.window():
            return False
        assert isinstance(event, QKeyEvent)
        if widget.objectName() in self.ignore:
            self.reset()
            return False
        now = self.clock()
        gap = now - self._last
        self._last = now
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return self._enter(widget, gap)
        if key == Qt.Key.Key_Escape:
            self.reset()
            return False
        text = event.text()
        mods = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                    | Qt.KeyboardModifier.MetaModifier)
        if not text or not text.isprintable() or mods:
            return False
        if gap > MAX_GAP or (self._burst_target is not None and self._burst_target is not widget):
            self._burst = ""
            self._burst_target = widget if isinstance(widget, QLineEdit) else None
            self._burst_before = widget.text() if isinstance(widget, QLineEdit) else ""
        self._burst = (self._burst + text)[-MAX_LENGTH:]
        if _is_text_input(widget):
            return False
        self._held = (self._held + text)[-MAX_LENGTH:]
        return True  # held back: no widget acts on a scanner's letters

    def _enter(self, widget: QWidget, gap: float) -> bool:
        fast = gap <= MAX_GAP * 3 and len(self._burst) >= MIN_BURST
        if not _is_text_input(widget):
            text, self._held = self._held, ""
            self._burst = ""
            if text.strip():
                self.burst.emit(text, fast)
                return True
            return False
        if fast and isinstance(widget, QLineEdit) and widget is self._burst_target:
            text = self._burst
            widget.setText(self._burst_before)  # the scanner's letters were never meant for this field
            self.reset()
            self.burst.emit(text, True)
            return True
        self.reset()
        return False
