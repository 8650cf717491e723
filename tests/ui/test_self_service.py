"""Self-service mode: full screen, only the walk-in flow with an on-screen keypad, back
to the start after a pause, and nothing else reachable."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenuBar, QTabWidget

from kiosk.core.priority import PriorityCategory
from kiosk.services.results import WalkInOutcome
from kiosk.ui.self_service import SelfServiceWindow
from kiosk.ui.sounds import Sounds
from tests.conftest import TEST_PIN
from tests.ui.conftest import tickets


@pytest.fixture
def kiosk(qtbot: Any, make_ctx: Any) -> Any:
    ctx = make_ctx(desk={"self_service": True, "idle_seconds": 5})
    window = SelfServiceWindow(ctx, sounds=Sounds(True, output=False))
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.panel.quota is not None)
    yield window
    window.shutdown()


def test_an_elderly_applicant_uses_the_keypad_and_gets_a_ticket(qtbot, kiosk):
    panel = kiosk.panel
    qtbot.mouseClick(panel.buttons[PriorityCategory.LANSIA], Qt.MouseButton.LeftButton)
    assert panel.keypad is not None and panel.keypad.isVisible()
    for digit in "25011950":
        qtbot.mouseClick(panel.keypad.buttons[digit], Qt.MouseButton.LeftButton)
    assert panel.birth.text() == "25-01-1950"
    with qtbot.waitSignal(panel.answered, timeout=10_000) as answered:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert answered.args[0].outcome is WalkInOutcome.ISSUED
    assert tickets(kiosk.ctx) == 1


def test_it_is_full_screen_with_big_type_and_nothing_else(qtbot, kiosk):
    qtbot.waitUntil(kiosk.isFullScreen)
    hint = kiosk.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768  # a common touch-screen size
    assert kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not kiosk.findChildren(QMenuBar) and not kiosk.findChildren(QTabWidget)
    fields = [w.objectName() for w in kiosk.findChildren(QLineEdit) if w.isVisible()]
    assert "manual_code" not in fields and "search" not in fields
    assert kiosk.panel.buttons[PriorityCategory.LANSIA].font().pointSizeF() >= 24


def test_keys_and_closing_reach_nothing_else(qtbot, kiosk):
    kiosk.activateWindow()
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F4, Qt.Key.Key_F7, Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F12,
                Qt.Key.Key_Escape):
        qtbot.keyClick(kiosk, key)
    qtbot.keyClick(kiosk, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(kiosk, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.activeModalWidget() is None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [kiosk]
    kiosk.close()  # Alt+F4 / the window manager
    assert kiosk.isVisible()


def test_it_goes_back_to_the_start_after_a_pause(qtbot, kiosk):
    panel = kiosk.panel
    qtbot.mouseClick(panel.buttons[PriorityCategory.ANAK], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.keypad.buttons["1"], Qt.MouseButton.LeftButton)
    # the touch restarted the pause timer with the configured length
    assert kiosk._idle.isActive() and kiosk._idle.interval() == 5000
    kiosk._idle.setInterval(50)  # the same timer, shorter, so the test does not wait 5 s
    kiosk._idle.start()
    with qtbot.waitSignal(kiosk.went_idle, timeout=5_000):
        pass
    assert panel.category is None and panel.birth.text() == ""
    assert not any(b.isChecked() for b in panel.buttons.values())


def test_leaving_needs_the_supervisor_pin(qtbot, kiosk):
    kiosk.exit_with_pin("0000")
    qtbot.waitUntil(lambda: kiosk.runner.pending == 0)
    assert kiosk.isVisible() and "PIN salah" in kiosk.panel.result.text()
    kiosk.exit_with_pin(TEST_PIN)
    qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=10_000)
