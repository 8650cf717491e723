"""Transports against the virtual network printer and a file; status replies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import make_config
from tests.devices.printing.escpos_decode import decode, printed_items

from kiosk.core.ticket_layout import TicketContent, layout_ticket
from kiosk.devices.printing.factory import make_printer, make_transport
from kiosk.devices.printing.printer import EscposPrinter, PreviewPrinter, PrintError
from kiosk.devices.printing.profiles import printer_model
from kiosk.devices.printing.render_escpos import render_escpos
from kiosk.devices.printing.status import PrinterState, decode_status
from kiosk.devices.printing.transports import (
    CupsTransport, FileTransport, NetworkTransport, SerialTransport, UsbTransport,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
CONTENT = TicketContent(office_name="Kantor Imigrasi Depok", label="B003", service_name="Prioritas",
                        reference="JKP-261127-B003", printed_at=datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA),
                        waiting_ahead=0, category="lansia")


def network_printer(vp, profile="TM-T20II", timeout=2.0) -> EscposPrinter:
    return EscposPrinter(NetworkTransport(vp.host, vp.port, timeout=timeout), printer_model(profile), timeout=timeout)


@pytest.mark.parametrize("profile", ["TM-T20II", "POS-5890"])
def test_a_ticket_sent_over_the_network_arrives_whole(virtual_printer, profile):
    # GIVEN a network printer that is on and has paper
    printer = network_printer(virtual_printer, profile)
    layout = layout_ticket(CONTENT, printer.paper)
    # WHEN a ticket is printed
    sent = printer.print_layout(layout, "B003")
    # THEN the printer received exactly the rendered bytes, and they decode to the ticket
    assert virtual_printer.wait_for(lambda vp: vp.jobs)
    assert virtual_printer.jobs == [render_escpos(layout, printer.model)] and sent == len(virtual_printer.jobs[0])
    lines = [item[1] for item in printed_items(decode(virtual_printer.jobs[0])) if item[0] == "text"]
    assert "Kategori: Lansia" in lines and "B003" in lines
    # AND the printer was asked for its status before the job
    assert virtual_printer.status_queries >= 3


def test_paper_out_is_reported_and_nothing_is_sent(virtual_printer):
    # GIVEN a printer whose paper ran out
    virtual_printer.paper_out = True
    printer = network_printer(virtual_printer)
    # WHEN asked for its status, or given a ticket
    assert printer.status().state is PrinterState.PAPER_OUT
    with pytest.raises(PrintError) as caught:
        printer.print_layout(layout_ticket(CONTENT, printer.paper))
    # THEN the job fails as paper out, before any byte of it
    assert caught.value.status.state is PrinterState.PAPER_OUT and caught.value.bytes_sent == 0
    assert virtual_printer.jobs == []


def test_cover_open_is_reported(virtual_printer):
    virtual_printer.cover_open = True
    assert network_printer(virtual_printer).status().state is PrinterState.COVER_OPEN


def test_a_switched_off_printer_is_offline(virtual_printer):
    virtual_printer.switch_off()
    printer = network_printer(virtual_printer)
    assert printer.status().state is PrinterState.OFFLINE
    with pytest.raises(PrintError) as caught:
        printer.print_layout(layout_ticket(CONTENT, printer.paper))
    assert caught.value.status.state is PrinterState.OFFLINE and caught.value.bytes_sent == 0


def test_a_connection_dropped_mid_ticket_is_an_error_with_bytes_sent(virtual_printer):
    # GIVEN a printer that drops the connection after 200 bytes of the job
    virtual_printer.drop_after = 200
    printer = network_printer(virtual_printer, "POS-5890")  # raster QR: a long job
    # WHEN a ticket is printed THEN it fails, saying part of it went out
    with pytest.raises(PrintError) as caught:
        printer.print_layout(layout_ticket(CONTENT, printer.paper))
    assert caught.value.bytes_sent > 0


def test_a_slow_printer_still_confirms_the_whole_ticket(virtual_printer):
    virtual_printer.read_delay = 0.002  # about 128 kB/s
    printer = network_printer(virtual_printer, "POS-5890")
    layout = layout_ticket(CONTENT, printer.paper)
    printer.print_layout(layout)
    assert virtual_printer.jobs == [render_escpos(layout, printer.model)]


def test_a_printer_that_ignores_gs_r_but_reports_ready_counts_as_printed(virtual_printer):
    # GIVEN a clone that answers DLE EOT but not GS r
    virtual_printer.answers_gs_r = False
    printer = network_printer(virtual_printer, timeout=0.3)
    layout = layout_ticket(CONTENT, printer.paper)
    # WHEN a ticket is printed THEN it counts as printed (no endless reprints)
    assert printer.print_layout(layout) == len(render_escpos(layout, printer.model))
    assert virtual_printer.wait_for(lambda vp: vp.jobs)


def test_a_jammed_printer_that_stops_reading_is_an_error_with_bytes_sent(virtual_printer):
    virtual_printer.stall_after = 100
    printer = network_printer(virtual_printer, timeout=0.3)
    with pytest.raises(PrintError) as caught:
        printer.print_layout(layout_ticket(CONTENT, printer.paper))
    assert caught.value.bytes_sent > 0
    virtual_printer.stall_after = None


def test_status_bytes_decode_like_the_epson_reference():
    assert decode_status(0x12, 0x12, 0x12).state is PrinterState.READY
    assert decode_status(0x12, 0x12, 0x1E).paper_low
    assert decode_status(0x1A, 0x32, 0x72).state is PrinterState.PAPER_OUT
    assert decode_status(0x1A, 0x16, 0x12).state is PrinterState.COVER_OPEN
    assert decode_status(0x1A, 0x52, 0x12).state is PrinterState.ERROR
    assert decode_status(0xFF, None, None).state is PrinterState.UNKNOWN


def test_file_transport_appends_the_bytes(tmp_path):
    target = tmp_path / "lp0"
    printer = EscposPrinter(FileTransport(target), printer_model("TM-T20II"))
    layout = layout_ticket(CONTENT, printer.paper)
    printer.print_layout(layout)
    assert target.read_bytes() == render_escpos(layout, printer.model)
    assert printer.status().state is PrinterState.UNKNOWN  # one-way: it cannot tell


def test_file_transport_to_a_missing_folder_is_offline(tmp_path):
    printer = EscposPrinter(FileTransport(tmp_path / "no" / "lp0"), printer_model("TM-T20II"))
    with pytest.raises(PrintError) as caught:
        printer.print_layout(layout_ticket(CONTENT, printer.paper))
    assert caught.value.status.state is PrinterState.OFFLINE


def test_config_chooses_the_transport(tmp_path):
    cases = {
        "network": ({"host": "10.0.0.7"}, NetworkTransport),
        "usb": ({"usb_vendor_id": 0x04B8, "usb_product_id": 0x0E15}, UsbTransport),
        "serial": ({"serial_port": "/dev/ttyUSB0", "baudrate": 38400}, SerialTransport),
        "cups": ({"queue": "tm-t20"}, CupsTransport),
        "file": ({"device": str(tmp_path / "lp0")}, FileTransport),
    }
    for transport, (params, kind) in cases.items():
        config = make_config(tmp_path, printer={"transport": transport, **params})
        assert isinstance(make_transport(config), kind)
        assert isinstance(make_printer(config), EscposPrinter)
    preview = make_printer(make_config(tmp_path, printer={"transport": "preview", "profile": "POS-5890"}))
    assert isinstance(preview, PreviewPrinter) and preview.paper.width_dots == 384


def test_usb_printer_that_is_not_plugged_in_is_offline():
    # No printer with this id exists on a test machine; pyusb may also lack a backend.
    printer = EscposPrinter(UsbTransport(0x04B8, 0xFFFE), printer_model("TM-T20II"))
    assert printer.status().state is PrinterState.OFFLINE


def test_serial_port_that_does_not_exist_is_offline(tmp_path):
    printer = EscposPrinter(SerialTransport(str(tmp_path / "ttyUSB9")), printer_model("TM-T20II"))
    assert printer.status().state is PrinterState.OFFLINE
