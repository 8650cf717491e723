"""A ticket printer: a printer model plus a way to get the dots onto paper.

``with printer.session() as session: session.send(layout, name)`` is one job. Opening
the session connects and, where the printer can answer, asks its status, so a job is
only marked as printing once the printer is known to take it. On a two-way
connection ``send`` ends with ``GS r 1`` and waits for the answer: the printer
answers it in order, after it has taken every byte before it, so a connection that
dies mid-ticket is noticed instead of being counted as printed.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from pathlib import Path

from kiosk.core.ticket_layout import Paper, TicketLayout
from kiosk.devices.printing.profiles import PrinterModel
from kiosk.devices.printing.status import PrinterState, PrinterStatus
from kiosk.devices.printing.transports import Transport, TransportError

log = logging.getLogger(__name__)
GS_R_PAPER = b"\x1dr\x01"  # transmit paper sensor status: answered after the bytes before it
CHUNK = 1024  # bytes per write: small enough that a dead link is noticed within a ticket


class PrintError(Exception):
    """A job did not print. ``bytes_sent`` > 0 means part of it may be on paper."""

    def __init__(self, status: PrinterStatus, message: str, bytes_sent: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.bytes_sent = bytes_sent


class Session(ABC):
    @abstractmethod
    def send(self, layout: TicketLayout, name: str) -> int:
        """Print one layout; the number of bytes handed over. Raises PrintError."""


class TicketPrinter(ABC):
    def __init__(self, model: PrinterModel) -> None:
        self.model = model

    @property
    def paper(self) -> Paper:
        return self.model.paper

    @abstractmethod
    def describe(self) -> str: ...

    @abstractmethod
    def session(self) -> AbstractContextManager[Session]:
        """Context manager: connected and ready, or PrintError."""

    @abstractmethod
    def status(self) -> PrinterStatus: ...

    def print_layout(self, layout: TicketLayout, name: str = "ticket") -> int:
        with self.session() as session:
            return session.send(layout, name)


class _EscposSession(Session):
    def __init__(self, printer: EscposPrinter, confirm: bool) -> None:
        self.printer = printer
        self.confirm = confirm

    def send(self, layout: TicketLayout, name: str) -> int:
        # Imported here: python-escpos takes 0.3 s to load, which printers that never
        # speak ESC/POS (preview, recording) need not pay.
        from kiosk.devices.printing.render_escpos import render_escpos

        data = render_escpos(layout, self.printer.model)
        transport = self.printer.transport
        sent = 0
        try:
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                transport.write(chunk)
                sent += len(chunk)
                if sent == len(chunk) and self.printer.on_first_byte is not None:
                    self.printer.on_first_byte()
            if self.confirm:
                self._confirm(transport, len(data), sent)
        except TransportError as exc:
            raise PrintError(PrinterStatus(exc.state, detail=str(exc)), str(exc), sent) from exc
        return sent


    def _confirm(self, transport: Transport, size: int, sent: int) -> None:
        transport.write(GS_R_PAPER)
        # A slow serial link needs about 1 ms per byte (9600 baud).
        reply = transport.read(1, self.printer.timeout + size / 1000)
        if reply:
            if reply[-1] & 0x0C:
                raise PrintError(PrinterStatus(PrinterState.PAPER_OUT), "paper ran out during the ticket", sent)
            return
        # No answer to GS r: a printer that does not know it (some clones), or one that
        # stopped. Real-time DLE EOT tells them apart; only a printer that is still
        # ready counts the ticket as printed.
        status = transport.query_status(min(self.printer.timeout, 1.0))
        if status.state is not PrinterState.READY:
            raise PrintError(status if not status.ok else PrinterStatus(PrinterState.OFFLINE, detail=status.detail),
                             f"the printer did not confirm the ticket ({status.state.value})", sent)
        log.info("%s: no reply to GS r, but the printer is ready; ticket counted as printed",
                 self.printer.describe())


class EscposPrinter(TicketPrinter):
    def __init__(self, transport: Transport, model: PrinterModel, timeout: float = 5.0,
                 on_first_byte: Callable[[], None] | None = None) -> None:
        super().__init__(model)
        self.transport = transport
        self.timeout = timeout
        self.on_first_byte = on_first_byte  # benchmarks: when the first byte leaves

    def describe(self) -> str:
        return f"{self.model.profile} ({self.model.paper_mm} mm) via {self.transport.describe()}"

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            self.transport.open()
        except TransportError as exc:
            raise PrintError(PrinterStatus(exc.state, detail=str(exc)), str(exc)) from exc
        try:
            confirm = False
            if self.transport.bidirectional:
                try:
                    status = self.transport.query_status(min(self.timeout, 1.0))
                except TransportError as exc:
                    raise PrintError(PrinterStatus(exc.state, detail=str(exc)), str(exc)) from exc
                if not status.ok:
                    raise PrintError(status, status.message())
                confirm = status.state is PrinterState.READY  # it talks, so it will confirm
            yield _EscposSession(self, confirm)
        finally:
            self.transport.close()

    def status(self) -> PrinterStatus:
        try:
            self.transport.open()
            try:
                return self.transport.query_status(min(self.timeout, 1.0))
            finally:
                self.transport.close()
        except TransportError as exc:
            return PrinterStatus(exc.state, detail=str(exc))


class _PreviewSession(Session):
    def __init__(self, printer: PreviewPrinter) -> None:
        self.printer = printer

    def send(self, layout: TicketLayout, name: str) -> int:
        from kiosk.devices.printing.render_png import render_png

        png = render_png(layout)
        if self.printer.on_first_byte is not None:
            self.printer.on_first_byte()
        path = self.printer.next_path(name)
        try:
            self.printer.folder.mkdir(parents=True, exist_ok=True)
            # Whole files only: the UI may show the folder while a ticket is written.
            fd, tmp = tempfile.mkstemp(dir=self.printer.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(png)
            os.replace(tmp, path)
        except OSError as exc:
            status = PrinterStatus(PrinterState.ERROR, detail=f"{self.printer.folder}: {exc.strerror}")
            raise PrintError(status, status.detail) from exc
        self.printer.last_path = path
        return len(png)


class PreviewPrinter(TicketPrinter):
    """Tickets as PNG files in a folder: the demo, training, and offices waiting for a printer."""

    def __init__(self, folder: Path, model: PrinterModel,
                 on_first_byte: Callable[[], None] | None = None) -> None:
        super().__init__(model)
        self.folder = folder
        self.on_first_byte = on_first_byte
        self.last_path: Path | None = None

    def describe(self) -> str:
        return f"preview ({self.model.paper_mm} mm) in {self.folder}"

    def next_path(self, name: str) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40] or "ticket"
        return self.folder / f"{stamp}-{safe}.png"

    @contextmanager
    def session(self) -> Iterator[Session]:
        yield _PreviewSession(self)

    def status(self) -> PrinterStatus:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return PrinterStatus(PrinterState.ERROR, detail=f"{self.folder}: {exc.strerror}")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(PrinterState.ERROR, detail=f"{self.folder}: not writable")
        return PrinterStatus(PrinterState.READY)
