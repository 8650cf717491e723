"""ESC/POS bytes and the PNG preview say what the ticket layout says."""

from __future__ import annotations

import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from tests.devices.printing.escpos_decode import CutMark, NativeQr, Raster, decode, printed_items, read_qr
from PIL import Image

from kiosk.core.ticket_layout import Cut, Qr, Text, TicketContent, TicketLayout, layout_ticket
from kiosk.devices.printing.profiles import ProfileError, printer_model
from kiosk.devices.printing.render_escpos import render_escpos
from kiosk.devices.printing.render_png import MARGIN, render_png

JAKARTA = ZoneInfo("Asia/Jakarta")
LONG_NAME = "Kantor Imigrasi Kelas I Khusus Tempat Pemeriksaan Imigrasi Soekarno-Hatta"
CONTENT = TicketContent(
    office_name=LONG_NAME, label="A042", service_name="Paspor (booking online)",
    reference="AP1-JKP-261127-0930-042-K7Q3M9X2", printed_at=datetime(2026, 11, 27, 8, 12, tzinfo=JAKARTA),
    waiting_ahead=3, scheduled=time(9, 30), checked_in=datetime(2026, 11, 27, 8, 12, tzinfo=JAKARTA))

# (profile, paper dots, native QR, cutter): an 80 mm Epson, and two 58 mm printers
# common in offices: one that draws QR codes itself, one that needs an image.
PROFILES = [("TM-T20II", 576, True, True), ("Sunmi-V2", 384, True, False), ("POS-5890", 384, False, False)]


def expected_items(layout: TicketLayout, cutter: bool) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for block in layout.blocks:
        if isinstance(block, Text) and block.text:
            out.append(("text", block.text, block.align.value, block.scale, block.bold))
        elif isinstance(block, Qr):
            out.append(("qr", block.data))
        elif isinstance(block, Cut) and cutter:
            out.append(("cut",))
    return out


@pytest.mark.parametrize("profile, dots, native, cutter", PROFILES)
def test_escpos_bytes_decode_back_to_the_ticket(profile, dots, native, cutter):
    # GIVEN a printer profile and a ticket with a long office name
    model = printer_model(profile)
    assert (model.paper.width_dots, model.native_qr, model.cutter) == (dots, native, cutter)
    layout = layout_ticket(CONTENT, model.paper)
    # WHEN rendered to ESC/POS and decoded back
    items = decode(render_escpos(layout, model))
    # THEN the printed lines, the QR content and the cut are exactly the ticket
    assert printed_items(items) == expected_items(layout, cutter)
    # AND the QR travels natively where the profile supports GS ( k, as an image otherwise
    assert any(isinstance(i, NativeQr) for i in items) is native
    assert any(isinstance(i, Raster) for i in items) is (not native)
    # AND no raster is wider than the paper
    assert all(i.image.width <= dots for i in items if isinstance(i, Raster))
    assert any(isinstance(i, CutMark) for i in items) is cutter


def test_native_qr_can_be_switched_off_for_printers_that_claim_it_wrongly():
    model = printer_model("TM-T20II", native_qr="no")
    items = decode(render_escpos(layout_ticket(CONTENT, model.paper), model))
    rasters = [i for i in items if isinstance(i, Raster)]
    assert [r.qr_texts() for r in rasters] == [[CONTENT.reference]]


def test_a_paper_width_in_config_overrides_the_profile():
    assert printer_model("TM-T20II", paper_mm=58).paper.width_dots == 384
    with pytest.raises(ProfileError):
        printer_model("RP326")  # the profile does not know its width
    with pytest.raises(ProfileError):
        printer_model("no-such-printer")


@pytest.mark.parametrize("profile", ["TM-T20II", "POS-5890"])
def test_png_preview_has_the_paper_width_and_a_readable_qr(profile):
    model = printer_model(profile)
    layout = layout_ticket(CONTENT, model.paper)
    image = Image.open(io.BytesIO(render_png(layout)))
    # THEN the preview is one pixel per dot of the paper (the long name wrapped, not cut off)
    assert image.width == model.paper.width_dots + 2 * MARGIN
    # AND its QR code reads to the same reference as the printed one
    assert read_qr(image) == [CONTENT.reference]


def test_png_preview_draws_every_text_line():
    # Each Text block is one strip of ink; count the dark bands as a check that the long
    # office name became several lines rather than one line running off the paper.
    model = printer_model("POS-5890")
    layout = layout_ticket(CONTENT, model.paper)
    image = Image.open(io.BytesIO(render_png(layout))).convert("L")
    pixels = image.tobytes()
    ink_rows = [y for y in range(image.height) if min(pixels[y * image.width:(y + 1) * image.width]) < 128]
    bands = sum(1 for a, b in zip([-2] + ink_rows, ink_rows, strict=False) if b != a + 1)
    texts = [b for b in layout.blocks if isinstance(b, Text)]
    assert bands >= len(texts) + 1  # the text lines, the QR code, the cut line
    # And the right edge of the paper stays inside the image: nothing was drawn past it.
    right_margin = image.crop((MARGIN + model.paper.width_dots, 0, image.width, image.height))
    assert min(right_margin.tobytes()) == 255
