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


# --- what real scanners send: Shift around capitals, Caps Lock, keypad, AltGr, releases ------

from PySide6.QtGui import QKeySequence, QShortcut  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QDialog, QPushButton  # noqa: E402

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
PRESS, RELEASE = QTest.KeyAction.Press, QTest.KeyAction.Release


class HidScanner:
    """Plays a USB scanner's key reports as Qt receives them from the window system:
    Shift pressed and released around each capital (left or right Shift), each key
    pressed then released, ``per_key_ms`` apart on the clock."""

    def __init__(self, widget, clock: FakeClock, *, per_key_ms: float = 4.0, caps_lock: bool = False,
                 keypad_digits: bool = False, numlock: bool = True, releases_late: bool = False) -> None:
        self.widget, self.clock, self.per_key_ms = widget, clock, per_key_ms
        self.caps_lock, self.keypad_digits, self.numlock = caps_lock, keypad_digits, numlock
        self.releases_late = releases_late

    def _send(self, action, key, text="", mods=NONE) -> None:
        self.clock.ms += self.per_key_ms / 4
        QTest.sendKeyEvent(action, self.widget, key, text, mods)

    def char(self, ch: str) -> None:
        if ch.isdigit() and self.keypad_digits:
            if self.numlock:
                key, text = Qt.Key(Qt.Key.Key_0 + int(ch)), ch
            else:  # NumLock off: the navigation key printed on the same keypad key
                key = [Qt.Key.Key_Insert, Qt.Key.Key_End, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Left,
                       Qt.Key.Key_Clear, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_Up, Qt.Key.Key_PageUp][int(ch)]
                text = ""
            self._send(PRESS, key, text, KEYPAD)
            self._send(RELEASE, key, text, KEYPAD)
            return
        shifted = ch.isupper()
        key = Qt.Key(ord(ch.upper()))
        text = ch.swapcase() if (self.caps_lock and ch.isalpha()) else ch
        shift_key = Qt.Key.Key_Shift
        if shifted:
            self._send(PRESS, shift_key, "", SHIFT)
        mods = SHIFT if shifted else NONE
        self._send(PRESS, key, text, mods)
        if self.releases_late and shifted:
            # Shift let go before the letter: the letter's release comes unshifted
            self._send(RELEASE, shift_key, "", NONE)
            self._send(RELEASE, key, text.lower(), NONE)
            return
        self._send(RELEASE, key, text, mods)
        if shifted:
            self._send(RELEASE, shift_key, "", NONE)

    def key(self, key, text="", mods=NONE) -> None:
        self._send(PRESS, key, text, mods)
        self._send(RELEASE, key, text, mods)

    def scan(self, code: str, end=Qt.Key.Key_Return) -> None:
        for ch in code:
            self.char(ch)
        if end is not None:
            self.key(end, "\r" if end in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else "\t" if end == Qt.Key.Key_Tab else "")


@pytest.fixture
def form(qtbot):
    """A dialog like the walk-in form: a field, a default button, and shortcuts on Enter
    and a letter; the wedge installed."""
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    name, button = QLineEdit(), QPushButton("Cetak")
    button.setDefault(True)
    layout.addWidget(name)
    layout.addWidget(button)
    pressed: list[str] = []
    button.clicked.connect(lambda: pressed.append("default button"))
    QShortcut(QKeySequence("Ctrl+Return"), dialog, activated=lambda: pressed.append("Ctrl+Return"))
    QShortcut(QKeySequence("Enter"), dialog, activated=lambda: pressed.append("keypad Enter shortcut"))
    QShortcut(QKeySequence("Shift+A"), dialog, activated=lambda: pressed.append("Shift+A"))
    QShortcut(QKeySequence("F4"), dialog, activated=lambda: pressed.append("F4"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    name.setFocus()
    qtbot.waitUntil(name.hasFocus, timeout=1000)
    clock = FakeClock()
    wedge = KeyboardWedge(gap_ms=50, min_length=6, terminator="enter", clock=clock)
    wedge.install()
    scanned: list[str] = []
    wedge.code_scanned.connect(scanned.append)
    yield dialog, name, button, wedge, clock, scanned, pressed
    wedge.uninstall()


@pytest.mark.parametrize("per_key_ms", [1, 8, 40])
def test_shift_around_capitals_is_one_burst(qtbot, form, per_key_ms):
    dialog, name, _, _, clock, scanned, pressed = form
    # GIVEN the walk-in form's name field focused, a default button and shortcuts around
    # WHEN a scanner types the code in capitals, Shift pressed and released around each
    HidScanner(name, clock, per_key_ms=per_key_ms).scan(CODE)
    # THEN one code, exactly as on the paper; nothing typed, no button, no shortcut
    assert scanned == [CODE]
    assert name.text() == ""
    assert pressed == []
    assert dialog.isVisible()


def test_shift_released_before_the_letter_is_still_one_burst(qtbot, form):
    _, name, _, _, clock, scanned, pressed = form
    HidScanner(name, clock, releases_late=True).scan(CODE)
    assert scanned == [CODE]
    assert name.text() == "" and pressed == []


def test_caps_lock_on_gives_the_code_back_in_its_own_case(qtbot, form):
    _, name, _, _, clock, scanned, pressed = form
    # GIVEN Caps Lock on: Shift+letter arrives in lower case
    HidScanner(name, clock, caps_lock=True).scan("AP1-JKP-261127-0930-042-7VGJ2DG5")
    # THEN the code comes out as the scanner meant it
    assert scanned == ["AP1-JKP-261127-0930-042-7VGJ2DG5"]
    assert name.text() == "" and pressed == []


def test_caps_lock_on_with_mixed_case_code(qtbot, form):
    _, name, _, _, clock, scanned, _ = form
    HidScanner(name, clock, caps_lock=True).scan("Imp-abc-0001")
    assert scanned == ["Imp-abc-0001"]


def test_lower_case_code_without_caps_lock_stays_lower_case(qtbot, form):
    _, name, _, _, clock, scanned, _ = form
    HidScanner(name, clock).scan("imported-0001")
    assert scanned == ["imported-0001"]


@pytest.mark.parametrize("numlock", [True, False])
def test_keypad_digits_with_and_without_numlock(qtbot, form, numlock):
    _, name, _, _, clock, scanned, pressed = form
    HidScanner(name, clock, keypad_digits=True, numlock=numlock).scan("AP1-JKP-261127-0930-042-7VGJ2DG5",
                                                                      end=Qt.Key.Key_Enter)
    assert scanned == ["AP1-JKP-261127-0930-042-7VGJ2DG5"]
    assert name.text() == "" and pressed == []


def test_altgr_characters_and_modifier_keys_alone_do_not_break_a_burst(qtbot, form):
    _, name, _, _, clock, scanned, _ = form
    scanner = HidScanner(name, clock)
    for ch in "KODE":
        scanner.char(ch)
    # AltGr pressed for '@' (Windows reports AltGr as Ctrl+Alt), NumLock and Caps Lock taps
    scanner._send(PRESS, Qt.Key.Key_AltGr, "", NONE)
    scanner._send(PRESS, Qt.Key.Key_At, "@", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    scanner._send(RELEASE, Qt.Key.Key_At, "@", NONE)
    scanner._send(RELEASE, Qt.Key.Key_AltGr, "", NONE)
    scanner.key(Qt.Key.Key_NumLock)
    for ch in "77X":
        scanner.char(ch)
    scanner.key(Qt.Key.Key_Return, "\r")
    assert scanned == ["KODE@77X"]
    assert name.text() == ""


def test_enter_of_a_burst_never_presses_the_default_button(qtbot, form):
    dialog, name, button, _, clock, scanned, pressed = form
    # GIVEN the focus on the dialog's default button
    button.setFocus()
    qtbot.waitUntil(button.hasFocus, timeout=1000)
    HidScanner(button, clock).scan(CODE)
    assert scanned == [CODE]
    assert pressed == [] and dialog.isVisible() and dialog.result() == 0


def test_keypad_enter_shortcut_is_not_triggered_by_a_burst(qtbot, form):
    _, name, _, _, clock, scanned, pressed = form
    HidScanner(name, clock).scan(CODE, end=Qt.Key.Key_Enter)
    assert scanned == [CODE] and pressed == []


def test_a_person_pressing_shift_a_still_triggers_its_shortcut_and_enter_still_works(qtbot, form):
    dialog, name, _, _, clock, scanned, pressed = form
    # GIVEN a person, not a scanner: F4 pressed on its own reaches its shortcut
    clock.ms += 1000
    QTest.keyClick(name, Qt.Key.Key_F4)
    # AND Enter after slowly typed text presses the default button, as it should
    for ch in "Budi":
        clock.ms += 180
        qtbot.keyClick(name, ch)
    qtbot.waitUntil(lambda: name.text() == "Budi", timeout=1000)
    clock.ms += 180
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert pressed == ["F4", "default button"]
    assert scanned == []


def test_typing_then_f4_gives_the_typed_keys_first(qtbot, form):
    _, name, _, _, clock, scanned, pressed = form
    clock.ms += 1000
    qtbot.keyClick(name, "x")
    clock.ms += 10
    QTest.keyClick(name, Qt.Key.Key_F4)
    assert name.text() == "x" and pressed == ["F4"] and scanned == []


@pytest.mark.parametrize("terminator,end", [("tab", Qt.Key.Key_Tab), ("enter", Qt.Key.Key_Enter)])
def test_terminators(qtbot, form, terminator, end):
    _, name, _, wedge, clock, scanned, pressed = form
    wedge.terminator = type(wedge.terminator)(terminator)
    HidScanner(name, clock).scan(CODE, end=end)
    assert scanned == [CODE] and name.hasFocus() and name.text() == "" and pressed == []


def test_cr_lf_terminator_swallows_the_line_feed(qtbot, form):
    _, name, _, wedge, clock, scanned, pressed = form
    wedge.terminator = type(wedge.terminator)("crlf")
    scanner = HidScanner(name, clock)
    scanner.scan(CODE)
    scanner.key(Qt.Key.Key_J, "\n", Qt.KeyboardModifier.ControlModifier)  # LF as Ctrl+J
    scanner.scan(CODE)
    scanner.key(Qt.Key.Key_Return, "\r")  # LF as a second Enter
    assert scanned == [CODE, CODE]
    assert name.text() == "" and pressed == []


def test_prefix_and_suffix_are_stripped_and_a_suffix_ends_a_burst(qtbot, form):
    _, name, _, wedge, clock, scanned, pressed = form
    wedge.prefix, wedge.suffix = "]Q1", "#"
    wedge.terminator = type(wedge.terminator)("none")
    # GIVEN a scanner set to add "]Q1" before and "#" after, and no Enter
    HidScanner(name, clock).scan("]Q1" + CODE + "#", end=None)
    # THEN the code comes out bare at once (no wait for silence)
    assert scanned == [CODE]
    assert name.text() == "" and pressed == []


def test_human_typing_with_fast_pairs_is_never_a_scan(qtbot, form):
    """A quick typist's rhythm: mostly 90-250 ms a key, sometimes two keys 25-45 ms apart
    (rolled), Shift held for capitals, Enter at the end."""
    import random

    _, name, _, _, clock, scanned, pressed = form
    rnd = random.Random(17)
    texts = ["Budi Santoso", "SITI RAHAYU", "A042", "ap1-jkp-261127", "Dewi Lestari 1987"]
    for text in texts:
        name.clear()
        scanner = HidScanner(name, clock)
        for i, ch in enumerate(text):
            rolled = i % 3 == 1 and rnd.random() < 0.7
            clock.ms += rnd.uniform(25, 45) if rolled else rnd.uniform(90, 250)
            scanner.char(" " if ch == " " else ch)
        clock.ms += rnd.uniform(120, 300)
        qtbot.waitUntil(lambda text=text: name.text() == text, timeout=2000)
        scanner.key(Qt.Key.Key_Return, "\r")
    assert scanned == []
    assert pressed == ["default button"] * len(texts)
