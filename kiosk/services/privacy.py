"""The privacy purge: personal data goes after the retention period, counts and times stay."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select, update
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


def purge_personal_data(ctx: AppContext, *, actor: str = "system", retention_days: int | None = None) -> PurgeResult:
    """Clear names, dates of birth and phone numbers of every service day older than the
    retention period; audit the counts (never the data)."""
    days = ctx.config.privacy.retention_days if retention_days is None else retention_days
    cutoff = ctx.today() - timedelta(days=days)  # service days before this are purged
    now = ctx.now()
    counts: dict[str, int] = {}
    with ctx.db.write() as session:
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
    """Run the purge when none ran in the last 24 hours (called by the windows at start
    and daily), so an office that never thinks of it stays compliant."""
    with ctx.db.read() as session:
        last = session.scalar(select(AuditEvent.at).where(AuditEvent.action == "purge")
                              .order_by(AuditEvent.at.desc()).limit(1))
    if last is not None and ctx.now() - last < timedelta(hours=24):
        return None
    return purge_personal_data(ctx)
