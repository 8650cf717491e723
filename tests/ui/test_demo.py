"""The demo: a fresh office, the desk and a demo phone whose QR code the desk accepts."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from kiosk.app import open_context
from kiosk.demo import create_demo_office
from kiosk.services.results import CheckInOutcome


def test_the_demo_phone_shows_a_qr_the_desk_accepts(qtbot, tmp_path):
    from kiosk.ui.launch import open_demo

    # GIVEN the demo office and its windows
    office = create_demo_office(tmp_path / "demo")
    ctx = open_context(config_path=office.config_path)
    windows = open_demo(office, ctx, audio="fake")
    desk, phone, counter, display = windows
    try:
        for w in (desk, phone, counter):
            qtbot.addWidget(w)
        assert counter.isVisible() and display.window.isVisible()
        # WHEN the phone's QR of the on-time booking is saved as a picture and read back
        assert office.bookings[0].label == "accepted"
        phone.choice.setCurrentIndex(0)
        picture = phone.save(tmp_path / "phone.png")
        (read,) = zxingcpp.read_barcodes(Image.open(picture))
        assert read.text == office.bookings[0].code
        # THEN the desk, given what the camera would read, accepts it and prints a ticket
        with qtbot.waitSignal(desk.verdict_shown, timeout=15_000) as shown:
            desk.submit_code(read.text, "camera")
        assert shown.args[0].outcome is CheckInOutcome.ACCEPTED
        qtbot.waitUntil(lambda: any(ctx.config.preview_dir.glob("*A00*.png")), timeout=15_000)
    finally:
        from kiosk.ui.launch import _close

        for w in windows:
            _close(w)
        ctx.close()


def test_each_demo_window_owns_its_f_keys(qtbot, tmp_path):
    """The counter shares the demo's process with the desk: its F1-F6 must not make the
    desk's F3/F4 ambiguous (Qt then fires neither)."""
    from PySide6.QtCore import Qt

    from kiosk.ui.launch import _close, open_demo

    office = create_demo_office(tmp_path / "demo")
    ctx = open_context(config_path=office.config_path)
    windows = open_demo(office, ctx, audio="fake")
    desk, phone, counter, _display = windows
    try:
        for w in (desk, phone, counter):
            qtbot.addWidget(w)
        # GIVEN the desk is the active window
        desk.activateWindow()
        qtbot.waitUntil(desk.isActiveWindow, timeout=5000)
        # WHEN the officer presses F3, then F4, the keys the desk's messages name
        qtbot.keyClick(desk.scan.manual, Qt.Key.Key_F3)
        # THEN the desk's own tabs follow
        assert desk.tabs.currentIndex() == 1
        qtbot.keyClick(desk.walkin, Qt.Key.Key_F4)
        assert desk.tabs.currentIndex() == 2
        # AND the phone tells a newcomer what to do
        assert "meja depan" in phone.banner.text() and phone.banner.isVisible()
        # AND the counter, once active, has its own F1
        counter.activateWindow()
        qtbot.waitUntil(counter.isActiveWindow, timeout=5000)
        qtbot.keyClick(counter, Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: counter.message.text() != "", timeout=10_000)
        assert desk.tabs.currentIndex() == 2  # the desk did not take the counter's F1
    finally:
        for w in windows:
            _close(w)
        ctx.close()


def test_no_display_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    # GIVEN a machine with no display WHEN the demo is started
    done = subprocess.run([sys.executable, "main.py", "demo", "--folder", str(tmp_path / "demo")], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    # THEN one line says so and what to do, instead of Qt's abort
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "No display found" in lines[0] and "xvfb-run ./scripts/run.sh" in lines[0] and "--setup-only" in lines[0]


def test_display_problem_reads_the_environment():
    from kiosk.ui.launch import display_problem

    assert display_problem({}) == "DISPLAY is not set"
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem({"DISPLAY": ":987"}) == "nothing listens on DISPLAY=:987"
    assert display_problem({"DISPLAY": "remote:0"}) is None  # over the network: Qt will tell
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None
