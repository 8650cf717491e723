"""Every scanner of a desk behind one Qt object: one signal for every code.

The camera worker and the serial reader run on their own threads and report through
callbacks; the keyboard wedge runs on the GUI thread. :class:`ScanSources` turns all
of them into Qt signals of an object living on the GUI thread, so whatever scans a
code, the desk window receives ``code_scanned(text, source)`` on its own thread and
makes the same check-in call. Signals emitted from a worker thread reach slots on
the GUI thread through Qt's queued connections; the GUI never waits on a device.
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.config import Config
from kiosk.devices.camera import CameraWorker, Preview
from kiosk.devices.decoders import DecodedCode
from kiosk.devices.scanning import camera_from_config, serial_scanner_from_config, wedge_from_config
from kiosk.devices.serial_scanner import SerialScanner
from kiosk.devices.status import DeviceStatus

log = logging.getLogger(__name__)

CAMERA, USB, SERIAL = "camera", "usb", "serial"


def to_qimage(image: np.ndarray) -> QImage:
    """A QImage that owns a copy of a BGR (or gray) frame."""
    image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    if image.ndim == 2:
        return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_BGR888).copy()


class ScanSources(QObject):
    """The desk's camera, USB keyboard-wedge and serial scanners, per the config."""

    code_scanned = Signal(str, str)  # text, source: "camera", "usb" or "serial"
    preview = Signal(QImage, list)  # scaled frame, [corner points of each code in its pixels]
    status_changed = Signal(str, str, str)  # source, DeviceStatus value, detail

    def __init__(self, config: Config, parent: QObject | None = None, *, camera: CameraWorker | None = None,
                 serial: SerialScanner | None = None, use_wedge: bool = True) -> None:
        super().__init__(parent)
        self.camera = camera if camera is not None else camera_from_config(config)
        self.serial = serial if serial is not None else serial_scanner_from_config(config)
        if self.camera is not None:
            self.camera.on_code = self._camera_code
            self.camera.on_preview = self._camera_preview
            self.camera.on_status = lambda status, detail: self._status(CAMERA, status, detail)
        if self.serial is not None:
            self.serial.on_code = lambda text: self.code_scanned.emit(text, SERIAL)
            self.serial.on_status = lambda status, detail: self._status(SERIAL, status, detail)
        self.wedge = wedge_from_config(config, parent=self) if use_wedge else None
        if self.wedge is not None:
            self.wedge.code_scanned.connect(lambda text: self.code_scanned.emit(text, USB))

    def start(self) -> None:
        if self.wedge is not None:
            self.wedge.install()
        for worker in (self.camera, self.serial):
            if worker is not None:
                worker.start()

    def stop(self) -> bool:
        """Stop every scanner; True when every thread has ended."""
        if self.wedge is not None:
            self.wedge.uninstall()
        ended = True
        for worker in (self.camera, self.serial):
            if worker is not None:
                ended &= worker.stop()
        return ended

    # --- called on worker threads: emit only -----------------------------------------

    def _camera_code(self, code: DecodedCode) -> None:
        self.code_scanned.emit(code.text, CAMERA)

    def _camera_preview(self, frame: Preview) -> None:
        outlines = [[(float(x), float(y)) for x, y in code.corners] for code in frame.codes]
        self.preview.emit(to_qimage(frame.image), outlines)

    def _status(self, source: str, status: DeviceStatus, detail: str) -> None:
        self.status_changed.emit(source, status.value, detail)
