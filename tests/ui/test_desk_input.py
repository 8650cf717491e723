"""Codes reach the desk from the keyboard, from a USB scanner wherever the focus is,
and from the camera's thread; the desk works without a camera and says why."""

from __future__ import annotations

import threading
from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.services.results import CheckInOutcome
from kiosk.ui.status_lights import Light
from tests.ui.conftest import book, print_jobs, tickets


def test_a_scanner_burst_issues_a_ticket_while_a_button_has_the_focus(qtbot, ctx, desk):
    # GIVEN the focus on the check button, not on the code field
    code = book(ctx, time(10, 0))
    desk.activateWindow()
    desk.scan.check.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.scan.check)
    # WHEN a scanner types the code and Enter
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        qtbot.keyClicks(desk.scan.check, code)
        qtbot.keyClick(desk.scan.check, Qt.Key.Key_Return)
    # THEN the code was checked in, a ticket and its print job exist
    assert shown.args[0].outcome is CheckInOutcome.ACCEPTED
    assert tickets(ctx) == 1 and print_jobs(ctx) == 1
    assert desk.lights.scanner.state.light is Light.OK


def test_a_scanner_burst_into_the_search_field_is_taken_out_of_it(qtbot, ctx, desk):
    # GIVEN the officer typing in the Today search field
    code = book(ctx, time(10, 0))
    desk.show_tab(2)
    desk.activateWindow()
    desk.today.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.today.search)
    desk.today.search.setText("A0")
    desk.today.search.end(False)
    # WHEN a scanner bursts a code ending in Enter into it
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        qtbot.keyClicks(desk.today.search, code)
        qtbot.keyClick(desk.today.search, Qt.Key.Key_Return)
    # THEN it is checked in and the search field keeps what the officer typed
    assert shown.args[0].outcome is CheckInOutcome.ACCEPTED
    assert desk.today.search.text() == "A0"
    assert tickets(ctx) == 1


def test_the_camera_thread_reports_a_code_and_the_outline_takes_the_verdict_colour(qtbot, ctx, desk):
    # GIVEN a code the camera worker found, reported from its own thread as it does
    code = book(ctx, time(10, 0))
    corners = [(100.0, 100.0), (300.0, 100.0), (300.0, 300.0), (100.0, 300.0)]
    worker = threading.Thread(target=desk.devices.on_code, args=(code, corners), name="camera-test")
    # WHEN it arrives
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000) as shown:
        worker.start()
    worker.join()
    # THEN a ticket is issued and the outline is drawn in the verdict's colour
    assert shown.args[0].outcome is CheckInOutcome.ACCEPTED
    assert desk.scan.camera.outline == corners
    assert desk.scan.camera._outline_colour.name() == "#1b7f3b"


def test_the_same_code_twice_before_its_verdict_gives_one_verdict(qtbot, ctx, desk):
    code = book(ctx, time(10, 0))
    seen = []
    desk.verdict_shown.connect(seen.append)
    desk.submit_code(code, "camera")
    desk.submit_code(code, "camera")
    qtbot.waitUntil(lambda: desk.runner.pending == 0 and bool(seen))
    assert len(seen) == 1 and tickets(ctx) == 1


def test_without_a_camera_the_desk_says_why_and_manual_entry_works(qtbot, ctx, desk):
    assert desk.lights.camera.state.light is Light.OFF
    assert "kamera" in desk.lights.camera.state.words
    assert not desk.scan.camera.has_frame and "Kamera" in desk.scan.camera.message
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.scan.manual.setText(code)
        desk.scan.manual.returnPressed.emit()
    assert tickets(ctx) == 1


def test_the_database_light_is_green_when_connected(qtbot, desk):
    qtbot.waitUntil(lambda: desk.lights.database.state.light is Light.OK)


def test_the_database_light_turns_red_with_words_when_it_is_gone(qtbot, tmp_path, clock):
    from kiosk.app import open_context
    from kiosk.ui.desk_window import DeskWindow
    from kiosk.ui.sounds import Sounds
    from tests.conftest import make_config

    share = tmp_path / "share"
    ctx = open_context(make_config(tmp_path), db_url=f"sqlite:///{share / 'gone.db'}", clock=clock)
    desk = DeskWindow(ctx, sounds=Sounds(True, output=False))
    qtbot.addWidget(desk)
    try:
        qtbot.waitUntil(lambda: desk.lights.database.state.light is Light.OK)
        # WHEN the database file's folder disappears under the desk (a network drive gone).
        # One rename: the desk's own background work may reconnect at any moment, and
        # SQLite creates a missing file but never a missing folder.
        share.rename(tmp_path / "share-unplugged")
        ctx.db.engine.dispose()
        desk.check_database()
        qtbot.waitUntil(lambda: desk.lights.database.state.light is Light.FAULT, timeout=10_000)
        assert "tidak tersambung" in desk.lights.database.state.words
    finally:
        desk.shutdown()
        ctx.close()


def test_keyboard_shortcuts_switch_tabs_and_focus_the_code_field(qtbot, desk):
    desk.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk)
    qtbot.keyClick(desk, Qt.Key.Key_F3)
    assert desk.tabs.currentIndex() == 1
    qtbot.keyClick(desk, Qt.Key.Key_F4)
    assert desk.tabs.currentIndex() == 2
    qtbot.keyClick(desk, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert desk.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.scan.manual)


def test_the_desk_fits_a_1366_by_768_screen(qtbot, desk):
    hint = desk.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    desk.resize(1366, 768)
    assert desk.width() == 1366 and desk.height() == 768


def test_with_the_printer_thread_an_accepted_scan_comes_out_of_the_printer(qtbot, ctx, make_desk):
    # GIVEN the desk with the configured printer (the preview printer writes PNG tickets)
    from sqlalchemy import select

    from kiosk.store import PrintJob
    from kiosk.ui.launch import build_devices

    desk = make_desk(ctx, devices=build_devices(ctx, camera=False))
    code = book(ctx, time(10, 0))
    # WHEN a code is accepted
    with qtbot.waitSignal(desk.devices.printed, timeout=15_000) as printed:
        desk.submit_code(code, "manual")
    # THEN the job is done, the ticket's picture is in the preview folder, the light is green
    assert printed.args[1] == "A001"
    with ctx.db.read() as session:
        assert session.scalar(select(PrintJob.state)) == "done"
    assert list(ctx.config.preview_dir.glob("*A001*.png"))
    qtbot.waitUntil(lambda: desk.lights.printer.state.light is Light.OK)
    assert "Tiket A001 tercetak" in desk.scan.notice.text()


def test_icons_are_drawn_sharp_on_high_dpi_screens(qapp):
    from kiosk.ui import look

    pixmap = look.svg_pixmap("accepted", 64, 2.0)
    assert pixmap.width() == 128 and pixmap.devicePixelRatio() == 2.0
    image = pixmap.toImage()
    drawn = sum(image.pixelColor(x, y).alpha() > 0 for x in range(0, 128, 4) for y in range(0, 128, 4))
    assert drawn > 20  # the check mark, not an empty picture
