"""The privacy purge: personal data goes after the retention period, counts and times stay."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.services.common import audit
from kiosk.store import AuditEvent, Booking, Ticket

log = logging.getLogger(__name__)

# Other parts of the application that hold personal data register a purger here:
# (ctx, session, cutoff day) -> rows or files cleared. It runs inside the purge transaction.
Purger = Callable[[AppContext, Session, date], int]
EXTRA_PURGERS: dict[str, Purger] = {}


@dataclass(frozen=True)
class PurgeResult:
    cutoff: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


PURGE_LOCK_ID = 0x50555247  # PostgreSQL advisory lock: one purge decision at a time, all PCs
DUE_AFTER = timedelta(hours=24)


def purge_personal_data(ctx: AppContext, *, actor: str = "system", retention_days: int | None = None,
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
        counts["bookings"] = session.execute(
            update(Booking).where(Booking.service_date < cutoff, personal_booking)
            .values(name=None, birth_date=None, phone=None, purged_at=now)).rowcount or 0
        counts["tickets"] = session.execute(
            update(Ticket).where(Ticket.service_day < cutoff,
                                 or_(Ticket.name.is_not(None), Ticket.birth_date.is_not(None)))
            .values(name=None, birth_date=None)).rowcount or 0
        _register_known_purgers()
        for name, purger in EXTRA_PURGERS.items():
            counts[name] = purger(ctx, session, cutoff)
        audit(ctx, session, "purge", actor=actor, target=cutoff.isoformat(), detail={"counts": counts, "days": days})
    log.info("privacy purge before %s: %s", cutoff, counts)
    return PurgeResult(cutoff, counts)


def _register_known_purgers() -> None:
    """Parts of the application that hold personal data of their own."""
    from kiosk.booking.privacy import purge_intake

    EXTRA_PURGERS.setdefault("intake_messages", purge_intake)


def purge_if_due(ctx: AppContext) -> PurgeResult | None:
    """Run the purge when none ran in the last 24 hours on any PC."""
    return purge_personal_data(ctx, only_if_due=True)


class DailyPurge:
    """The automatic purge of a long-running program: at start, then checked every
    ``check_every`` seconds, in a thread of its own so no window or event loop waits on
    it. Every program that runs for hours wraps its main loop in one::

        with DailyPurge(ctx):
            app.exec()  # or web.run_app(...)

    (desk, counter, display and wa-server do; a future web server attaches the same way).
    A database that is down is logged once per outage and tried again at the next check."""

    def __init__(self, ctx: AppContext, *, check_every: float = 3600.0) -> None:
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
