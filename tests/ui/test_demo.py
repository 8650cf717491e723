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
