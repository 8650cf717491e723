"""The reply image on the applicant's phone is what the front desk scans."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta

import pyzbar.pyzbar as zbar
import zxingcpp
from PIL import Image

from kiosk.booking.intake import IncomingMessage, handle_message
from kiosk.services import check_in
from kiosk.services.results import CheckInOutcome


def test_qr_and_code128_decode_to_the_code_and_check_in_accepts_it_in_its_window(ctx, clock):
    # GIVEN a booking made by WhatsApp, with its reply image
    reply = handle_message(ctx, IncomingMessage("wamid.img", "6281234567890", "#Budi#25011987#02122026"))
    image = Image.open(reply.image_path)
    assert image.width == 1080 and image.height > image.width  # portrait, phone-sized
    assert stat.S_IMODE(reply.image_path.stat().st_mode) == 0o600
    # WHEN both decoders read it
    zx = {r.format.name: r.text for r in zxingcpp.read_barcodes(image)}
    zb = {r.type: r.data.decode() for r in zbar.decode(image)}
    # THEN the QR code and the Code 128 barcode both carry the booking code
    assert zx == {"QRCode": reply.code, "Code128": reply.code}
    assert zb == {"QRCODE": reply.code, "CODE128": reply.code}
    # AND the desk accepts the scanned code one hour before the slot on the day
    slot = datetime.combine(reply.service_date, reply.slot, tzinfo=ctx.config.tz)
    clock.set(slot - timedelta(minutes=60))
    result = check_in(ctx, zx["Code128"])
    assert result.outcome is CheckInOutcome.ACCEPTED
    assert result.ticket.label == reply.label


def test_a_replayed_message_points_at_the_same_image(ctx):
    first = handle_message(ctx, IncomingMessage("wamid.same", "6281234567890", "#Budi#25011987#02122026"))
    again = handle_message(ctx, IncomingMessage("wamid.same", "6281234567890", "#Budi#25011987#02122026"))
    assert again.replayed and again.image_path == first.image_path and again.image_path.exists()
