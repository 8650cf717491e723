#!/usr/bin/env python3
"""Render every state of the desk to docs/screenshots/desk-*.png (offscreen, 1366x768).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_desk.py [--out docs/screenshots]

A temporary office with a fixed clock (09:00 WIB) and one booking per verdict; the same
widgets the officer sees, grabbed with QWidget.grab()."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import update  # noqa: E402

from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping  # noqa: E402
from kiosk.core import booking_code  # noqa: E402
from kiosk.core.booking_code import OfficeKey  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from kiosk.core.priority import PriorityCategory  # noqa: E402
from kiosk.services import check_in  # noqa: E402
from kiosk.services.bookings import add_booking  # noqa: E402
from kiosk.services.supervisor import with_new_office_pin  # noqa: E402
from kiosk.store import Booking  # noqa: E402
from kiosk.ui.demo_phone import DemoPhoneWindow, qr_png  # noqa: E402
from kiosk.ui.desk_window import DeskWindow  # noqa: E402
from kiosk.ui.devices import frame_to_image  # noqa: E402
from kiosk.ui.self_service import SelfServiceWindow  # noqa: E402
from kiosk.ui.sounds import Sounds  # noqa: E402
from kiosk.devices.printing.status import PrinterState, PrinterStatus  # noqa: E402

SIZE = (1366, 768)


def wait(app: QApplication, window: object) -> None:
    while window.runner.pending:  # type: ignore[attr-defined]
        app.processEvents()
    app.processEvents()


def camera_frame(code: str) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """A grey desk with a phone showing the QR, as the camera would see it."""
    frame = np.full((720, 1280, 3), 70, np.uint8)
    frame[:, :, 2] = 90
    qr = np.array(Image.open(__import__("io").BytesIO(qr_png(code, box=8))).convert("L"))
    qr = np.array(Image.fromarray(qr).resize((320, 320), Image.NEAREST))
    y, x = 200, 480
    frame[y - 60:y + 380, x - 40:x + 360] = 25  # the phone
    frame[y:y + 320, x:x + 320] = qr[:, :, None]
    return frame, [(x + 32, y + 32), (x + 288, y + 32), (x + 288, y + 288), (x + 32, y + 288)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["screenshots"])
    tmp = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Kelas I Khusus Jakarta Pusat"},
                           "paths": {"data_dir": str(tmp)}, "desk": {"verdict_seconds": 120}},
                          source=tmp / "config.toml")
    config = with_new_office_pin(config, "123456")
    clock = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    ctx = open_context(config, db_url=f"sqlite:///{tmp / 'shots.db'}", clock=clock)
    today = ctx.today()

    def book(slot: time, day: date | None = None) -> str:
        return add_booking(ctx, name="Budi Santoso", birth=date(1987, 1, 25), service_date=day or today,
                           slot=slot).code

    codes = {"accepted": book(time(10, 0)), "too_early": book(time(12, 0)),
             "wrong_day": book(time(10, 0), today + timedelta(days=1)), "void": book(time(9, 15))}
    codes["already_checked_in"] = book(time(10, 30))
    check_in(ctx, codes["already_checked_in"])
    codes["wrong_office"] = booking_code.generate(OfficeKey("x", b"other"), "BDG", today, time(10, 0), 7).text
    cancelled = book(time(10, 45))
    with ctx.db.write() as session:
        session.execute(update(Booking).where(Booking.code == cancelled).values(status="cancelled"))
    codes["cancelled"] = cancelled
    codes["unknown"] = "WA-2026-000123"
    codes["invalid"] = codes["accepted"][:-8] + "ZZZZZZZZ"

    desk = DeskWindow(ctx, sounds=Sounds(False))
    desk.resize(*SIZE)
    desk.show()
    wait(app, desk)
    desk.grab().save(str(args.out / "desk-ready-no-camera.png"))
    # As the camera worker and the printer report them, worded by the desk (and again after
    # a language switch): a live camera and a ready printer.
    desk.devices.on_camera_status("live", "0")
    desk.devices.on_printer_status(PrinterStatus(PrinterState.READY))
    for name, code in codes.items():
        frame, corners = camera_frame(code)
        desk.scan.camera.show_frame(frame_to_image(frame))
        desk.scan.camera.show_outline(corners)
        desk.submit_code(code, "camera")
        wait(app, desk)
        desk.grab().save(str(args.out / f"desk-{name}.png"))
    desk.show_tab(1)
    desk.walkin.choose(PriorityCategory.LANSIA)
    desk.walkin.birth.setText("17-08-1955")
    desk.walkin.submit()
    wait(app, desk)
    desk.grab().save(str(args.out / "desk-walkin-issued.png"))
    desk.walkin.choose(PriorityCategory.LANSIA)
    desk.walkin.birth.setText("01-12-1990")
    desk.walkin.submit()
    wait(app, desk)
    desk.grab().save(str(args.out / "desk-walkin-refused.png"))
    desk.show_tab(2)
    wait(app, desk)
    desk.grab().save(str(args.out / "desk-today.png"))
    desk.show_tab(0)
    desk.set_language("en")
    desk.submit_code(codes["too_early"], "camera")
    wait(app, desk)
    desk.grab().save(str(args.out / "desk-english.png"))
    desk.set_language("id")
    desk.shutdown()

    kiosk = SelfServiceWindow(ctx, sounds=Sounds(False))
    kiosk.resize(1920, 1080)
    kiosk.show()
    wait(app, kiosk)
    kiosk.panel.choose(PriorityCategory.LANSIA)
    for d in "170819":
        kiosk.panel._type_digit(d)
    kiosk.grab().save(str(args.out / "self-service.png"))
    kiosk.shutdown()

    class Demo:
        def __init__(self, label: str, code: str) -> None:
            self.label, self.code, self.service_date, self.slot = label, code, today, time(10, 0)

    phone = DemoPhoneWindow([Demo("accepted", codes["accepted"]), Demo("void", codes["void"])])
    phone.show()
    app.processEvents()
    phone.grab().save(str(args.out / "demo-phone.png"))
    phone.close()
    ctx.close()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
