"""The privacy purge: personal data goes after the retention period, counts and times stay.

Everything that holds personal data is purged here, in one transaction: bookings,
tickets, and the booking intake's messages (addresses, e-KTP photos, phone numbers) and
outgoing replies. No registry: a new store of personal data is added to this module."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Executable, or_, select, text, update
from sqlalchemy.orm import Session

from kiosk.app import ReadContext
from kiosk.services.common import audit
from kiosk.store import AuditEvent, Booking, IntakeMessage, OutboxMessage, Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    cutoff: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


PURGE_LOCK_ID = 0x50555247  # PostgreSQL advisory lock: one purge decision at a time, all PCs
DUE_AFTER = timedelta(hours=24)


def purge_personal_data(ctx: ReadContext, *, actor: str = "system", retention_days: int | None = None,
                        only_if_due: bool = False) -> PurgeResult | None:
    """Clear names, dates of birth and phone numbers of every service day older than the
    retention period; audit the counts (never the data).

    With ``only_if_due`` nothing happens (None) when a purge ran in the last 24 hours; the
    check and the purge are one locked write, so PCs starting together purge once."""
    days = ctx.config.privacy.retention_days if retention_days is None else retention_days
    cutoff = ctx.today() - timedelta(days=days)  # service days before this are purged
    now = ctx.now()
    counts: dict[str, int] = {}
    with ctx.db.write() as session:
        if not ctx.db.is_sqlite:  # SQLite: BEGIN IMMEDIATE already serialises writers
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PURGE_LOCK_ID})
        if only_if_due:
            last = session.scalar(select(AuditEvent.at).where(AuditEvent.action == "purge")
                                  .order_by(AuditEvent.at.desc()).limit(1))
            if last is not None and now - last < DUE_AFTER:
                log.info("privacy purge not due: the last one ran at %s", last.isoformat(timespec="seconds"))
                return None
        personal_booking = or_(Booking.name.is_not(None), Booking.birth_date.is_not(None), Booking.phone.is_not(None))
        counts["bookings"] = _updated(session, update(Booking).where(Booking.service_date < cutoff, personal_booking)
                                      .values(name=None, birth_date=None, phone=None, purged_at=now))
        counts["tickets"] = _updated(session, update(Ticket).where(
            Ticket.service_day < cutoff, or_(Ticket.name.is_not(None), Ticket.birth_date.is_not(None)))
            .values(name=None, birth_date=None))
        counts["intake_messages"] = _purge_intake(ctx, session, cutoff)
        audit(ctx, session, "purge", actor=actor, target=cutoff.isoformat(), detail={"counts": counts, "days": days})
    log.info("privacy purge before %s: %s", cutoff, counts)
    return PurgeResult(cutoff, counts)


def _updated(session: Session, statement: Executable) -> int:
    """Rows an UPDATE changed."""
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return result.rowcount or 0


def _purge_intake(ctx: ReadContext, session: Session, cutoff: date) -> int:
    """Intake messages about service days before ``cutoff`` (or, without a booking,
    received before it) lose their personal data; the photo files are deleted; outgoing
    replies lose their phone number. Returns the messages' count."""
    before = datetime.combine(cutoff, time(0), tzinfo=ctx.config.tz)
    old_bookings = select(Booking.id).where(Booking.service_date < cutoff)
    rows = session.scalars(select(IntakeMessage).where(
        IntakeMessage.purged_at.is_(None),
        or_(IntakeMessage.booking_id.in_(old_bookings),
            (IntakeMessage.booking_id.is_(None) & (IntakeMessage.received_at < before))))).all()
    now = ctx.now()
    for row in rows:
        if row.photo_path:
            try:
                Path(row.photo_path).unlink(missing_ok=True)
            except OSError as exc:  # the row is purged anyway; the file is reported
                log.warning("e-KTP photo could not be deleted: %s", exc.strerror)
        row.photo_path = row.address = row.phone = None
        row.purged_at = now
    for out in session.scalars(select(OutboxMessage).where(OutboxMessage.created_at < before,
                                                           OutboxMessage.phone.is_not(None))):
        out.phone = None
    return len(rows)


def purge_if_due(ctx: ReadContext) -> PurgeResult | None:
    """Run the purge when none ran in the last 24 hours on any PC."""
    return purge_personal_data(ctx, only_if_due=True)


class DailyPurge:
    """The automatic purge of a long-running program: at start, then checked every
    ``check_every`` seconds, in a thread of its own so no window or event loop waits on
    it. Every program that runs for hours wraps its main loop in one::

        with DailyPurge(ctx):
            app.exec()  # or web.run_app(...)

    (desk, counter, display, wa-server and web do).
    A database that is down is logged once per outage and tried again at the next check."""

    def __init__(self, ctx: ReadContext, *, check_every: float = 3600.0) -> None:
        self.ctx = ctx
        self.check_every = check_every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="privacy-purge", daemon=True)
        self._failing = False

    def start(self) -> DailyPurge:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def __enter__(self) -> DailyPurge:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run_once(self) -> PurgeResult | None:
        try:
            result = purge_if_due(self.ctx)
        except Exception as exc:  # noqa: BLE001 - the program goes on; the next check tries again
            if not self._failing:
                log.warning("automatic privacy purge failed, will retry: %s", type(exc).__name__)
            self._failing = True
            return None
        self._failing = False
        return result

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.check_every)
