"""The real camera worker, fed a video file as a webcam would be: a phone showing the
booking's QR code comes into view, and a ticket comes out."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import cv2
import numpy as np

from kiosk.devices.synthetic import Shot, phone_frame
from kiosk.services.results import CheckInOutcome
from kiosk.ui.launch import build_devices
from kiosk.ui.status_lights import Light
from tests.ui.conftest import book, print_jobs, tickets


def write_video(path: Path, code: str, *, empty: int = 15, holding: int = 45, fps: int = 30) -> Path:
    """An empty desk for ``empty`` frames, then a phone holding ``code`` (MJPG AVI)."""
    shot = Shot(width=640, height=480, code_px=220, angle=4.0, noise=2.0, seed=3)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (shot.width, shot.height))
    blank = np.full((shot.height, shot.width, 3), 90, np.uint8)
    for _ in range(empty):
        writer.write(blank)
    frame = phone_frame(code, shot)
    for _ in range(holding):
        writer.write(frame)
    writer.release()
    return path


def test_a_code_seen_by_the_camera_worker_in_a_video_issues_a_ticket(qtbot, make_ctx, make_desk, tmp_path):
    # GIVEN a desk whose camera is a video file of a phone showing an on-time booking
    ctx = make_ctx()
    code = book(ctx, time(10, 0))
    video = write_video(tmp_path / "phone.avi", code)
    ctx = make_ctx(camera={"source": str(video), "fps": 30})
    desk = make_desk(ctx, devices=build_devices(ctx, printer=False))
    # WHEN the camera worker plays it
    qtbot.waitUntil(lambda: desk.last_result is not None, timeout=20_000)
    # THEN the code was accepted, the ticket and its print job exist, the picture is shown
    assert desk.last_result.outcome is CheckInOutcome.ACCEPTED
    assert desk.last_result.ticket.booking_code == code
    assert desk.scan.verdict.title.text() == "DITERIMA"
    assert tickets(ctx) == 1 and print_jobs(ctx) == 1
    assert desk.scan.camera.has_frame
    assert desk.lights.camera.state.light in (Light.OK, Light.FAULT)  # live, or the file replaying


def test_a_camera_that_cannot_be_opened_is_reported_in_words(qtbot, make_ctx, make_desk, tmp_path):
    ctx = make_ctx(camera={"source": str(tmp_path / "no-such-camera.avi")})
    desk = make_desk(ctx, devices=build_devices(ctx, printer=False))
    qtbot.waitUntil(lambda: desk.lights.camera.state.light is Light.FAULT, timeout=10_000)
    assert desk.lights.camera.state.words == f"tidak ada gambar dari {tmp_path / 'no-such-camera.avi'}; mencoba lagi"
    assert "Kamera" in desk.scan.camera.message and not desk.scan.camera.has_frame
    # AND the desk still takes typed codes
    code = book(ctx, time(10, 0))
    with qtbot.waitSignal(desk.verdict_shown, timeout=10_000):
        desk.submit_code(code, "manual")
    assert tickets(ctx) == 1
