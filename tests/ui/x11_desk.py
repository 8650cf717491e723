"""The real desk window on a real X display, driven over stdin/stdout by
tests/ui/test_desk_x11.py and benchmarks/wedge_x11.py.

Run as ``python -m tests.ui.x11_desk <config.toml>`` with DISPLAY set: the desk is
opened the way ``main.py desk`` opens it (kiosk.ui.launch.open_desk, on the xcb
platform), and one JSON command a line on stdin answers with one JSON line on stdout:

- ``{"cmd": "targets"}`` → every focusable field and button of every tab, of the
  supervisor PIN dialog, of the settings dialog and of the self-service screen;
- ``{"cmd": "focus", "target": id}`` → shows its tab or dialog, puts the focus there,
  answers the X window id of its top-level window;
- ``{"cmd": "wait_focus", "target": id}`` → waits until the window system has really
  given that widget the focus; answers ``focused`` and a snapshot of every field;
- ``{"cmd": "snapshot"}`` → the value of every input widget of every window.

Each verdict shown by the desk is written as ``{"event": "verdict", ...}``, each code
the self-service screen's wedge takes as ``{"event": "self_service_code", ...}``.
Used by tests and benchmarks only; never shipped.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, Qt  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox,  # noqa: E402
                               QLineEdit, QPlainTextEdit, QTextEdit, QWidget)

from kiosk.app import open_context  # noqa: E402
from kiosk.ui.launch import build_devices, qt_app  # noqa: E402


def say(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def focusable(root: QWidget) -> list[QWidget]:
    """Widgets a person can put the focus on, in tab order's spirit (layout order)."""
    found = []
    for w in root.findChildren(QWidget):
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isEnabled() or not w.isVisibleTo(root):
            continue
        if isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or combo box: the box itself is the target
        found.append(w)
    return found


def describe(w: QWidget) -> str:
    name = w.objectName() or (w.text() if isinstance(w, QAbstractButton) else "") or ""
    return f"{type(w).__name__}({name[:30]})"


def widget_path(w: QWidget) -> str:
    parts = []
    while w is not None:
        parent = w.parentWidget()
        siblings = [c for c in (parent.children() if parent else [w]) if type(c) is type(w)]
        parts.append(f"{type(w).__name__}:{w.objectName()}:{siblings.index(w)}")
        w = parent
    return "/".join(reversed(parts))


def value_of(w: QWidget) -> Any:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QAbstractSpinBox):
        return w.text()
    if isinstance(w, QComboBox):
        return w.currentText()
    if isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
        return w.toPlainText()
    if isinstance(w, QAbstractButton) and w.isCheckable():
        return w.isChecked()
    return None


class Driver:
    def __init__(self, config_path: str) -> None:
        from kiosk.ui.desk_window import DeskWindow
        from kiosk.ui.self_service import SelfServiceWindow
        from kiosk.ui.settings_dialog import ConfigDialog
        from kiosk.ui.sounds import Sounds
        from kiosk.ui.supervisor import SupervisorDialog

        self.ctx = open_context(config_path=Path(config_path))
        self.ctx.actor = "desk"
        self.app = qt_app(self.ctx.config.desk.language)
        self.desk = DeskWindow(self.ctx, devices=build_devices(self.ctx, camera=False), sounds=Sounds(False))
        self.desk.verdict_shown.connect(self._verdict)
        self.desk.show()
        self.pin = SupervisorDialog("PIN", "x", self.desk, ask_number=True, ask_reason=True)
        self.pin.setModal(False)
        self.settings = ConfigDialog(self.ctx, self.desk.runner, self.desk, actor="test")
        self.settings.setModal(False)
        self.self_service = SelfServiceWindow(self.ctx, devices=build_devices(self.ctx, camera=False, printer=False),
                                              sounds=Sounds(False))
        self.self_service.code_scanned.connect(
            lambda code: say({"event": "self_service_code", "code": code}))
        self.targets: dict[str, tuple[str, QWidget]] = {}
        # The walk-in form clears when the desk leaves it for a verdict: its fields are
        # compared as they were at that moment, so a key leaked into them still shows.
        self.left_values: dict[str, Any] = {}
        panel = self.desk.walkin
        clear = panel.leave

        def leave() -> None:
            self.left_values = {widget_path(w): value_of(w) for w in panel.findChildren(QWidget)
                                if value_of(w) is not None}
            clear()
        panel.leave = leave  # type: ignore[method-assign]
        self._notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._command)

    def _verdict(self, result: Any) -> None:
        # Painted now, synchronously: "at" (CLOCK_MONOTONIC, the same clock in every
        # process) is when the verdict is on screen, for benchmarks/wedge_x11.py.
        self.desk.scan.verdict.repaint()
        say({"event": "verdict", "code": self.desk.last_code, "outcome": result.outcome.value,
             "ticket": result.ticket.label if result.ticket is not None else None, "at": time.monotonic()})

    def _scopes(self) -> list[tuple[str, QWidget, Any]]:
        scopes: list[tuple[str, QWidget, Any]] = []
        for i in range(self.desk.tabs.count()):
            scopes.append((f"tab{i}", self.desk.tabs.widget(i), i))
        scopes += [("pin", self.pin, None), ("settings", self.settings, None),
                   ("self_service", self.self_service, None)]
        return scopes

    def _show_scope(self, scope: str) -> QWidget:
        # Two windows that each own a wedge never run in one process in real use: the
        # one on screen gets the scanner.
        mine, other_wedge = ((self.self_service.wedge, self.desk.wedge) if scope == "self_service"
                             else (self.desk.wedge, self.self_service.wedge))
        other_wedge.uninstall()
        mine.uninstall()
        mine.install()
        for name, root, index in self._scopes():
            if name != scope:
                continue
            if index is not None:
                for other in (self.pin, self.settings, self.self_service):
                    other.hide()
                self.desk.tabs.setCurrentIndex(index)
                top: QWidget = self.desk
            else:
                for other in (self.pin, self.settings, self.self_service):
                    if other is not root:
                        other.hide()
                root.show()
                top = root
            top.raise_()
            top.activateWindow()
            return top
        raise KeyError(scope)

    def list_targets(self) -> list[dict[str, Any]]:
        self.targets.clear()
        out = []
        for scope, root, _ in self._scopes():
            self._show_scope(scope)
            self._prepare(scope)
            QApplication.processEvents()
            widgets = focusable(root)
            if scope == "tab0":
                widgets.append(self.desk.tabs.tabBar())
            for n, w in enumerate(widgets):
                tid = f"{scope}/{n}/{describe(w)}"
                self.targets[tid] = (scope, w)
                out.append({"id": tid, "scope": scope, "kind": type(w).__name__})
        self._show_scope("tab0")
        return out

    def snapshot(self) -> dict[str, Any]:
        """Every input's value, keyed by a path that survives tables being refilled."""
        snap: dict[str, Any] = {}
        for top in QApplication.topLevelWidgets():
            for w in top.findChildren(QWidget):
                v = value_of(w)
                if v is not None:
                    snap[widget_path(w)] = v
        return snap

    def _prepare(self, scope: str) -> None:
        if scope == "tab1":
            # The worst case of the report: the walk-in form filled, lansia chosen,
            # so a leaked Enter would print a priority ticket.
            from kiosk.core.priority import PriorityCategory

            self.desk.walkin.choose(PriorityCategory.LANSIA)
            self.desk.walkin.birth.setText("01-01-1950")
            self.desk.walkin.name.setText("Sri Wahyuni")

    def _command(self) -> None:
        line = sys.stdin.readline()
        if not line:
            self.app.exit(0)
            return
        cmd = json.loads(line)
        kind = cmd["cmd"]
        if kind == "targets":
            say({"targets": self.list_targets()})
        elif kind == "focus":
            scope, widget = self.targets[cmd["target"]]
            top = self._show_scope(scope)
            self._prepare(scope)
            self.left_values = {}
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            say({"wid": int(top.winId())})
        elif kind == "wait_focus":
            scope, widget = self.targets[cmd["target"]]
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not (widget.hasFocus() and widget.window().isActiveWindow()):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                QApplication.processEvents()
                self.app.thread().msleep(10)  # the window manager's answer, over the X socket
            say({"focused": bool(widget.hasFocus() and widget.window().isActiveWindow()),
                 "focus": describe(QApplication.focusWidget()) if QApplication.focusWidget() else None,
                 "snapshot": self.snapshot()})
        elif kind == "snapshot":
            say({"snapshot": self.snapshot() | self.left_values, "runner_pending": self.desk.runner.pending})
        elif kind == "confirm_by_keys":
            # The priority tab, a category that needs the officer's confirmation, the
            # focus on the first category button: the test then presses Tab and Space.
            from kiosk.core.priority import PriorityCategory

            top = self._show_scope("tab1")
            panel = self.desk.walkin
            panel.choose(PriorityCategory.DISABILITAS)
            first = next(iter(panel.buttons.values()))
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            say({"wid": int(top.winId())})
        elif kind == "confirm_state":
            panel = self.desk.walkin
            focus = QApplication.focusWidget()
            say({"focus": focus.objectName() if focus else None, "checked": panel.confirm.isChecked(),
                 "issue_enabled": panel.submit_button.isEnabled(), "height": panel.confirm.height()})
        elif kind == "quit":
            say({"bye": True})
            self.app.exit(0)


class _KeyLog(QObject):
    """ANTREAN_X11_KEYLOG=1: every key event on stderr (debugging these tests)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            sys.stderr.write(f"{event.type().name} {type(obj).__name__} key={event.key():#x} text={event.text()!r} "
                             f"mods={event.modifiers()} native={event.nativeModifiers():#x} t={event.timestamp()}\n")
        return False


def main() -> int:
    keylog = _KeyLog()
    driver = Driver(sys.argv[1])
    if os.environ.get("ANTREAN_X11_KEYLOG"):
        driver.app.installEventFilter(keylog)
    say({"ready": True, "platform": QApplication.platformName()})
    code = driver.app.exec()
    driver.self_service.shutdown()
    driver.desk.shutdown()
    driver.ctx.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
