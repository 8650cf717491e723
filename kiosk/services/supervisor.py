"""Supervisor PIN (salted scrypt keyed with a pepper, rate-limited) and the actions behind it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from kiosk.app import AppContext
from kiosk.core import booking_code
from kiosk.core.booking_code import MalformedCode
from kiosk.private_files import write_private
from kiosk.config import Config
from kiosk.i18n import clock_time, tr
from kiosk.keyring import KeyFileError, KeyRing
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
MIN_PIN, MAX_PIN = 6, 12
SCHEME = "scrypt-hmac"  # scrypt over HMAC-SHA256(pepper from the key file, PIN)
LEGACY_SCHEME = "scrypt"  # unpeppered hashes of older installs: accepted only by set-pin
PIN_LOCK_ID = 0x50494E31  # PostgreSQL advisory lock: one PIN judgement at a time, all PCs


class PinRejected(PermissionError):
    def __init__(self, message: str, tries_left: int | None = None) -> None:
        super().__init__(message)
        self.tries_left = tries_left  # before the PIN locks; None when no PIN is set


class PinLocked(PermissionError):
    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class PinNeedsReset(PinRejected):
    """The stored hash is of an older kind (a 4-digit PIN, no pepper): only set-pin works."""


class SupervisorError(ValueError):
    pass


def check_pin_format(pin: str) -> None:
    if not (MIN_PIN <= len(pin) <= MAX_PIN and pin.isdigit() and pin.isascii()):
        raise ValueError(tr(C, "PIN supervisor harus {min}-{max} angka.", min=MIN_PIN, max=MAX_PIN))


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024)


def hash_pin(pin: str, keyring: KeyRing, pepper_id: str | None = None) -> str:
    """The value for ``security.supervisor_pin_hash``: keyed with a pepper from the key
    file (the newest, or ``pepper_id``), so the config alone cannot be brute-forced."""
    check_pin_format(pin)
    if pepper_id is None:
        if not keyring.peppers:
            raise KeyFileError(f"no PIN pepper in {keyring.path}; run `keys rotate` to add one")
        pepper_id = list(keyring.peppers)[-1]
    pepper = keyring.pepper(pepper_id)
    if pepper is None:
        raise KeyFileError(f"PIN pepper {pepper_id} not in {keyring.path}")
    salt = secrets.token_bytes(16)
    keyed = hmac.new(pepper, pin.encode("ascii"), hashlib.sha256).digest()
    digest = _scrypt(keyed, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join([SCHEME, pepper_id, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def with_new_office_pin(config: Config, pin: str) -> Config:
    """``init``'s two steps for code that sets up an office of its own (demo, simulation,
    tests): create the key file (with its pepper), then store the keyed PIN hash."""
    from kiosk.config import replace

    ring = KeyRing.create_or_load(config.keys_path)
    return replace(config, security={"supervisor_pin_hash": hash_pin(pin, ring)})


def is_legacy_hash(stored: str) -> bool:
    return stored.startswith(LEGACY_SCHEME + "$")


def pin_matches(pin: str, stored: str, keyring: KeyRing, *, allow_legacy: bool = False) -> bool:
    """Constant-time check; a legacy (unpeppered) hash matches only with ``allow_legacy``."""
    try:
        parts = stored.split("$")
        if parts[0] == SCHEME and len(parts) == 7:
            _, pepper_id, n, r, p, salt, digest = parts
            pepper = keyring.pepper(pepper_id)
            if pepper is None:
                return False
            secret = hmac.new(pepper, pin.encode("utf-8", "surrogateescape"), hashlib.sha256).digest()
        elif parts[0] == LEGACY_SCHEME and len(parts) == 6 and allow_legacy:
            _, n, r, p, salt, digest = parts
            secret = pin.encode("utf-8", "surrogateescape")
        else:
            return False
        actual = _scrypt(secret, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(base64.b64decode(digest), actual)
    except (ValueError, TypeError):
        return False


def verify_pin(ctx: AppContext, pin: str, *, actor: str, action: str, allow_legacy: bool = False) -> None:
    """Raise PinLocked after too many recent failures, PinRejected for a wrong PIN.

    The hash is compared first (slow, outside any lock), but nothing is told until one
    locked write has counted the recent failures and recorded this attempt: a burst of
    parallel guesses is judged one after another, so at most MAX_FAILURES of them are
    answered per lock period, on every PC at once (the audit log is shared)."""
    stored = ctx.config.security.supervisor_pin_hash
    legacy = bool(stored) and is_legacy_hash(stored)
    if legacy and not allow_legacy:
        raise PinNeedsReset(tr(C, "PIN supervisor dari versi lama harus diganti (6-12 angka): jalankan "
                                  "'python main.py supervisor set-pin --pin <PIN lama> --new-pin <PIN baru>'."))
    ok = bool(stored) and pin_matches(pin, stored, ctx.keyring, allow_legacy=allow_legacy)
    now = ctx.now()
    until: datetime | None = None
    with ctx.db.write() as session:
        if not ctx.db.is_sqlite:  # SQLite: BEGIN IMMEDIATE already serialises writers
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PIN_LOCK_ID})
        last_ok = session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.action == "pin_ok"))
        since = max(now - LOCK_WINDOW, last_ok) if last_ok else now - LOCK_WINDOW
        failures = session.scalars(select(AuditEvent.at).where(AuditEvent.action == "pin_failed",
                                                               AuditEvent.at > since)
                                   .order_by(AuditEvent.at)).all()
        if len(failures) >= MAX_FAILURES:
            until = failures[-MAX_FAILURES] + LOCK_WINDOW
        else:
            audit(ctx, session, "pin_ok" if ok else "pin_failed", actor=actor, target=action)
    if until is not None:
        raise PinLocked(tr(C, "Terlalu banyak PIN salah. Coba lagi setelah pukul {time}.",
                           time=clock_time(until.astimezone(ctx.config.tz))), until)
    if not ok:
        if not stored:
            raise PinRejected(tr(C, "PIN supervisor belum diatur di konfigurasi."))
        left = max(0, MAX_FAILURES - len(failures) - 1)
        if left == 0:
            until = (failures[-(MAX_FAILURES - 1)] if MAX_FAILURES > 1 and failures else now) + LOCK_WINDOW
            # Still this PIN's refusal; the next try, even with the right PIN, gets PinLocked.
            raise PinRejected(tr(C, "PIN salah. Terlalu banyak PIN salah: terkunci sampai pukul {time}.",
                                 time=clock_time(until.astimezone(ctx.config.tz))), 0)
        raise PinRejected(tr(C, "PIN salah. Sisa {n} kali sebelum terkunci.", n=left), left)


def change_pin(ctx: AppContext, config_file: Path, current_pin: str, new_pin: str, *, actor: str) -> None:
    """Check the current PIN (a legacy hash is accepted here, and only here), then rotate
    the pepper and the hash: the new pepper is added to the key file next to the old one,
    the config is replaced atomically, then the old pepper goes. A crash at any point
    leaves a config whose hash matches a pepper in the key file."""
    from kiosk.config import load_config, replace, to_toml

    check_pin_format(new_pin)  # bad input changes nothing, not even the failure count
    verify_pin(ctx, current_pin, actor=actor, action="set_pin", allow_legacy=True)
    pepper_id, _ = ctx.keyring.add_pepper(ctx.now())
    new_hash = hash_pin(new_pin, ctx.keyring, pepper_id)
    config = replace(load_config(config_file), security={"supervisor_pin_hash": new_hash})
    write_private(config_file, to_toml(config))  # atomic: the old hash or the new, never half a file
    ctx.keyring.keep_only_pepper(pepper_id)
    ctx.config = replace(ctx.config, security={"supervisor_pin_hash": new_hash})
    with ctx.db.write() as session:
        audit(ctx, session, "pin_changed", actor=actor, target="supervisor")


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


def cancel_ticket(ctx: AppContext, label: str, *, pin: str, reason: str, actor: str) -> TicketInfo:
    """Cancel one of today's tickets: the whole rule (a written reason, then the PIN) is
    here, for the desk and the command line alike; the reason goes into the ticket's event."""
    from kiosk.services.calls import cancel  # the ticket transition itself

    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise SupervisorError(tr(C, "Alasan wajib diisi (minimal {n} huruf).", n=MIN_REASON))
    verify_pin(ctx, pin, actor=actor, action="cancel")
    return cancel(ctx, label, actor=actor, reason=reason)
