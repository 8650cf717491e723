"""Printer state from ESC/POS real-time status replies (DLE EOT n).

Epson's ESC/POS reference: every reply byte has bit 1 and bit 4 set and bit 0 and
bit 7 clear. n=1 printer status: bit 3 offline. n=2 offline cause: bit 2 cover open,
bit 3 paper being fed by the button, bit 5 stopped because the paper ran out, bit 6
an error. n=4 roll paper sensor: bits 2-3 near end, bits 5-6 paper out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.i18n import tr

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"


class PrinterState(StrEnum):
    READY = "ready"
    OFFLINE = "offline"  # unreachable, unplugged or switched off
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"  # cutter jam, head too hot, ...
    UNKNOWN = "unknown"  # a one-way connection: sent, but the printer cannot tell us more


@dataclass(frozen=True)
class PrinterStatus:
    state: PrinterState
    paper_low: bool = False
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state in (PrinterState.READY, PrinterState.UNKNOWN)

    def message(self) -> str:
        """For the officer, in Bahasa Indonesia."""
        texts = {
            PrinterState.READY: tr("Printer", "Printer siap"),
            PrinterState.OFFLINE: tr("Printer", "Printer tidak terhubung atau mati"),
            PrinterState.PAPER_OUT: tr("Printer", "Kertas printer habis"),
            PrinterState.COVER_OPEN: tr("Printer", "Tutup printer terbuka"),
            PrinterState.ERROR: tr("Printer", "Printer mengalami gangguan"),
            PrinterState.UNKNOWN: tr("Printer", "Status printer tidak diketahui"),
        }
        text = texts[self.state]
        if self.paper_low and self.state is PrinterState.READY:
            text += tr("Printer", " (kertas hampir habis)")
        return text


def _valid(byte: int) -> bool:
    return byte & 0b1001_0011 == 0b0001_0010


def decode_status(printer: int, offline_cause: int | None, paper: int | None) -> PrinterStatus:
    """Combine the replies to DLE EOT 1, 2 and 4 (None where not asked or not answered)."""
    if not _valid(printer):
        return PrinterStatus(PrinterState.UNKNOWN, detail=f"unexpected status byte 0x{printer:02x}")
    paper_low = paper is not None and _valid(paper) and bool(paper & 0x0C)
    paper_out = paper is not None and _valid(paper) and bool(paper & 0x60)
    if offline_cause is not None and _valid(offline_cause):
        if offline_cause & 0x04:
            return PrinterStatus(PrinterState.COVER_OPEN, paper_low)
        if offline_cause & 0x20 or paper_out:
            return PrinterStatus(PrinterState.PAPER_OUT)
        if offline_cause & 0x40:
            return PrinterStatus(PrinterState.ERROR, paper_low)
    if paper_out:
        return PrinterStatus(PrinterState.PAPER_OUT)
    if printer & 0x08:
        return PrinterStatus(PrinterState.ERROR, paper_low, "offline")
    return PrinterStatus(PrinterState.READY, paper_low)
