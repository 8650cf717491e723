"""USB keyboard-wedge scanners: a code typed in a burst, recognised anywhere.

A USB barcode scanner is a keyboard: it "types" the code, 1-40 ms per character,
pressing and releasing Shift around every capital, and usually presses Enter. A
person types ten times slower. The :class:`KeyboardWedge` is an application-wide Qt
event filter that holds back each character key for at most ``gap_ms``: when the
next one follows sooner, it is part of a burst; when a burst of at least
``min_length`` characters ends with the terminator, it is a scanned code, reported
through :attr:`KeyboardWedge.code_scanned` and never typed into whatever widget has
the focus, never pressing a default button and never triggering a shortcut (the
wedge answers Qt's ``ShortcutOverride`` for every key it takes). Anything else — a
slow key, a short burst, a burst without its terminator — is given back to the widget
it was meant for, in order, so typing stays typing (each key merely arrives
``gap_ms`` later, which nobody notices at 50 ms).

What real scanners send, and how each is read:

- **modifier keys** (Shift left/right, Caps Lock, NumLock, AltGr, Ctrl, Alt, Meta) on
  their own never break or end a burst, pressed or released;
- **Caps Lock on**: the scanner still presses Shift for capitals, so they arrive in
  lower case (and lower case in capitals). A Shift-ed letter arriving in lower case
  marks the burst, and its letters are turned back. (A scanner that follows the Caps
  Lock light types the right case already; the key's X11 Lock bit alone cannot tell
  the two kinds apart, so it is not used);
- **keypad digits**: with NumLock on they carry text; with NumLock off a keypad key
  arrives as its navigation key (End, Down, …) and is read as its digit;
- **AltGr layouts**: characters typed with AltGr (Ctrl+Alt on Windows) are characters;
- **key releases** interleaved anywhere: the releases of keys the wedge took are
  swallowed, other releases pass;
- **terminators**: Enter or keypad Enter, Tab, CR+LF (Enter then a line feed or a
  second Enter), or none (the burst ends when the keys stop);
- optional **prefix and suffix** characters configured on the scanner are stripped.

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
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

log = logging.getLogger(__name__)

K = Qt.Key
M = Qt.KeyboardModifier


class Terminator(StrEnum):
    ENTER = "enter"
    TAB = "tab"
    CRLF = "crlf"  # Enter, then a line feed (or a second Enter) that is swallowed too
    NONE = "none"  # the burst ends when the keys stop coming


_ENTER_KEYS = {K.Key_Return, K.Key_Enter}
_TERMINATOR_KEYS = {
    Terminator.ENTER: _ENTER_KEYS,
    Terminator.TAB: {K.Key_Tab},
    Terminator.CRLF: _ENTER_KEYS,
    Terminator.NONE: set(),
}
# Keys that only change what the next key means: never part of, nor the end of, a burst.
MODIFIER_KEYS = frozenset({
    K.Key_Shift, K.Key_Control, K.Key_Alt, K.Key_AltGr, K.Key_Meta, K.Key_CapsLock, K.Key_NumLock,
    K.Key_ScrollLock, K.Key_Mode_switch, K.Key_Super_L, K.Key_Super_R, K.Key_Hyper_L, K.Key_Hyper_R,
})
_COMMAND_MODIFIERS = M.ControlModifier | M.AltModifier | M.MetaModifier
_ALTGR_AS_CTRL_ALT = M.ControlModifier | M.AltModifier  # how Windows reports AltGr
# A keypad key with NumLock off: the digit it carries on its face.
_KEYPAD_DIGITS = {
    K.Key_Insert: "0", K.Key_End: "1", K.Key_Down: "2", K.Key_PageDown: "3", K.Key_Left: "4",
    K.Key_Clear: "5", K.Key_Right: "6", K.Key_Home: "7", K.Key_Up: "8", K.Key_PageUp: "9",
}


@dataclass(frozen=True)
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str  # what the key typed (given back as is)
    char: str  # what it means in a code


class KeyboardWedge(QObject):
    """Recognises scanner bursts application-wide; install with :meth:`install`."""

    code_scanned = Signal(str)

    def __init__(self, gap_ms: int = 50, min_length: int = 6, terminator: str = "enter",
                 prefix: str = "", suffix: str = "",
                 clock: Callable[[], float] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if gap_ms <= 0 or min_length <= 0:
            raise ValueError("gap_ms and min_length must be positive")
        self.gap_ms = gap_ms
        self.min_length = min_length
        self.terminator = Terminator(terminator)
        self.prefix = prefix
        self.suffix = suffix
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._held: list[_HeldKey] = []
        self._caps_lock = False  # seen during the held burst
        self._last_ms = 0.0
        self._ended_ms: float | None = None  # when the last code's terminator came (CR+LF)
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
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride) \
                or not obj.isWidgetType():
            # Key events reach the window first and the focus widget next: act once,
            # at the widget, where a key given back belongs.
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyRelease:
            return self._swallow_release(event)
        if kind == QEvent.Type.ShortcutOverride:
            return self._on_shortcut_override(event)
        return self._on_press(obj, event)

    def _now(self, event: QKeyEvent) -> float:
        return float(event.timestamp()) if event.timestamp() else self._clock()

    def _char_of(self, event: QKeyEvent) -> str | None:
        """What the key means in a code, or None for a key that is not a character."""
        if event.isAutoRepeat():
            return None
        mods = event.modifiers()
        if mods & _COMMAND_MODIFIERS and (mods & _ALTGR_AS_CTRL_ALT) != _ALTGR_AS_CTRL_ALT:
            return None  # Ctrl+C, Alt+1: commands, not characters
        text = event.text()
        if len(text) == 1 and text.isprintable():
            return text
        if not text and mods & M.KeypadModifier:
            return _KEYPAD_DIGITS.get(K(event.key()))
        return None

    def _is_terminator(self, event: QKeyEvent) -> bool:
        if event.modifiers() & _COMMAND_MODIFIERS or event.isAutoRepeat():
            return False
        if event.key() in _TERMINATOR_KEYS[self.terminator]:
            return True
        # X11's Linefeed key (what `xdotool type` sends for "\n") ends a line as Enter does.
        return self.terminator in (Terminator.ENTER, Terminator.CRLF) and event.text() in ("\r", "\n")

    def _is_line_feed(self, event: QKeyEvent, now: float) -> bool:
        """The LF of a CR+LF terminator: a second Enter, Ctrl+J or a bare LF, right after a code."""
        if self.terminator is not Terminator.CRLF or self._ended_ms is None:
            return False
        if now - self._ended_ms > self.gap_ms:
            self._ended_ms = None
            return False
        mods = event.modifiers()
        return (event.key() in _ENTER_KEYS or event.text() == "\n"
                or (event.key() == K.Key_J and bool(mods & M.ControlModifier)))

    def _on_shortcut_override(self, event: QKeyEvent) -> bool:
        """Qt asks before a key may trigger a shortcut: a key the wedge will take is
        "wanted by the widget", so no shortcut fires and the key press comes to us."""
        if event.key() in MODIFIER_KEYS:
            return False
        takes = (self._char_of(event) is not None
                 or (self._is_terminator(event) and len(self._held) >= self.min_length)
                 or self._is_line_feed(event, self._now(event)))
        if takes:
            event.accept()
            return True
        if self._held:
            # A key that may trigger a shortcut (F4, Ctrl+F): what was typed before it
            # goes first, as a person would expect.
            self._timer.stop()
            self._give_back()
        return False

    def _on_press(self, target: QObject, event: QKeyEvent) -> bool:
        if event.key() in MODIFIER_KEYS:
            return False  # Shift around capitals, Caps Lock, AltGr: the burst goes on
        now = self._now(event)
        if self._is_line_feed(event, now):
            self._ended_ms = None
            self._expect_release(event.key())
            return True
        if self._held and now - self._last_ms > self.gap_ms:
            self._give_back()  # the held keys were typed, not scanned
        char = self._char_of(event)
        if char is not None:
            self._note_caps_lock(event, char)
            self._held.append(_HeldKey(target, event.key(), event.modifiers(), event.text(), char))
            self._last_ms = now
            self._expect_release(event.key())
            if self._ends_with_suffix():
                self._timer.stop()
                self._emit_held()
                return True
            self._timer.start(self.gap_ms + 5)
            return True
        if self._is_terminator(event) and self._held:
            self._timer.stop()
            if len(self._held) >= self.min_length:
                self._emit_held()
                self._ended_ms = now
                self._expect_release(event.key())
                return True  # the terminator belongs to the scanner too
            self._give_back()
            return False
        if self._held:
            self._timer.stop()
            self._give_back()
        return False

    def _note_caps_lock(self, event: QKeyEvent, char: str) -> None:
        if char.isalpha() and char.islower() and event.modifiers() & M.ShiftModifier:
            self._caps_lock = True  # Shift gave a small letter: only Caps Lock does that

    def _ends_with_suffix(self) -> bool:
        if not self.suffix or len(self._held) < self.min_length + len(self.suffix):
            return False
        return "".join(k.char for k in self._held[-len(self.suffix):]) == self.suffix

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
        code = "".join(k.char for k in self._held)
        if self._caps_lock:
            code = code.swapcase()
        self._held.clear()
        self._caps_lock = False
        if self.prefix and code.startswith(self.prefix):
            code = code[len(self.prefix):]
        if self.suffix and code.endswith(self.suffix):
            code = code[:-len(self.suffix)]
        log.info("keyboard wedge: scanned %d characters", len(code))
        if code:
            self.code_scanned.emit(code)

    def _give_back(self) -> None:
        """Deliver the held keys to the widgets they were meant for, in order."""
        held, self._held = self._held, []
        self._caps_lock = False
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


def wedge_from_config(scanner: Any, parent: QObject | None = None) -> KeyboardWedge:
    """The wedge for a config's ``[scanner]`` settings (not installed yet)."""
    return KeyboardWedge(scanner.wedge_gap_ms, scanner.wedge_min_length, scanner.wedge_terminator,
                         prefix=scanner.wedge_prefix, suffix=scanner.wedge_suffix, parent=parent)
