"""The waiting-room window: big, readable, closed to visitors, placed on the right screen."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QApplication

from display.model import BoardSnapshot, CallEvent
from display.screens import ScreenChoice, ScreenMemory, ScreenWatcher, choose_screen
from display.window import DisplayWindow
from kiosk.config import from_mapping

NOW = datetime(2026, 11, 27, 2, 41, tzinfo=timezone.utc)  # Friday 09.41 in Jakarta


def board() -> BoardSnapshot:
    calls = tuple(CallEvent(10 - i, s, n, c, NOW) for i, (s, n, c) in
                  enumerate([("A", 12, 3), ("B", 4, 1), ("A", 11, 2)]))
    return BoardSnapshot(10, calls, (), {1: "B004", 3: "A012"}, {"A": 23, "B": 5})


@pytest.fixture
def window(qtbot):
    config = from_mapping({"display": {"highlight_seconds": 1.0}})
    w = DisplayWindow(config, lambda: NOW)
    qtbot.addWidget(w)
    yield w
    w.shutdown()


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768), (3840, 2160)])
def test_the_called_number_is_at_least_15_percent_of_the_screen_height(qtbot, window, width, height):
    # GIVEN the board at a common TV resolution
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    # WHEN A012 is called
    window.show_board(board())
    # THEN the drawn digits are at least 15% of the height, and fit the panel
    metrics = QFontMetrics(window.number_label.font())
    ink = metrics.tightBoundingRect("A012")
    assert ink.height() >= 0.15 * height
    assert metrics.horizontalAdvance("A012") <= window.call_panel.width()


def test_the_board_shows_calls_counters_and_waiting_counts_but_no_personal_data(window):
    window.show_board(board())
    assert window.number_label.text() == "A012"
    assert window.counter_label.text() == "LOKET 3"
    assert [n.text() for n, _ in window.recent_rows[:3]] == ["B004", "A011", ""]
    assert [c.text() for _, c in window.recent_rows[:2]] == ["Loket 1", "Loket 2"]
    assert window.counter_cards[1][1].text() == "B004"
    assert window.counter_cards[2][1].text() == "—"
    assert window.waiting_labels["A"].text() == "A · Paspor (booking online): 23 menunggu"
    assert window.waiting_labels["B"].text() == "B · Prioritas: 5 menunggu"


def test_date_and_clock_are_in_indonesian_office_time(window):
    assert window.date_label.text() == "Jumat, 27 November 2026"
    assert window.clock_label.text() == "09.41"


def test_a_fresh_call_is_highlighted_for_the_configured_seconds(qtbot, window):
    # GIVEN highlight_seconds = 1
    # WHEN a call arrives
    window.highlight(board().recent_calls[0])
    # THEN it is highlighted, then goes back to normal by itself
    assert window.highlighted
    qtbot.waitUntil(lambda: not window.highlighted, timeout=5000)


def test_a_visitor_cannot_close_the_board(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    # WHEN someone presses Escape or Alt+F4 (a close request)
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    window.close()
    # THEN the board is still up, frameless, without a cursor
    assert window.isVisible()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.cursor().shape() == Qt.CursorShape.BlankCursor
    # AND only the program can close it
    window.shutdown()
    assert not window.isVisible()


def test_the_reconnecting_badge_is_shown_only_while_the_database_is_away(qtbot, window):
    window.show()
    window.show_board(board())
    window.set_reconnecting(True)
    assert window.reconnect_badge.isVisible()
    # the last state stays on the board
    assert window.number_label.text() == "A012"
    window.set_reconnecting(False)
    assert not window.reconnect_badge.isVisible()


class FakeScreen:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


def test_screen_choice_prefers_the_remembered_screen_then_the_first_non_primary():
    laptop, tv, projector = FakeScreen("eDP-1"), FakeScreen("HDMI-1"), FakeScreen("DP-2")
    screens = [laptop, tv, projector]
    # remembered and present → that one
    assert choose_screen(screens, laptop, ScreenChoice("DP-2", 2)) is projector
    # remembered but unplugged → the first non-primary
    assert choose_screen(screens, laptop, ScreenChoice("HDMI-9", 1)) is tv
    # nothing remembered, only the primary → the primary
    assert choose_screen([laptop], laptop, None) is laptop
    # an index without a name (chosen while that screen was absent) → by index
    assert choose_screen(screens, laptop, ScreenChoice("", 2)) is projector
    assert choose_screen([], None, None) is None


def test_the_screen_choice_is_remembered_and_a_broken_file_is_ignored(tmp_path):
    memory = ScreenMemory(tmp_path / "display-screen.json")
    assert memory.load() is None
    memory.save(ScreenChoice("HDMI-1", 1))
    assert ScreenMemory(memory.path).load() == ScreenChoice("HDMI-1", 1)
    memory.path.write_text("{not json")
    assert memory.load() is None


def test_a_burst_of_screen_changes_moves_the_window_once(qtbot):
    # GIVEN a watcher with a short debounce
    watcher = ScreenWatcher(debounce_ms=50)
    changes = []
    watcher.changed.connect(lambda: changes.append(1))
    app = QApplication.instance()
    # WHEN the primary screen "changes" five times in a burst (a cable being plugged)
    with qtbot.waitSignal(watcher.changed, timeout=2000):
        for _ in range(5):
            app.primaryScreenChanged.emit(app.primaryScreen())
    # THEN one change is reported, and no second one follows
    with qtbot.assertNotEmitted(watcher.changed, wait=150):
        pass
    assert changes == [1]
    watcher.close()
