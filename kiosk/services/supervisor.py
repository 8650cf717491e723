"""Supervisor PIN (salted scrypt, rate-limited) and the actions behind it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from kiosk.app import AppContext
from kiosk.core import booking_code
from kiosk.core.booking_code import MalformedCode
from kiosk.i18n import tr
from kiosk.store import AuditEvent, Booking
from kiosk.services.checkin import issue_booked_ticket
from kiosk.services.common import audit, find_ticket, queue_print, record_event
from kiosk.services.messages import checkin_message
from kiosk.services.results import CheckInOutcome, CheckInResult, TicketInfo

C = "Supervisor"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~60 ms per try: slow for guessing, quick for a person
MAX_FAILURES = 5
LOCK_WINDOW = timedelta(minutes=15)
MIN_REASON = 5


class PinRejected(PermissionError):
    def __init__(self, message: str, tries_left: int | None = None) -> None:
        super().__init__(message)
        self.tries_left = tries_left  # before the PIN locks; None when no PIN is set


class PinLocked(PermissionError):
    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class SupervisorError(ValueError):
    pass


def hash_pin(pin: str) -> str:
    if not (4 <= len(pin) <= 12 and pin.isdigit() and pin.isascii()):
        raise ValueError(tr(C, "PIN supervisor harus 4-12 angka."))
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 1024 * 1024)
    return "scrypt${}${}${}${}${}".format(SCRYPT_N, SCRYPT_R, SCRYPT_P, base64.b64encode(salt).decode(),
                                          base64.b64encode(digest).decode())


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(pin.encode("utf-8", "surrogateescape"), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def set_supervisor_pin(pin: str) -> str:
    """The hash to store in ``security.supervisor_pin_hash``."""
    return hash_pin(pin)


def verify_pin(ctx: AppContext, pin: str, *, actor: str, action: str) -> None:
    """Raise PinLocked after too many recent failures (without trying the PIN), PinRejected
    for a wrong PIN. Failures and successes are audited; they are shared by all PCs."""
    stored = ctx.config.security.supervisor_pin_hash
    now = ctx.now()
    with ctx.db.read() as session:
        last_ok = session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.action == "pin_ok"))
        since = max(now - LOCK_WINDOW, last_ok) if last_ok else now - LOCK_WINDOW
        failures = session.scalars(select(AuditEvent.at).where(AuditEvent.action == "pin_failed",
                                                               AuditEvent.at > since)
                                   .order_by(AuditEvent.at)).all()
    if len(failures) >= MAX_FAILURES:
        until = failures[-MAX_FAILURES] + LOCK_WINDOW
        raise PinLocked(tr(C, "Terlalu banyak PIN salah. Coba lagi setelah pukul {time}.",
                           time=until.astimezone(ctx.config.tz).strftime("%H.%M")), until)
    ok = bool(stored) and pin_matches(pin, stored)
    with ctx.db.write() as session:
        audit(ctx, session, "pin_ok" if ok else "pin_failed", actor=actor, target=action)
    if not ok:
        if not stored:
            raise PinRejected(tr(C, "PIN supervisor belum diatur di konfigurasi."))
        left = max(0, MAX_FAILURES - len(failures) - 1)
        if left == 0:
            until = (failures[-(MAX_FAILURES - 1)] if MAX_FAILURES > 1 and failures else now) + LOCK_WINDOW
            # Still this PIN's refusal; the next try, even with the right PIN, gets PinLocked.
            raise PinRejected(tr(C, "PIN salah. Terlalu banyak PIN salah: terkunci sampai pukul {time}.",
                                 time=until.astimezone(ctx.config.tz).strftime("%H.%M")), 0)
        raise PinRejected(tr(C, "PIN salah. Sisa {n} kali sebelum terkunci.", n=left), left)


def override_void(ctx: AppContext, code_text: str, *, pin: str, reason: str, actor: str) -> CheckInResult:
    """Issue a ticket for a void booking: PIN, a written reason, audited."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise SupervisorError(tr(C, "Alasan wajib diisi (minimal {n} huruf).", n=MIN_REASON))
    verify_pin(ctx, pin, actor=actor, action="override_void")
    code = code_text.strip()
    if booking_code.looks_like_v1(code):
        try:
            code = booking_code.parse(code).text
        except MalformedCode:
            raise SupervisorError(tr(C, "Kode tidak sah.")) from None
    with ctx.db.write() as session:
        booking = session.scalars(select(Booking).where(Booking.code == code).with_for_update()).one_or_none()
        if booking is None or booking.status != "void":
            raise SupervisorError(tr(C, "Hanya kode booking yang hangus yang bisa dikecualikan."))
        if booking.service_date != ctx.today():
            raise SupervisorError(tr(C, "Pengecualian hanya untuk jadwal hari ini."))
        ticket, job_id = issue_booked_ticket(ctx, session, booking, actor, detail={"override": True, "reason": reason})
        audit(ctx, session, "override_void", actor=actor, target=ticket.label, detail={"reason": reason})
    return CheckInResult(CheckInOutcome.ACCEPTED, checkin_message(CheckInOutcome.ACCEPTED, label=ticket.label),
                         ticket, booking.service_date, booking.slot, print_job_id=job_id)


def reprint(ctx: AppContext, label: str, *, pin: str, actor: str) -> tuple[TicketInfo, int]:
    """A reprint is a new print job with the CETAK ULANG mark."""
    verify_pin(ctx, pin, actor=actor, action="reprint")
    with ctx.db.write() as session:
        ticket = find_ticket(session, ctx.today(), label)
        if ticket is None:
            raise SupervisorError(tr(C, "Nomor {number} tidak ada hari ini.", number=label[:12]))
        record_event(ctx, session, ticket, "reprint", from_state=ticket.state, actor=actor)
        job = queue_print(ctx, session, ticket, reprint=True)
        audit(ctx, session, "reprint", actor=actor, target=ticket.label)
        return TicketInfo.of(ticket), job.id
