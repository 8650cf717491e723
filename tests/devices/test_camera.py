"""The camera worker on real video files and image sequences, and on a fake camera
that is unplugged mid-stream (hardware we do not have in CI)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices import synthetic
from kiosk.devices.camera import CameraSource, CameraWorker, LatestFrame, SourceKind
from kiosk.devices.status import DeviceStatus
from kiosk.devices.decoders import Decoder, DecodedCode, Symbology
from kiosk.devices.pipeline import ScanPipeline

WAIT = 20.0  # seconds: generous upper bounds for waits on conditions, never a sleep


class Recorder:
    """Collects what the worker's callbacks deliver, thread-safely."""

    def __init__(self) -> None:
        self.codes: list[DecodedCode] = []
        self.statuses: list[DeviceStatus] = []
        self.previews = []
        self._cond = threading.Condition()

    def code(self, code: DecodedCode) -> None:
        with self._cond:
            self.codes.append(code)
            self._cond.notify_all()

    def status(self, status: DeviceStatus, detail: str) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def preview(self, preview) -> None:
        with self._cond:
            self.previews.append(preview)
            self._cond.notify_all()

    def wait_for(self, predicate, timeout: float = WAIT) -> bool:
        """Wait until ``predicate`` holds: woken by every callback, and re-checked every
        20 ms for states the callbacks do not announce (like qtbot.waitUntil)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.02))
            return True


def camera_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera")]


@pytest.fixture
def no_thread_left():
    yield
    assert camera_threads() == [], "a camera thread is still running"


def code_frames(booking_text: str, count: int = 12, size=(640, 480)) -> list[np.ndarray]:
    """Blank desk frames, then the phone with the code, then blank again."""
    shot = synthetic.variations("qr", *size)["upright"]
    phone = synthetic.phone_frame(booking_text, shot)
    blank = np.full_like(phone, 90)
    return [blank] * 3 + [phone] * count + [blank] * 3


def write_video(path: Path, fourcc: str, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert writer.isOpened(), f"OpenCV cannot write {fourcc}"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def start_worker(source: CameraSource, pipeline: ScanPipeline, recorder: Recorder, **kwargs) -> CameraWorker:
    worker = CameraWorker(source, ScanPipeline(pipeline.decoders), on_code=recorder.code,
                          on_status=recorder.status, on_preview=recorder.preview, **kwargs)
    worker.start()
    return worker


@pytest.mark.parametrize(("fourcc", "suffix"), [("mp4v", ".mp4"), ("MJPG", ".avi")])
def test_video_file_source_reports_the_code_once(tmp_path, pipeline, booking_text, no_thread_left, fourcc, suffix):
    # GIVEN a video file of a phone showing a booking code
    video = write_video(tmp_path / f"desk{suffix}", fourcc, code_frames(booking_text))
    recorder = Recorder()
    # WHEN the camera worker plays it (it loops at the end)
    worker = start_worker(CameraSource.parse(str(video)), pipeline, recorder)
    try:
        assert recorder.wait_for(lambda: recorder.codes)
        assert recorder.wait_for(lambda: worker.stats.decoded >= 30)  # more than one pass of the file
    finally:
        assert worker.stop()
    # THEN the code was reported exactly once, with its outline
    assert [c.text for c in recorder.codes] == [booking_text]
    assert recorder.codes[0].symbology is Symbology.QR_CODE
    assert recorder.statuses[:2] == [DeviceStatus.CONNECTING, DeviceStatus.LIVE]
    assert DeviceStatus.RECONNECTING not in recorder.statuses  # the end of a file is not a fault
    assert recorder.statuses[-1] is DeviceStatus.STOPPED
    assert not worker.running


@pytest.mark.parametrize("as_pattern", [False, True], ids=["folder", "printf-pattern"])
def test_image_sequence_source(tmp_path, pipeline, booking_text, no_thread_left, as_pattern):
    # GIVEN a folder of numbered frames
    for i, frame in enumerate(code_frames(booking_text, count=4)):
        cv2.imwrite(str(tmp_path / f"frame_{i:03d}.png"), frame)
    text = str(tmp_path / "frame_%03d.png") if as_pattern else str(tmp_path)
    source = CameraSource.parse(text)
    assert source.kind is (SourceKind.SEQUENCE if as_pattern else SourceKind.FOLDER)
    recorder = Recorder()
    # WHEN the worker plays it
    worker = start_worker(source, pipeline, recorder)
    try:
        assert recorder.wait_for(lambda: recorder.codes)
    finally:
        assert worker.stop()
    # THEN the code is read from the sequence
    assert [c.text for c in recorder.codes] == [booking_text]


class FakeCamera:
    """Camera device 0 whose sensor shows ``frames`` in a loop, about 100 frames/s,
    and that can be unplugged: reads then fail and opening fails until replugged."""

    def __init__(self, frames: list[np.ndarray]) -> None:
        self.frames = frames
        self.plugged = True
        self.opened = 0
        self.unplug_after: int | None = None
        self.lock = threading.Condition()
        self.delivered = 0

    def wait_delivered(self, count: int) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: self.delivered >= count, WAIT)

    def open(self, source: CameraSource) -> FakeCapture:
        with self.lock:
            self.opened += 1
            return FakeCapture(self, self.plugged)


class FakeCapture:
    def __init__(self, camera: FakeCamera, opened: bool) -> None:
        self.camera = camera
        self.opened_ok = opened
        self.index = 0

    def isOpened(self) -> bool:  # noqa: N802
        return self.opened_ok

    def read(self):
        time.sleep(0.01)  # a sensor's frame time (hardware behaviour, not synchronisation)
        cam = self.camera
        with cam.lock:
            if cam.unplug_after is not None and self.index >= cam.unplug_after:
                cam.plugged = False
            if not cam.plugged or not self.opened_ok:
                return False, None
            frame = cam.frames[self.index % len(cam.frames)]
            self.index += 1
            cam.delivered += 1
            cam.lock.notify_all()
        return True, frame

    def set(self, prop, value):
        return True

    def get(self, prop):
        return 0.0

    def release(self) -> None:
        self.opened_ok = False


def test_camera_unplugged_mid_stream_reconnects_and_reads_again(pipeline, booking_text, no_thread_left):
    # GIVEN a camera that shows blank frames and is unplugged after 20 of them
    blank = np.full((480, 640, 3), 90, np.uint8)
    camera = FakeCamera([blank])
    camera.unplug_after = 20
    recorder = Recorder()
    worker = start_worker(CameraSource(SourceKind.DEVICE, 0), pipeline, recorder, opener=camera.open,
                          retry_seconds=0.05, max_failed_reads=3)
    try:
        # WHEN it goes away
        assert recorder.wait_for(lambda: DeviceStatus.RECONNECTING in recorder.statuses)
        assert recorder.wait_for(lambda: camera.opened >= 3)  # it keeps trying
        # AND comes back showing a booking code
        with camera.lock:
            camera.frames = code_frames(booking_text)
            camera.unplug_after = None
            camera.plugged = True
        # THEN the worker is live again and reads the code
        assert recorder.wait_for(lambda: recorder.codes)
    finally:
        assert worker.stop()
    assert recorder.statuses[:3] == [DeviceStatus.CONNECTING, DeviceStatus.LIVE, DeviceStatus.RECONNECTING]
    assert recorder.statuses[3] is DeviceStatus.LIVE
    assert [c.text for c in recorder.codes] == [booking_text]
    assert worker.stats.reconnects == 1


def test_camera_that_never_opens_keeps_retrying_and_stops_cleanly(pipeline, no_thread_left):
    # GIVEN no camera at all
    camera = FakeCamera([np.zeros((10, 10, 3), np.uint8)])
    camera.plugged = False
    recorder = Recorder()
    worker = start_worker(CameraSource(SourceKind.DEVICE, 0), pipeline, recorder, opener=camera.open,
                          retry_seconds=0.05)
    # WHEN the worker has tried a few times
    assert recorder.wait_for(lambda: camera.opened >= 3)
    # THEN it reports reconnecting (not a crash), and stops when asked
    assert DeviceStatus.RECONNECTING in recorder.statuses
    assert DeviceStatus.LIVE not in recorder.statuses
    assert worker.stop()
    assert not worker.running


class GatedDecoder(Decoder):
    """Records which frame it was given (the number painted in pixel 0,0); the first
    decode waits until the test lets it go, as a slow decode would."""

    name = "gated"

    def __init__(self) -> None:
        self.seen: list[int] = []
        self.release = threading.Event()
        self.entered = threading.Event()
        self.second = threading.Event()

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[DecodedCode]:
        self.seen.append(int(gray[0, 0]))
        if len(self.seen) == 1:
            self.entered.set()
            self.release.wait(WAIT)
        else:
            self.second.set()
        return []


def test_decoder_gets_the_newest_frame_not_a_stale_one(no_thread_left):
    # GIVEN a camera whose frames are numbered, and a decoder stuck on frame 1
    frames = [np.full((48, 64, 3), i, np.uint8) for i in range(1, 200)]
    camera = FakeCamera(frames)
    decoder = GatedDecoder()
    worker = CameraWorker(CameraSource(SourceKind.DEVICE, 0), ScanPipeline([decoder], retries=()),
                          opener=camera.open)
    worker.start()
    try:
        # WHEN the camera delivers ten more frames meanwhile
        assert decoder.entered.wait(WAIT)
        first = decoder.seen[0]
        assert camera.wait_delivered(first + 10)
        decoder.release.set()
        assert decoder.second.wait(WAIT)
    finally:
        assert worker.stop()
    # THEN the next frame decoded is one of the newest, not the one after the stuck one
    assert len(decoder.seen) >= 2
    assert decoder.seen[1] >= first + 10
    assert worker.stats.dropped > 0


def test_latest_frame_keeps_only_the_newest():
    box = LatestFrame()
    for i in range(3):
        box.put(np.full((2, 2), i, np.uint8))
    number, frame = box.take(0, timeout=0)
    assert number == 3 and frame[0, 0] == 2
    assert box.take(3, timeout=0) is None


def test_preview_is_scaled_and_paced(pipeline, booking_text, no_thread_left):
    # GIVEN a 1280x720 camera showing a code, and a clock that does not move
    frames = code_frames(booking_text, size=(1280, 720))
    camera = FakeCamera(frames[3:6])
    recorder = Recorder()
    worker = start_worker(CameraSource(SourceKind.DEVICE, 0), pipeline, recorder, opener=camera.open,
                          preview_width=640, preview_fps=15, clock=lambda: 1000.0)
    try:
        # WHEN many frames are decoded within one preview interval
        assert recorder.wait_for(lambda: worker.stats.decoded >= 5)
    finally:
        assert worker.stop()
    # THEN exactly one preview went out, at 640 pixels wide, with the code outlined in its pixels
    assert len(recorder.previews) == 1
    preview = recorder.previews[0]
    assert preview.image.shape[1] == 640 and preview.image.shape[0] == 360
    assert [c.text for c in preview.codes] == [booking_text]
    xs = [x for x, _ in preview.codes[0].corners]
    assert 0 <= min(xs) and max(xs) <= 640


def test_source_text_is_parsed(tmp_path):
    assert CameraSource.parse("0") == CameraSource(SourceKind.DEVICE, 0)
    assert CameraSource.parse(" 2 ").target == 2
    assert CameraSource.parse("rtsp://10.0.0.5/stream").kind is SourceKind.URL
    assert CameraSource.parse("img_%04d.png").kind is SourceKind.SEQUENCE
    assert CameraSource.parse(str(tmp_path)).kind is SourceKind.FOLDER
    assert CameraSource.parse("demo.mp4").kind is SourceKind.FILE
    with pytest.raises(ValueError, match="empty camera source"):
        CameraSource.parse("  ")
