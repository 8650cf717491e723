"""Making a booking: the next number of the day and a signed v1 code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core import booking_code
from kiosk.i18n import tr
from kiosk.store import Booking
from kiosk.services.common import NumbersExhausted, allocate_number

C = "Booking"
NAME_MIN, NAME_MAX = 2, 60
_NAME_PUNCT = set(" '.-’")


class BookingError(ValueError):
    """A booking that cannot be made; the message is for a person."""


@dataclass(frozen=True)
class BookingInfo:
    id: int
    code: str
    number: int
    service_date: date
    slot: time

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "number": self.number, "date": self.service_date.isoformat(),
                "slot": self.slot.strftime("%H:%M")}


def clean_name(name: str) -> str:
    """Letters of any script with spaces, apostrophes, dots and hyphens; 2–60 characters."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise BookingError(tr(C, "Nama harus {min}-{max} huruf.", min=NAME_MIN, max=NAME_MAX))
    if not all(ch.isalpha() or ch in _NAME_PUNCT or unicodedata.category(ch) in ("Mn", "Mc") for ch in name) \
            or not any(ch.isalpha() for ch in name):
        raise BookingError(tr(C, "Nama hanya boleh berisi huruf, spasi, titik, tanda petik dan tanda hubung."))
    return name


def check_birth_date(birth: date, today: date) -> None:
    """A date of birth in the past and at most 120 years ago (bookings and walk-ins alike)."""
    if birth >= today:
        raise BookingError(tr(C, "Tanggal lahir harus di masa lalu."))
    if birth.year < today.year - 120:
        raise BookingError(tr(C, "Tanggal lahir lebih dari 120 tahun yang lalu."))


def clean_phone(phone: str) -> str:
    digits = re.sub(r"[\s\-().]", "", phone)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not re.fullmatch(r"\d{8,15}", digits):
        raise BookingError(tr(C, "Nomor telepon tidak sah: {phone}.", phone=phone[:20]))
    return digits


def add_booking(ctx: AppContext, *, name: str, birth: date, service_date: date, slot: time,
                phone: str | None = None, source: str = "local") -> BookingInfo:
    """Record a booking for ``service_date`` at ``slot`` with the next number of that day."""
    name = clean_name(name)
    today = ctx.today()
    check_birth_date(birth, today)
    if service_date < today:
        raise BookingError(tr(C, "Tanggal kedatangan sudah lewat."))
    if slot.second or slot.microsecond:
        raise BookingError(tr(C, "Jam jadwal harus menit bulat, misalnya 09:30."))
    phone = clean_phone(phone) if phone else None
    with ctx.db.write() as session:
        return insert_booking(ctx, session, name=name, birth=birth, service_date=service_date, slot=slot,
                              phone=phone, source=source)


def insert_booking(ctx: AppContext, session: Session, *, name: str | None, birth: date | None, service_date: date,
                   slot: time, phone: str | None, source: str) -> BookingInfo:
    """Number, sign and insert a booking inside the caller's write transaction (which may
    already hold the day-counter lock, e.g. to check slot capacity first)."""
    prefix = ctx.config.queue.booking_service
    office = ctx.config.office.code
    try:
        number = allocate_number(ctx, session, service_date, prefix)
    except NumbersExhausted:
        raise BookingError(tr(C, "Nomor antrean untuk tanggal ini sudah habis.")) from None
    code = booking_code.generate(ctx.keyring.signing_key, office, service_date, slot, number)
    booking = Booking(code=code.text, office=office, service_date=service_date, slot=slot, number=number,
                      source=source, status="active", name=name, birth_date=birth, phone=phone,
                      created_at=ctx.now())
    session.add(booking)
    session.flush()
    return BookingInfo(booking.id, code.text, number, service_date, slot)
