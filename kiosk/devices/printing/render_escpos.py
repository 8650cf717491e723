"""A ticket layout as ESC/POS bytes, made by python-escpos for a real printer profile."""

from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from kiosk.core.ticket_layout import Cut, Feed, Qr, Text, TicketLayout
from kiosk.devices.printing.profiles import PrinterModel
from kiosk.devices.printing.qr_image import left_padded, qr_bitmap

MAX_NATIVE_MODULE = 16  # GS ( k module size is 1-16 dots


def render_escpos(layout: TicketLayout, model: PrinterModel) -> bytes:
    """Commands: ESC @, then per line ESC a / ESC E / GS ! and the text; QR as
    ``GS ( k`` when the printer draws it, else a ``GS v 0`` raster; cut (or feed,
    on printers without a cutter)."""
    printer = Dummy(profile=model.profile)
    printer.hw("INIT")
    for block in layout.blocks:
        if isinstance(block, Text):
            printer.set(align=block.align.value, bold=block.bold, custom_size=True,
                        width=block.scale, height=block.scale)
            printer.text(block.text + "\n")
        elif isinstance(block, Qr):
            _qr(printer, block, model, layout.paper.width_dots)
        elif isinstance(block, Feed):
            printer.set(custom_size=True, width=1, height=1)
            printer.text("\n" * block.lines)
        elif isinstance(block, Cut):
            printer.cut(mode="PART")
    return bytes(printer.output)


def _qr(printer: Dummy, block: Qr, model: PrinterModel, width: int) -> None:
    if model.native_qr and block.module_dots <= MAX_NATIVE_MODULE:
        printer.set(align="center")
        printer.qr(block.data, ec=QR_ECLEVEL_M, size=block.module_dots, native=True)
        printer.text("\n")
        return
    # Centred by white dots on the left: ESC a does not move raster images on every
    # model, and padding both sides (python-escpos' center=True) doubles the bytes.
    printer.set(align="left")
    printer.image(left_padded(qr_bitmap(block.data, block.module_dots), width), impl="bitImageRaster",
                  fragment_height=960, center=False)
