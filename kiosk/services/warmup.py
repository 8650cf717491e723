"""Warm-up at start: SQLAlchemy compiles each statement the first time it runs, and the
first check-in of the day would pay for all of them (about 100-300 ms on a busy 2-core
PC). Running the statements of a check-in once, in a transaction that is rolled back,
moves that cost to start-up, before the first applicant."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.services.common import priority_tickets_issued
from kiosk.store import Booking, CheckinAttempt, PrintJob, Ticket, TicketEvent


class _RollBack(Exception):
    pass


def warm_up(ctx: AppContext) -> None:
    """Nothing is kept: every row is rolled back, and no event is announced."""
    now, today = ctx.now(), ctx.today()
    try:
        with ctx.db.write() as session:
            session.scalars(select(Booking).where(Booking.code == "~").with_for_update()).one_or_none()
            priority_tickets_issued(ctx, session, today)
            booking = Booking(code="~warm-up~", office=ctx.config.office.code, service_date=today, slot=time(0, 0),
                              number=0, source="code", status="checked_in", created_at=now)
            session.add(booking)
            session.flush()
            session.add(CheckinAttempt(at=now, outcome="accepted", booking_id=booking.id, actor="warm-up"))
            ticket = Ticket(service_day=today, prefix="~", number=0, service="~", state="waiting", booking=booking,
                            slot=booking.slot, issued_at=now, queued_at=now)
            session.add(ticket)
            session.flush()
            session.add(TicketEvent(ticket_id=ticket.id, at=now, kind="issued", from_state=None, to_state="waiting",
                                    service="~", actor="warm-up"))
            session.add(PrintJob(ticket_id=ticket.id, kind="ticket", reprint=False, state="pending", attempts=0,
                                 created_at=now))
            session.flush()
            raise _RollBack
    except _RollBack:
        pass
