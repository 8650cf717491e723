"""Camera, USB wedge and serial scanner all reach the GUI thread through one signal."""

from __future__ import annotations

import socket

import cv2
import numpy as np
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QLineEdit

from kiosk.config import from_mapping
from kiosk.devices import synthetic
from kiosk.devices.scan_sources import ScanSources, to_qimage


def test_every_scanner_ends_in_one_signal_on_the_gui_thread(qtbot, tmp_path, booking_text):
    # GIVEN a desk with a camera (a folder of frames showing a phone), a serial scanner
    # behind a network adapter on 127.0.0.1 and the keyboard wedge
    frames = tmp_path / "camera"
    frames.mkdir()
    phone = synthetic.phone_frame(booking_text, synthetic.variations("qr", 640, 480)["upright"])
    for i in range(5):
        cv2.imwrite(str(frames / f"{i:02d}.png"), phone)
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(20)
    config = from_mapping({"camera": {"source": str(frames)},
                           "scanner": {"serial_port": f"socket://127.0.0.1:{server.getsockname()[1]}",
                                       # generous: the keys below come from the test, on a shared machine
                                       "wedge_gap_ms": 300}})
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.setFocus()
    sources = ScanSources(config)
    received: list[tuple[str, str, bool]] = []
    gui_thread = QThread.currentThread()
    sources.code_scanned.connect(lambda text, source: received.append(
        (text, source, QThread.currentThread() is gui_thread)))
    previews = []
    sources.preview.connect(lambda image, outlines: previews.append((image, outlines)))
    statuses = []
    sources.status_changed.connect(lambda *args: statuses.append(args))
    sources.start()
    conn = None
    try:
        # WHEN the camera sees the phone
        qtbot.waitUntil(lambda: any(s == "camera" for _, s, _ in received), timeout=20000)
        # AND the serial scanner sends a code
        conn, _ = server.accept()
        qtbot.waitUntil(lambda: ("serial", "live") in [(s[0], s[1]) for s in statuses], timeout=20000)
        conn.sendall(b"IMPORTED-0042\r\n")
        qtbot.waitUntil(lambda: any(s == "serial" for _, s, _ in received), timeout=20000)
        # AND a USB scanner types a code into the focused field
        for ch in "KODE-USB-7":
            qtbot.keyClick(field, ch)
        qtbot.keyClick(field, "\r")
        qtbot.waitUntil(lambda: any(s == "usb" for _, s, _ in received), timeout=20000)
    finally:
        if conn is not None:
            conn.close()
        assert sources.stop()
        server.close()
    # THEN every code arrived once, on the GUI thread, tagged with its source
    assert (booking_text, "camera", True) in received
    assert ("IMPORTED-0042", "serial", True) in received
    assert ("KODE-USB-7", "usb", True) in received
    assert field.text() == ""
    # AND the preview carried the frame and the code's outline
    assert previews and all(image.width() == 640 for image, _ in previews)
    assert any(len(outlines) == 1 and len(outlines[0]) == 4 for _, outlines in previews)
    assert ("camera", "live") in [(s[0], s[1]) for s in statuses]


def test_frame_to_qimage_keeps_colours():
    frame = np.zeros((2, 3, 3), np.uint8)
    frame[0, 0] = (255, 0, 0)  # blue in BGR
    image = to_qimage(frame)
    assert image.width() == 3 and image.height() == 2
    assert image.pixelColor(0, 0).blue() == 255 and image.pixelColor(0, 0).red() == 0
    assert to_qimage(np.full((4, 5), 200, np.uint8)).pixelColor(1, 1).red() == 200
