"""Byte transports to a printer, one small class each, on python-escpos' connections.

A transport opens, writes bytes, optionally reads the printer's status replies, and
closes. Failures become :class:`TransportError` with the state they mean (a refused
connection is OFFLINE), so the printer thread can report them in plain words.
"""

from __future__ import annotations

import os
import socket
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from kiosk.devices.printing.status import (
    DLE_EOT_OFFLINE_CAUSE, DLE_EOT_PAPER, DLE_EOT_PRINTER, PrinterState, PrinterStatus, decode_status,
)


class TransportError(OSError):
    """The printer could not be reached or stopped taking bytes."""

    def __init__(self, message: str, state: PrinterState = PrinterState.OFFLINE) -> None:
        super().__init__(message)
        self.state = state


class Transport(ABC):
    kind: str = ""
    bidirectional = False  # can the printer answer DLE EOT on this connection?

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def write(self, data: bytes) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        raise NotImplementedError(f"{self.kind} connections are one-way")

    @abstractmethod
    def describe(self) -> str: ...

    def query_status(self, timeout: float = 1.0) -> PrinterStatus:
        """Ask the printer (DLE EOT 1, 2 and 4 in one write, so one round trip) on an open connection."""
        if not self.bidirectional:
            return PrinterStatus(PrinterState.UNKNOWN, detail=f"{self.kind}: one-way connection")
        self.write(DLE_EOT_PRINTER + DLE_EOT_OFFLINE_CAUSE + DLE_EOT_PAPER)
        replies = b""
        deadline = time.monotonic() + timeout
        while len(replies) < 3:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            chunk = self.read(3 - len(replies), left)
            if not chunk:
                break
            replies += chunk
        if not replies:
            return PrinterStatus(PrinterState.UNKNOWN, detail="no reply to DLE EOT")
        cause = replies[1] if len(replies) > 1 else None
        paper = replies[2] if len(replies) > 2 else None
        return decode_status(replies[0], cause, paper)


class EscposTransport(Transport):
    """A python-escpos printer object used only as a connection."""

    def __init__(self) -> None:
        self._printer: Any = None

    @abstractmethod
    def _make(self) -> Any: ...

    def open(self) -> None:
        self.close()
        try:
            printer = self._make()
            printer.open(raise_not_found=True)
        except Exception as exc:  # missing backend (libusb, lp, pywin32), absent device, no permission
            raise TransportError(f"{self.describe()}: {exc}".strip()) from exc
        self._printer = printer

    def write(self, data: bytes) -> None:
        if self._printer is None:
            raise TransportError(f"{self.describe()}: not open")
        try:
            self._printer._raw(data)
        except Exception as exc:  # each library has its own I/O error types
            raise TransportError(f"{self.describe()}: {exc}") from exc

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a dead connection must not mask the first error
                pass


class NetworkTransport(Transport):
    """Raw TCP, port 9100 ("JetDirect"); Epson/Xprinter network models answer DLE EOT."""

    kind = "network"
    bidirectional = True

    def __init__(self, host: str, port: int = 9100, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._sock: socket.socket | None = None

    def describe(self) -> str:
        return f"network {self.host}:{self.port}"

    def open(self) -> None:
        self.close()
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise TransportError(f"{self.describe()}: {exc.strerror or exc}") from exc
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes) -> None:
        if self._sock is None:
            raise TransportError(f"{self.describe()}: not open")
        try:
            self._sock.settimeout(self.timeout)
            self._sock.sendall(data)
        except OSError as exc:
            raise TransportError(f"{self.describe()}: {exc.strerror or exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        if self._sock is None:
            raise TransportError(f"{self.describe()}: not open")
        try:
            self._sock.settimeout(timeout)
            data = self._sock.recv(size)
        except socket.timeout:
            return b""
        except OSError as exc:
            raise TransportError(f"{self.describe()}: {exc.strerror or exc}") from exc
        if not data:
            raise TransportError(f"{self.describe()}: the printer closed the connection")
        return data

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


class UsbTransport(EscposTransport):
    kind = "usb"
    bidirectional = True

    def __init__(self, vendor_id: int, product_id: int, in_ep: int = 0x82, out_ep: int = 0x01,
                 timeout_ms: int = 5000) -> None:
        super().__init__()
        self.vendor_id, self.product_id = vendor_id, product_id
        self.in_ep, self.out_ep, self.timeout_ms = in_ep, out_ep, timeout_ms

    def describe(self) -> str:
        return f"usb {self.vendor_id:04x}:{self.product_id:04x}"

    def _make(self) -> Any:
        from escpos.printer import Usb

        return Usb(self.vendor_id, self.product_id, timeout=self.timeout_ms, in_ep=self.in_ep,
                   out_ep=self.out_ep)

    def read(self, size: int, timeout: float) -> bytes:
        try:
            return bytes(self._printer.device.read(self.in_ep, max(size, 16), int(timeout * 1000)))
        except Exception:  # usb.core.USBTimeoutError: no reply
            return b""


class SerialTransport(EscposTransport):
    kind = "serial"
    bidirectional = True

    def __init__(self, port: str, baudrate: int = 9600, timeout: float = 5.0) -> None:
        super().__init__()
        self.port, self.baudrate, self.timeout = port, baudrate, timeout

    def describe(self) -> str:
        return f"serial {self.port} @ {self.baudrate}"

    def _make(self) -> Any:
        from escpos.printer import Serial

        # Hardware flow control (DSR/DTR) is what stops a serial printer's buffer
        # from overflowing during a raster image.
        return Serial(devfile=self.port, baudrate=self.baudrate, timeout=self.timeout, dsrdtr=True)

    def read(self, size: int, timeout: float) -> bytes:
        device = self._printer.device
        device.timeout = timeout
        try:
            return bytes(device.read(size))
        finally:
            device.timeout = self.timeout


class CupsTransport(EscposTransport):
    """A CUPS queue in raw mode, through ``lp``; CUPS spools, so no status replies."""

    kind = "cups"

    def __init__(self, queue: str) -> None:
        super().__init__()
        self.queue = queue

    def describe(self) -> str:
        return f"cups {self.queue or '(default)'}"

    def _make(self) -> Any:
        from escpos.printer import LP

        return LP(self.queue)


class Win32RawTransport(EscposTransport):
    """A Windows printer queue fed RAW bytes (the spooler hides the status)."""

    kind = "win32raw"

    def __init__(self, printer_name: str) -> None:
        super().__init__()
        self.printer_name = printer_name

    def describe(self) -> str:
        return f"windows printer {self.printer_name or '(default)'}"

    def _make(self) -> Any:
        from escpos.printer import Win32Raw

        return Win32Raw(self.printer_name)


class FileTransport(Transport):
    """A device node (/dev/usb/lp0, COM port as a file, LPT1) or a plain file."""

    kind = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def describe(self) -> str:
        return f"file {self.path}"

    def open(self) -> None:
        self.close()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as exc:
            raise TransportError(f"{self.describe()}: {exc.strerror}") from exc

    def write(self, data: bytes) -> None:
        if self._fd is None:
            raise TransportError(f"{self.describe()}: not open")
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError as exc:
            raise TransportError(f"{self.describe()}: {exc.strerror}") from exc

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.fsync(fd)
            except OSError:
                pass  # a character device cannot be synced
            os.close(fd)
