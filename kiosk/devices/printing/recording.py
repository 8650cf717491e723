"""A printer that keeps what it is given: simulations and crash tests.

It behaves like a real printer where that matters to the outbox: it can be switched
off or run out of paper for a while (the session refuses, nothing is printed), and a
ticket can stop halfway (part of it on paper, so the retry must carry the reprint
mark). With a ``journal`` file, each layout is also appended as one JSON line, so a
process that survives this one can read what reached the paper.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.ticket_layout import TicketLayout
from kiosk.devices.printing.printer import PrintError, Session, TicketPrinter
from kiosk.devices.printing.profiles import PrinterModel
from kiosk.devices.printing.status import PrinterState, PrinterStatus


@dataclass(frozen=True)
class PrintedLayout:
    name: str  # the job's name: the ticket number, or "test"
    layout: TicketLayout
    complete: bool  # False: the paper ran out in the middle of it

    def has_line(self, text: str) -> bool:
        return text in self.layout.text_lines()


class _RecordingSession(Session):
    def __init__(self, printer: RecordingPrinter) -> None:
        self.printer = printer

    def send(self, layout: TicketLayout, name: str) -> int:
        printer = self.printer
        size = sum(len(line) for line in layout.text_lines()) + 100
        if printer.break_next > 0:
            printer.break_next -= 1
            printer.record(PrintedLayout(name, layout, complete=False))
            raise PrintError(PrinterStatus(PrinterState.PAPER_OUT), "paper ran out during the ticket", size // 2)
        printer.record(PrintedLayout(name, layout, complete=True))
        return size


class RecordingPrinter(TicketPrinter):
    def __init__(self, model: PrinterModel, journal: Path | None = None) -> None:
        super().__init__(model)
        self.printed: list[PrintedLayout] = []
        self.fault: PrinterState | None = None  # while set, every session is refused
        self.break_next = 0  # this many next tickets stop halfway
        self.journal = journal

    def describe(self) -> str:
        return f"recording ({self.model.paper_mm} mm)"

    def record(self, printed: PrintedLayout) -> None:
        self.printed.append(printed)
        if self.journal is not None:
            line = json.dumps({"name": printed.name, "complete": printed.complete, "qr": printed.layout.qr_data,
                               "lines": printed.layout.text_lines()}) + "\n"
            # One append of one line: whole or absent when the process is killed.
            fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)

    @contextmanager
    def session(self) -> Iterator[Session]:
        if self.fault is not None:
            status = PrinterStatus(self.fault)
            raise PrintError(status, status.message())
        yield _RecordingSession(self)

    def status(self) -> PrinterStatus:
        return PrinterStatus(self.fault or PrinterState.READY)


def read_journal(path: Path) -> list[dict[str, object]]:
    """The layouts a journal holds, in order (a missing file: none)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
