"""USB keyboard-wedge bursts with real Qt widgets (offscreen) and pytest-qt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.devices.wedge import KeyboardWedge

CODE = "AP1-JKP-261127-0930-042-7VGJ2DG5"


class FakeClock:
    """Milliseconds; the test moves it between keystrokes to play a scanner or a person."""

    def __init__(self) -> None:
        self.ms = 1_000.0

    def __call__(self) -> float:
        return self.ms


@pytest.fixture
def desk(qtbot):
    """A window with two line edits, the first focused, and the wedge installed."""
    window = QWidget()
    layout = QVBoxLayout(window)
    name, note = QLineEdit(), QLineEdit()
    layout.addWidget(name)
    layout.addWidget(note)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    name.setFocus()
    clock = FakeClock()
    wedge = KeyboardWedge(gap_ms=50, min_length=6, terminator="enter", clock=clock)
    wedge.install()
    scanned: list[str] = []
    wedge.code_scanned.connect(scanned.append)
    yield window, name, note, wedge, clock, scanned
    wedge.uninstall()


def scanner_types(qtbot, widget, text: str, clock: FakeClock, *, per_key_ms: float = 4.0, end=Qt.Key.Key_Return):
    for ch in text:
        clock.ms += per_key_ms
        qtbot.keyClick(widget, ch)
    if end is not None:
        clock.ms += per_key_ms
        qtbot.keyClick(widget, end)


def test_fast_burst_with_enter_is_one_code_and_not_typed(qtbot, desk):
    window, name, _, _, clock, scanned = desk
    name.setText("Budi")
    name.end(False)
    # GIVEN the officer is typing a name in a focused field
    # WHEN a scanner types a booking code and Enter within a few ms per key
    with qtbot.waitSignal(name.returnPressed, timeout=200, raising=False) as enter:
        scanner_types(qtbot, name, CODE, clock)
    # THEN exactly one code is reported, and the field neither got the characters nor the Enter
    assert scanned == [CODE]
    assert name.text() == "Budi"
    assert not enter.signal_triggered


def test_slow_typing_stays_typing(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    # GIVEN a person typing 200 ms per key
    with qtbot.waitSignal(name.returnPressed, timeout=1000):
        scanner_types(qtbot, name, "Budi Santoso", clock, per_key_ms=200)
    # THEN every character reached the field in order, Enter too, and no code was reported
    assert name.text() == "Budi Santoso"
    assert scanned == []


def test_last_slow_key_arrives_after_the_gap_without_another_key(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    # GIVEN a person typing slowly with no Enter at the end
    scanner_types(qtbot, name, "Ani", clock, per_key_ms=300, end=None)
    # WHEN nothing follows THEN the held last key is given back once the gap has passed
    qtbot.waitUntil(lambda: name.text() == "Ani", timeout=1000)
    assert scanned == []


def test_short_fast_burst_is_given_back_in_order(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    # GIVEN a burst shorter than the minimum length (a fast typist's "the")
    with qtbot.waitSignal(name.returnPressed, timeout=1000):
        scanner_types(qtbot, name, "abc", clock)
    # THEN it is typing: the field has it, in order, and Enter went through
    assert name.text() == "abc"
    assert scanned == []


def test_burst_without_terminator_is_given_back_when_enter_is_required(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    scanner_types(qtbot, name, "ABCDEFGH", clock, end=None)
    qtbot.waitUntil(lambda: name.text() == "ABCDEFGH", timeout=1000)
    assert scanned == []


def test_burst_then_slow_key_splits_correctly(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    # GIVEN a code scanned, then a person typing a letter a second later
    scanner_types(qtbot, name, CODE, clock)
    clock.ms += 1000
    qtbot.keyClick(name, "x")
    # THEN the code is reported and only the person's letter is typed
    qtbot.waitUntil(lambda: name.text() == "x", timeout=1000)
    assert scanned == [CODE]


def test_burst_goes_to_the_wedge_wherever_the_focus_is(qtbot, desk):
    window, name, note, _, clock, scanned = desk
    # GIVEN the focus in the second field
    note.setFocus()
    qtbot.waitUntil(note.hasFocus, timeout=1000)
    # WHEN two codes are scanned there
    scanner_types(qtbot, note, CODE, clock)
    clock.ms += 5000
    scanner_types(qtbot, note, "IMPORTED-0001", clock)
    # THEN both are reported (the wedge does not de-duplicate; the camera path does)
    assert scanned == [CODE, "IMPORTED-0001"]
    assert note.text() == "" and name.text() == ""


def test_control_keys_pass_and_end_a_burst(qtbot, desk):
    _, name, _, _, clock, scanned = desk
    name.setText("hello")
    # WHEN Ctrl+A (select all) is pressed THEN it reaches the field at once
    qtbot.keyClick(name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert name.selectedText() == "hello"
    assert scanned == []


def test_tab_terminator_keeps_the_focus(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=1000)
    clock = FakeClock()
    wedge = KeyboardWedge(gap_ms=40, min_length=4, terminator="tab", clock=clock)
    wedge.install()
    scanned: list[str] = []
    wedge.code_scanned.connect(scanned.append)
    try:
        # WHEN a scanner set to end with Tab scans a code
        scanner_types(qtbot, first, "KODE-77", clock, end=Qt.Key.Key_Tab)
        # THEN the code is reported and the Tab did not move the focus
        assert scanned == ["KODE-77"]
        assert first.hasFocus()
        assert first.text() == ""
    finally:
        wedge.uninstall()


def test_no_terminator_ends_the_burst_by_silence(qtbot):
    window = QLineEdit()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    clock = FakeClock()
    wedge = KeyboardWedge(gap_ms=30, min_length=6, terminator="none", clock=clock)
    wedge.install()
    try:
        # WHEN a scanner with no suffix scans a code
        with qtbot.waitSignal(wedge.code_scanned, timeout=1000) as blocker:
            scanner_types(qtbot, window, CODE, clock, end=None)
        # THEN the code is reported once the keys stop, and nothing was typed
        assert blocker.args == [CODE]
        assert window.text() == ""
    finally:
        wedge.uninstall()


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        KeyboardWedge(gap_ms=0)
    with pytest.raises(ValueError):
        KeyboardWedge(terminator="space")
