"""The desk's devices as Qt signals.

The camera worker and the printer thread run on their own named threads and report
through plain callbacks; :class:`DeskDevices` turns those callbacks into signals, which
Qt delivers on the GUI thread. The desk window only ever sees these signals, so the
real devices, the demo's and the tests' plug in the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.i18n import tr
from kiosk.ui.status_lights import Light, said

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
C = "Desk"


class Device(Protocol):
    def start(self) -> None: ...

    def stop(self, timeout: float = 5.0) -> bool: ...


def frame_to_image(frame: np.ndarray) -> QImage:
    """A BGR (OpenCV) or grey frame as a QImage that owns its pixels (safe to hand to
    another thread)."""
    import numpy as np  # only once a camera runs: keeps the desk's start-up short

    if frame.ndim == 2:
        h, w = frame.shape
        return QImage(np.ascontiguousarray(frame).data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    h, w, _ = frame.shape
    rgb = np.ascontiguousarray(frame[:, :, ::-1])
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


_CAMERA_LIGHTS = {"live": Light.OK, "connecting": Light.WARN, "reconnecting": Light.FAULT, "stopped": Light.OFF}


class DeskDevices(QObject):
    frame = Signal(QImage, object)  # the preview, and [(text, four corners in its pixels)] of the codes in it
    code_seen = Signal(str, object)  # text, four corners in frame pixels (or None)
    scanned = Signal(str)  # a code from a serial (COM) scanner
    camera_state = Signal(object)  # DeviceState
    scanner_state = Signal(object)  # DeviceState of the serial scanner
    printer_state = Signal(object)  # DeviceState
    printed = Signal(int, str)  # print job id, ticket number

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.camera: Device | None = None
        self.camera_problem = ""  # why the configured camera could not be set up
        self.serial_scanner: Device | None = None
        self.printer: Any = None  # the printer thread, woken when a job is queued
        self.printer_problem = ""  # why the configured printer could not be set up
        # Building the printer imports python-escpos (~0.8 s of CPU): done on the
        # window's task thread after the window is shown, not before.
        self.printer_factory: Callable[[], Any] | None = None
        self.scanner_factory: Callable[[], tuple[Any, Any]] | None = None  # (camera, serial scanner)
        self._stopped = False

    @property
    def camera_reason(self) -> str:
        """Why there is no picture, when no camera worker is attached."""
        if self.camera_problem:
            return tr(C, "tidak bisa dipakai ({reason}); pakai pemindai USB atau ketik kodenya",
                      reason=self.camera_problem[:120])
        return tr(C, "tidak ada kamera yang diatur; pakai pemindai USB atau ketik kodenya")

    @property
    def printer_reason(self) -> str:
        if self.printer_problem:
            return tr(C, "tidak bisa dipakai ({reason}); tiket menunggu di antrean cetak",
                      reason=self.printer_problem[:120])
        return tr(C, "belum diatur; tiket menunggu di antrean cetak")

    # --- callbacks, called on the device threads ----------------------------------------

    def on_preview(self, preview: Any) -> None:
        """The camera worker's Preview: a scaled frame and the codes outlined in it."""
        self.frame.emit(frame_to_image(preview.image), [(c.text, list(c.corners)) for c in preview.codes])

    def on_decoded(self, code: Any) -> None:
        """The camera worker's DecodedCode, once per fresh code (full-frame corners)."""
        self.code_seen.emit(code.text, None)

    def on_camera_status(self, status: Any, detail: str) -> None:
        """The camera worker's DeviceStatus and its detail (the source it reads), in
        words for the officer: the device reports a state, the desk words it."""
        def words() -> str:
            return {
                "live": tr(C, "menyala"),
                "connecting": tr(C, "menyambungkan…"),
                "reconnecting": tr(C, "tidak ada gambar dari {source}; mencoba lagi", source=detail[:120] or "-"),
                "stopped": tr(C, "berhenti"),
            }.get(str(status), str(status))
        self.camera_state.emit(said(_CAMERA_LIGHTS.get(str(status), Light.WARN), words))

    def on_serial_code(self, text: str) -> None:
        self.scanned.emit(text)

    def on_serial_status(self, status: Any, detail: str) -> None:
        def words() -> str:
            return {
                "live": tr(C, "pemindai serial siap"),
                "connecting": tr(C, "menyambungkan pemindai serial…"),
                "reconnecting": tr(C, "pemindai serial tidak terhubung; mencoba lagi ({detail})",
                                   detail=detail[:120] or "-"),
                "stopped": tr(C, "berhenti"),
            }.get(str(status), str(status))
        self.scanner_state.emit(said(_CAMERA_LIGHTS.get(str(status), Light.WARN), words))

    def on_code(self, text: str, corners: Sequence[tuple[float, float]] | None = None) -> None:
        self.code_seen.emit(text, list(corners) if corners else None)

    def on_printer_status(self, status: Any) -> None:
        """A printer status with ``.ok``, ``.paper_low`` and ``.message()``."""
        light = Light.OK if status.ok and not getattr(status, "paper_low", False) else \
            Light.WARN if status.ok else Light.FAULT
        self.printer_state.emit(said(light, status.message))

    def on_printed(self, job_id: int, name: str) -> None:
        self.printed.emit(job_id, name)

    # --- lifetime ------------------------------------------------------------------------

    def start(self, runner: Any = None) -> None:
        """Start the devices; ``runner`` (the window's TaskRunner) builds the printer."""
        if self.camera is None and self.scanner_factory is not None and runner is not None:
            self.camera_state.emit(said(Light.WARN, lambda: tr(C, "menyambungkan…")))
            runner.submit(self.scanner_factory, self._scanners_built)
        else:
            self._start_scanners()
        if self.printer is None and self.printer_factory is not None and runner is not None:
            self.printer_state.emit(said(Light.WARN, lambda: tr(C, "menyiapkan printer…")))
            runner.submit(self.printer_factory, self._printer_built)
        elif self.printer is None:
            self.printer_state.emit(said(Light.FAULT if self.printer_problem else Light.WARN,
                                         lambda: self.printer_reason))
        else:
            self.printer_state.emit(said(Light.WARN, lambda: tr(C, "status diketahui setelah tiket pertama")))
            self.printer.start()

    def _start_scanners(self) -> None:
        if self.camera is None:
            self.camera_state.emit(said(Light.FAULT if self.camera_problem else Light.OFF, lambda: self.camera_reason))
        else:
            self.camera.start()
        if self.serial_scanner is not None:
            self.serial_scanner.start()

    def _scanners_built(self, built: Any, error: BaseException | None) -> None:
        if self._stopped:
            return  # the window closed meanwhile
        if error is not None:
            log.warning("camera not available: %s", error)
            self.camera_problem = str(error)
        else:
            self.camera, self.serial_scanner = built
        self._start_scanners()

    def _printer_built(self, printer: Any, error: BaseException | None) -> None:
        if self._stopped:
            return  # the window closed while the printer was being built
        if error is not None:
            log.warning("printer not available: %s", error)
            self.printer_problem = str(error)
            self.printer_state.emit(said(Light.FAULT, lambda: self.printer_reason))
            return
        self.printer = printer
        self.printer_state.emit(said(Light.WARN, lambda: tr(C, "status diketahui setelah tiket pertama")))
        printer.start()

    def job_queued(self) -> None:
        if self.printer is not None and hasattr(self.printer, "wake"):
            self.printer.wake()

    def stop(self) -> None:
        self._stopped = True
        for device in (self.camera, self.serial_scanner, self.printer):
            if device is not None:
                device.stop()
