"""The counter window: one key per action, the current ticket large, its own queue."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.services import walk_in
from kiosk.ui.counter import CounterWindow


@pytest.fixture
def window(qtbot, ctx):
    w = CounterWindow(ctx, 1)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.shutdown()


def press(qtbot, window, key):
    qtbot.keyClick(window, key)


def idle(window):
    return window.runner.pending == 0


def test_f_keys_call_serve_and_finish(qtbot, ctx, window):
    # GIVEN two walk-ins waiting for loket 1 (which serves B first)
    walk_in(ctx, "disabilitas")
    walk_in(ctx, "ibu_hamil")
    qtbot.waitUntil(lambda: "B · Prioritas: 2 menunggu" in window.waiting.text(), timeout=5000)
    # WHEN the officer presses F1 (Panggil berikutnya)
    press(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: idle(window) and window.current.text() == "B001", timeout=5000)
    # THEN B001 is shown large, called, and the queue shrinks
    assert window.state.text() == "Dipanggil"
    qtbot.waitUntil(lambda: "B · Prioritas: 1 menunggu" in window.waiting.text(), timeout=5000)
    # WHEN F3 (Mulai layani), then F4 (Selesai)
    press(qtbot, window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: idle(window) and window.state.text() == "Sedang dilayani", timeout=5000)
    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: idle(window) and window.current.text() == "—", timeout=5000)
    assert "B001 selesai dilayani." in window.message.text()
    # AND its last calls list the call
    qtbot.waitUntil(lambda: window.last_calls.count() == 1, timeout=5000)
    assert "B001" in window.last_calls.item(0).text()


def test_recall_no_show_and_transfer(qtbot, ctx, window):
    walk_in(ctx, "disabilitas")
    walk_in(ctx, "disabilitas")
    window.actions["next"].click()
    qtbot.waitUntil(lambda: idle(window) and window.current.text() == "B001", timeout=5000)
    press(qtbot, window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: idle(window) and window.state.text() == "Dipanggil ulang", timeout=5000)
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: idle(window) and "tidak hadir" in window.message.text(), timeout=5000)
    window.actions["next"].click()
    qtbot.waitUntil(lambda: idle(window) and window.current.text() == "B002", timeout=5000)
    window.transfer_to.setCurrentIndex(window.transfer_to.findData("A"))
    press(qtbot, window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: idle(window) and "dialihkan ke layanan A" in window.message.text(), timeout=5000)
    assert window.current.text() == "—"


def test_a_refused_action_shows_why_and_changes_nothing(qtbot, window):
    # GIVEN nobody called at loket 1
    # WHEN Selesai is pressed
    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: idle(window) and window.message.text() != "", timeout=5000)
    # THEN the officer reads why, and the buttons work again
    assert window.message.text() == "Loket 1 belum memanggil nomor apa pun."
    assert all(b.isEnabled() for b in window.actions.values())
    assert window.current.text() == "—"


def test_an_empty_queue_is_said_plainly(qtbot, window):
    press(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: idle(window) and window.message.text() != "", timeout=5000)
    assert window.message.text() == "Tidak ada antrean yang menunggu untuk loket 1."


def test_a_double_press_calls_one_person(qtbot, ctx, window):
    walk_in(ctx, "disabilitas")
    walk_in(ctx, "disabilitas")
    window.actions["next"].click()
    window.actions["next"].click()  # while the first is running: ignored
    qtbot.waitUntil(lambda: idle(window) and window.current.text() == "B001", timeout=5000)
    qtbot.waitUntil(lambda: "B · Prioritas: 1 menunggu" in window.waiting.text(), timeout=5000)


def test_compact_mode_is_small_and_always_on_top(qtbot, window):
    press(qtbot, window, Qt.Key.Key_F12)
    assert window.compact
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not window.details.isVisible()
    assert window.isVisible()
    window.set_compact(False)
    assert window.details.isVisible()
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
