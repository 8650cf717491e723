"""A demo office: SQLite in a folder of its own and today's bookings in every state the
desk must handle (early, on time, late, other day, other office)."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kiosk.app import AppContext, open_context
from kiosk.config import default_data_dir, from_mapping, to_toml
from kiosk.core import booking_code
from kiosk.core.booking_code import OfficeKey
from kiosk.i18n import clock_time, short_date, tr
from kiosk.services.bookings import add_booking
from kiosk.services.supervisor import with_new_office_pin

DEMO_PIN = "123456"
DEMO_WEB_URL = "http://127.0.0.1:8089"  # `demo` starts the web board here (web.port's default)
C = "Demo"


@dataclass
class DemoBooking:
    label: str  # what the desk will say when it is scanned now
    code: str
    number: int | None
    service_date: date
    slot: time


@dataclass
class DemoOffice:
    folder: Path
    config_path: Path
    bookings: list[DemoBooking] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "config": str(self.config_path), "supervisor_pin": DEMO_PIN,
                "bookings": [{"expect": b.label, "code": b.code, "date": b.service_date.isoformat(),
                              "slot": b.slot.strftime("%H:%M")} for b in self.bookings]}


def _slot_at(ctx: AppContext, delta: timedelta) -> datetime:
    at = ctx.local_now() + delta
    at = at.replace(second=0, microsecond=0)
    return at - timedelta(minutes=at.minute % 5)


def create_demo_office(folder: str | Path | None = None) -> DemoOffice:
    """Create (or re-create) the demo office and its bookings relative to now."""
    root = Path(folder) if folder else default_data_dir() / "demo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, mode=0o700)
    config_path = root / "config.toml"
    config = from_mapping({
        "office": {"code": "JKP", "name": "Kantor Imigrasi Kelas I Khusus Jakarta Pusat (DEMO)"},
        "paths": {"data_dir": "data"},
        "web": {"public_url": DEMO_WEB_URL},
    }, source=config_path)
    config = with_new_office_pin(config, DEMO_PIN)  # the demo office's init: key file, then the PIN hash
    config_path.write_text(to_toml(config), encoding="utf-8")
    ctx = open_context(from_mapping(tomllib.loads(config_path.read_text("utf-8")), source=config_path))
    office = DemoOffice(root, config_path)
    try:
        plan = [
            ("accepted", timedelta(minutes=60)),  # inside the window now
            ("accepted", timedelta(minutes=90)),
            ("too_early", timedelta(hours=3)),
            ("void", timedelta(minutes=10)),  # the 30-minute deadline has passed
            ("wrong_day", timedelta(days=1)),
        ]
        names = ["Budi Santoso", "Siti Rahayu", "Andi Wijaya", "Dewi Lestari", "Rudi Hartono"]
        for (label, delta), name in zip(plan, names, strict=True):
            at = _slot_at(ctx, delta)
            info = add_booking(ctx, name=name, birth=date(1987, 1, 25), service_date=at.date(), slot=at.time())
            office.bookings.append(DemoBooking(label, info.code, info.number, info.service_date, info.slot))
        # A code of another office, signed with a key this office does not have.
        at = _slot_at(ctx, timedelta(minutes=60))
        other = booking_code.generate(OfficeKey("other", b"another office key"), "BDG", at.date(), at.time(), 7)
        office.bookings.append(DemoBooking("wrong_office", other.text, None, at.date(), at.time()))
    finally:
        ctx.close()
    return office


def describe(office: DemoOffice) -> str:
    lines = [tr(C, "Kantor demo di {folder}", folder=office.folder),
             tr(C, "Konfigurasi: {path}", path=office.config_path),
             tr(C, "PIN supervisor: {pin}", pin=DEMO_PIN), "",
             tr(C, "Kode booking demo hari ini (pindai atau ketik di meja depan):")]
    for b in office.bookings:
        lines.append(f"  {b.label:<13} {b.code}  ({short_date(b.service_date)}, {clock_time(b.slot)})")
    lines += ["", tr(C, "Coba: {command}",
                     command=f"python main.py --config {office.config_path} checkin {office.bookings[0].code}")]
    return "\n".join(lines)
