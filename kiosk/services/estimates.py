"""Wait estimates for today's tickets, from today's ticket events (see kiosk.core.wait)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core.tickets import format_number
from kiosk.core.wait import QueueEvent, RoomState, estimate_waits, expected_arrivals, replay
from kiosk.store import Booking, Ticket, TicketEvent


def room_events(session: Session, day: date) -> list[QueueEvent]:
    """Every event of the day's tickets, in event order, public fields only."""
    rows = session.execute(
        select(TicketEvent.at, TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.service, TicketEvent.counter,
               Ticket.prefix, Ticket.number, Ticket.slot)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(Ticket.service_day == day).order_by(TicketEvent.id)).all()
    return [QueueEvent(r.at, r.ticket_id, format_number(r.prefix, r.number), r.kind, r.service, r.counter,
                       r.number, r.slot) for r in rows]


def counter_services(ctx: AppContext) -> dict[int, list[str]]:
    return {int(c): list(s) for c, s in ctx.config.queue.counters.items()}


class WaitEstimator:
    """Everything the estimate needs, read in one session; ``for_ticket``/``for_new`` answer."""

    def __init__(self, ctx: AppContext, session: Session, now: datetime | None = None) -> None:
        self.ctx = ctx
        self.now = now or ctx.now()
        day = self.now.astimezone(ctx.config.tz).date()
        self.state: RoomState = replay(room_events(session, day), ctx.queue_orders, self.now)
        a, q = ctx.config.arrival, ctx.config.queue
        pending = session.execute(select(Booking.slot, Booking.number).where(
            Booking.service_date == day, Booking.office == ctx.config.office.code,
            Booking.status == "active")).tuples().all()
        self.expected = expected_arrivals(pending, q.booking_service, day, ctx.config.tz, self.now,
                                          timedelta(minutes=a.opens_before), timedelta(minutes=a.must_arrive_before))
        self.opens_at = datetime.combine(day, time.fromisoformat(ctx.config.intake.first_slot), tzinfo=ctx.config.tz)
        self._all: dict[str, timedelta] | None = None

    def _play(self, extra: str | None = None) -> dict[str, timedelta]:
        return estimate_waits(self.state, counter_services(self.ctx), self.now, orders=self.ctx.queue_orders,
                              expected=self.expected, opens_at=self.opens_at, extra=extra)

    def all(self) -> dict[str, timedelta]:
        """Every waiting ticket's estimate, by label."""
        if self._all is None:
            self._all = self._play()
        return self._all

    def for_ticket(self, label: str) -> timedelta | None:
        return self.all().get(label)

    def for_new(self, service: str) -> timedelta | None:
        """What a ticket joining ``service`` now would wait."""
        return self._play(extra=service).get("+")
