"""The intake's part of the privacy purge: addresses, e-KTP photos and phone numbers of
messages and outgoing replies go with the bookings' personal data (registered with
:data:`kiosk.services.privacy.EXTRA_PURGERS`)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.store import Booking, IntakeMessage, OutboxMessage

log = logging.getLogger(__name__)


def purge_intake(ctx: AppContext, session: Session, cutoff: date) -> int:
    """Messages about service days before ``cutoff`` (or, without a booking, received
    before it) lose their personal data; the photo files are deleted. Returns the count."""
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
