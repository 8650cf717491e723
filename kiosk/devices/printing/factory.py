"""The configured printer: ``[printer]`` settings → a TicketPrinter."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config
from kiosk.devices.printing.printer import EscposPrinter, PreviewPrinter, TicketPrinter
from kiosk.devices.printing.profiles import printer_model
from kiosk.devices.printing.transports import (
    CupsTransport, FileTransport, NetworkTransport, SerialTransport, Transport, UsbTransport, Win32RawTransport,
)


def make_transport(config: Config) -> Transport:
    p = config.printer
    if p.transport == "network":
        return NetworkTransport(p.host, p.port, timeout=p.timeout)
    if p.transport == "usb":
        return UsbTransport(p.usb_vendor_id, p.usb_product_id, timeout_ms=p.timeout * 1000)
    if p.transport == "serial":
        return SerialTransport(p.serial_port, p.baudrate, timeout=p.timeout)
    if p.transport == "cups":
        return CupsTransport(p.queue)
    if p.transport == "win32raw":
        return Win32RawTransport(p.queue)
    if p.transport == "file":
        return FileTransport(Path(p.device))
    raise ValueError(f"no byte transport for printer.transport = {p.transport!r}")


def make_printer(config: Config) -> TicketPrinter:
    p = config.printer
    model = printer_model(p.profile, p.paper_mm, p.native_qr)
    if p.transport == "preview":
        return PreviewPrinter(config.preview_dir, model)
    return EscposPrinter(make_transport(config), model, timeout=p.timeout)
