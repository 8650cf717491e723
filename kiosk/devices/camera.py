"""The camera: frames from OpenCV, codes out, on two background workers.

One worker only captures: it reads frames as fast as the source gives them and keeps
the newest one (a camera's own buffer would otherwise hand the decoder frames that
are seconds old). The other decodes the newest frame, reports fresh codes, and hands
the GUI a scaled preview at most ``preview_fps`` times a second. Neither ever blocks
the GUI thread: everything leaves through callbacks, which the GUI connects to Qt
signals (see :mod:`kiosk.devices.worker`).

A source is a device index (``0``), a URL (an IP camera, ``rtsp://…``), a video file,
an OpenCV image-sequence pattern (``frames/img_%03d.png``) or a folder of images —
the last three for tests and the demo. When reads fail or the device goes away, the
capture worker reports it, releases the device and opens it again every
``retry_seconds`` (0.5 s by default, so a camera plugged back in is live again well
within 3 s). A file or folder that reaches its end is opened again: it loops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from kiosk.devices.decoders import DecodedCode
from kiosk.devices.pipeline import IMAGE_SUFFIXES, Deduplicator, ScanPipeline
from kiosk.devices.status import DeviceStatus
from kiosk.devices.worker import BackgroundWorker

# OpenCV's own warnings ("can't open camera by index", twice a second while a camera is
# missing) would flood the terminal; the worker reports each state change once instead.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

log = logging.getLogger(__name__)


class SourceKind(StrEnum):
    DEVICE = "device"
    URL = "url"
    FILE = "file"
    SEQUENCE = "sequence"  # an OpenCV pattern such as img_%03d.png
    FOLDER = "folder"


@dataclass(frozen=True)
class CameraSource:
    kind: SourceKind
    target: str | int

    @classmethod
    def parse(cls, text: str) -> CameraSource:
        """Read a source from configuration text; ValueError when it cannot be one."""
        text = text.strip()
        if not text:
            raise ValueError("empty camera source: expected a device number, a URL or a file")
        if text.isdigit():
            return cls(SourceKind.DEVICE, int(text))
        if "://" in text:
            return cls(SourceKind.URL, text)
        if "%" in text:
            return cls(SourceKind.SEQUENCE, text)
        if Path(text).is_dir():
            return cls(SourceKind.FOLDER, text)
        return cls(SourceKind.FILE, text)

    @property
    def is_live(self) -> bool:
        """A real camera paces itself; files and folders are played at the set rate."""
        return self.kind in (SourceKind.DEVICE, SourceKind.URL)

    def __str__(self) -> str:
        return str(self.target)


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` the camera worker uses."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's names
    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def set(self, prop: int, value: float) -> bool: ...
    def get(self, prop: int) -> float: ...
    def release(self) -> None: ...


class FolderCapture:
    """The images of a folder, in name order, as if they were a video."""

    def __init__(self, folder: str) -> None:
        self._files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        self._next = 0
        self._open = bool(self._files)

    def isOpened(self) -> bool:  # noqa: N802
        return self._open

    def read(self) -> tuple[bool, np.ndarray | None]:
        if not self._open or self._next >= len(self._files):
            return False, None
        frame = cv2.imread(str(self._files[self._next]), cv2.IMREAD_COLOR)
        self._next += 1
        return frame is not None, frame

    def set(self, prop: int, value: float) -> bool:
        return False

    def get(self, prop: int) -> float:
        return 0.0

    def release(self) -> None:
        self._open = False


def open_capture(source: CameraSource, width: int = 1280, height: int = 720, fps: int = 30) -> Capture:
    """Open a source with OpenCV, asking a real camera for MJPG at the set size and rate."""
    if source.kind is SourceKind.FOLDER:
        return FolderCapture(str(source.target))
    if source.kind is SourceKind.SEQUENCE:
        return cv2.VideoCapture(str(source.target), cv2.CAP_IMAGES)
    if source.kind is SourceKind.URL:
        # Without timeouts a dead IP camera blocks the capture worker for a long time.
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 3000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 2000]
        return cv2.VideoCapture(str(source.target), cv2.CAP_ANY, params)
    if source.kind is SourceKind.FILE:
        return cv2.VideoCapture(str(source.target))
    capture = cv2.VideoCapture(int(source.target))
    if capture.isOpened():
        # Order matters for V4L2 and DirectShow: the format first, then the size.
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        capture.set(cv2.CAP_PROP_FPS, fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # where the backend honours it, fewer stale frames
    return capture


@dataclass(frozen=True)
class Preview:
    """A frame for the GUI, already scaled, with the codes outlined in its pixels."""

    image: np.ndarray  # BGR
    codes: tuple[DecodedCode, ...] = ()


@dataclass
class CameraStats:
    captured: int = 0
    decoded: int = 0
    reconnects: int = 0
    decode_seconds: float = field(default=0.0, repr=False)

    @property
    def dropped(self) -> int:
        """Frames replaced by a newer one before the decoder got to them."""
        return max(0, self.captured - self.decoded)


class LatestFrame:
    """A one-frame mailbox: a new frame replaces the old one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self._number = 0

    def put(self, frame: np.ndarray) -> None:
        with self._cond:
            self._frame = frame
            self._number += 1
            self._cond.notify_all()

    def take(self, after: int, timeout: float) -> tuple[int, np.ndarray] | None:
        """The newest frame if it is newer than frame number ``after``, waiting up to ``timeout``."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._number > after, timeout):
                return None
            assert self._frame is not None
            return self._number, self._frame

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


Opener = Callable[[CameraSource], Capture]
StatusCallback = Callable[[DeviceStatus, str], None]


def _ignore(*_: Any) -> None:
    return None


class _CaptureLoop(BackgroundWorker):
    def __init__(self, camera: CameraWorker) -> None:
        super().__init__(f"{camera.name}-capture")
        self._camera = camera

    def run(self) -> None:
        cam = self._camera
        first = True
        failing = False  # the last attempt failed too: said once, not at every retry
        while not self.stopping:
            if first:
                cam._set_status(DeviceStatus.CONNECTING, str(cam.source))
            capture: Capture | None = None
            looped = False
            try:
                capture = cam.opener(cam.source)
                if capture.isOpened():
                    failing = False
                    looped = self._read_until_failure(capture)
                elif not failing:
                    failing = True
                    log.info("camera %s cannot be opened; retrying every %.1f s", cam.source, cam.retry_seconds)
            except Exception:  # a driver fault must not end the worker: retry
                if not failing:
                    log.exception("camera %s failed", cam.source)
                failing = True
            finally:
                if capture is not None:
                    capture.release()
            first = False
            if self.stopping:
                break
            if looped:
                continue  # a file or folder played to its end: start it again at once
            if cam.status is not DeviceStatus.RECONNECTING:
                cam.stats.reconnects += 1
                cam._set_status(DeviceStatus.RECONNECTING, str(cam.source))
            if self.sleep(cam.retry_seconds):
                break

    def _read_until_failure(self, capture: Capture) -> bool:
        """Read frames into the mailbox until the source fails; True when a file or
        folder simply reached its end after giving frames."""
        cam = self._camera
        failures = 0
        period = 0.0 if cam.source.is_live else 1.0 / cam.fps
        next_due = time.monotonic()
        went_live = False
        while not self.stopping:
            ok, frame = capture.read()
            if not ok or frame is None:
                failures += 1
                # A live camera may drop a frame now and then; a file has ended.
                if not cam.source.is_live:
                    return went_live
                if failures >= cam.max_failed_reads:
                    return False
                continue
            failures = 0
            if not went_live:
                went_live = True
                h, w = frame.shape[:2]
                cam._set_status(DeviceStatus.LIVE, f"{w}x{h}")
            cam.stats.captured += 1
            cam.frames.put(frame)
            if period:
                next_due += period
                delay = next_due - time.monotonic()
                if delay > 0:
                    if self.sleep(delay):
                        return False
                else:
                    next_due = time.monotonic()
        return False


class CameraWorker(BackgroundWorker):
    """Reads codes from a camera source; every result leaves through a callback.

    ``on_code(code)`` once per fresh code (see :class:`Deduplicator`),
    ``on_preview(preview)`` at most ``preview_fps`` times a second,
    ``on_status(status, detail)`` on every change, where ``detail`` is data, not words
    (the source while connecting or retrying, the frame size once live): the windows
    word the state in their language. Callbacks run on the worker's thread: keep them
    short (emit a Qt signal).
    """

    def __init__(self, source: CameraSource, pipeline: ScanPipeline, *,
                 on_code: Callable[[DecodedCode], None] = _ignore,
                 on_preview: Callable[[Preview], None] = _ignore,
                 on_status: StatusCallback = _ignore,
                 dedupe_seconds: float = 3.0, preview_fps: float = 15.0, preview_width: int = 640,
                 fps: int = 30, retry_seconds: float = 0.5, max_failed_reads: int = 10,
                 opener: Opener | None = None, clock: Callable[[], float] = time.monotonic,
                 name: str = "camera") -> None:
        super().__init__(name)
        self.source = source
        self.pipeline = pipeline
        self.on_code = on_code
        self.on_preview = on_preview
        self.on_status = on_status
        self.clock = clock
        self.dedupe = Deduplicator(dedupe_seconds, clock)
        self.preview_interval = 1.0 / preview_fps if preview_fps > 0 else float("inf")
        self.preview_width = preview_width
        self.fps = fps
        self.retry_seconds = retry_seconds
        self.max_failed_reads = max_failed_reads
        self.opener: Opener = opener or open_capture
        self.frames = LatestFrame()
        self.stats = CameraStats()
        self.status = DeviceStatus.STOPPED
        self._status_lock = threading.Lock()
        self._capture = _CaptureLoop(self)

    def start(self) -> None:
        super().start()
        self._capture.start()

    def stop(self, timeout: float = 5.0) -> bool:
        self._stop.set()
        self.frames.wake()
        captured = self._capture.stop(timeout)
        decoded = super().stop(timeout)
        self._set_status(DeviceStatus.STOPPED, "")
        return captured and decoded

    @property
    def running(self) -> bool:
        return super().running or self._capture.running

    def _set_status(self, status: DeviceStatus, detail: str) -> None:
        with self._status_lock:
            if status is self.status:
                return
            self.status = status
        log.info("camera %s: %s %s", self.source, status, detail)
        try:
            self.on_status(status, detail)
        except Exception:
            log.exception("camera status callback failed")

    def run(self) -> None:
        last = 0
        next_preview = float("-inf")
        while not self.stopping:
            taken = self.frames.take(last, timeout=0.25)
            if taken is None:
                continue
            last, frame = taken
            started = time.perf_counter()
            codes = self.pipeline.decode_frame(frame)
            self.stats.decode_seconds += time.perf_counter() - started
            self.stats.decoded += 1
            for code in self.dedupe.filter(codes):
                self._call(self.on_code, code)
            now = self.clock()
            if now >= next_preview:
                next_preview = now + self.preview_interval
                self._call(self.on_preview, self._preview(frame, codes))

    def _preview(self, frame: np.ndarray, codes: list[DecodedCode]) -> Preview:
        h, w = frame.shape[:2]
        if w <= self.preview_width:
            return Preview(frame.copy(), tuple(codes))
        factor = self.preview_width / w
        image = cv2.resize(frame, (self.preview_width, round(h * factor)), interpolation=cv2.INTER_AREA)
        scale = np.float64([[factor, 0, 0], [0, factor, 0]])
        return Preview(image, tuple(code.mapped(scale) for code in codes))

    @staticmethod
    def _call(callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception:  # the GUI's fault must not stop the camera
            log.exception("camera callback failed")
