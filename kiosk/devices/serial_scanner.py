"""Serial (COM) barcode scanners: one code per line on a serial port.

Many desk scanners can be switched from keyboard emulation to a (USB virtual) serial
port; then they cannot type into the wrong field at all. The port is anything
pyserial opens: ``COM3``, ``/dev/ttyACM0``, or a URL such as
``socket://10.0.0.7:4001`` for a scanner behind a serial-to-network adapter. The
reader keeps the port open, reports every line it ends with CR or LF, and when the
port fails or vanishes (unplugged) it reports so and opens it again every
``retry_seconds``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.devices.status import DeviceStatus
from kiosk.devices.worker import BackgroundWorker

log = logging.getLogger(__name__)

MAX_LINE = 512  # a scanner line longer than this is noise (wrong baud rate), not a code


def _ignore(*_: Any) -> None:
    return None


def open_port(port: str, baudrate: int) -> Any:
    import serial

    # The short timeout keeps the loop responsive to stop(); it is not a frame gap.
    return serial.serial_for_url(port, baudrate=baudrate, timeout=0.1)


class SerialScanner(BackgroundWorker):
    """Reads codes from a serial scanner. ``on_code(text)`` once per scanned line,
    ``on_status(status, detail)`` on every change; both run on the worker's thread."""

    def __init__(self, port: str, baudrate: int = 9600, *,
                 on_code: Callable[[str], None] = _ignore,
                 on_status: Callable[[DeviceStatus, str], None] = _ignore,
                 retry_seconds: float = 0.5,
                 opener: Callable[[str, int], Any] = open_port,
                 name: str = "serial-scanner") -> None:
        super().__init__(name)
        if not port.strip():
            raise ValueError("empty serial port: expected e.g. COM3 or /dev/ttyACM0")
        self.port = port
        self.baudrate = baudrate
        self.on_code = on_code
        self.on_status = on_status
        self.retry_seconds = retry_seconds
        self._opener = opener
        self.status = DeviceStatus.STOPPED

    def stop(self, timeout: float = 5.0) -> bool:
        ended = super().stop(timeout)
        self._set_status(DeviceStatus.STOPPED, "")
        return ended

    def _set_status(self, status: DeviceStatus, detail: str) -> None:
        if status is self.status:
            return
        self.status = status
        log.info("serial scanner %s: %s %s", self.port, status, detail)
        try:
            self.on_status(status, detail)
        except Exception:
            log.exception("serial scanner status callback failed")

    def run(self) -> None:
        import serial

        self._set_status(DeviceStatus.CONNECTING, self.port)
        while not self.stopping:
            port = None
            try:
                port = self._opener(self.port, self.baudrate)
                self._set_status(DeviceStatus.LIVE, f"{self.port} at {self.baudrate} baud")
                self._read_lines(port)
            except (serial.SerialException, OSError, ValueError) as exc:
                log.info("serial scanner %s: %s", self.port, exc)
            finally:
                if port is not None:
                    try:
                        port.close()
                    except Exception:  # closing a vanished port may fail too
                        pass
            if self.stopping:
                break
            self._set_status(DeviceStatus.RECONNECTING, self.port)
            if self.sleep(self.retry_seconds):
                break

    def _read_lines(self, port: Any) -> None:
        self.assert_on_worker_thread()  # the port is only ever read from the scanner's own thread
        pending = bytearray()
        while not self.stopping:
            chunk = port.read(port.in_waiting or 1)
            if not chunk:
                continue
            pending.extend(chunk)
            while True:
                cut = next((i for i, b in enumerate(pending) if b in (10, 13)), -1)
                if cut < 0:
                    break
                line, pending = bytes(pending[:cut]), pending[cut + 1:]
                self._deliver(line)
            if len(pending) > MAX_LINE:
                log.warning("serial scanner %s: %d bytes without a line end dropped (wrong baud rate?)",
                            self.port, len(pending))
                pending.clear()

    def _deliver(self, line: bytes) -> None:
        text = line.decode("utf-8", errors="replace").strip()
        if not text:
            return  # the LF of a CR LF pair, or an empty line
        try:
            self.on_code(text)
        except Exception:
            log.exception("serial scanner code callback failed")
