"""Today at a glance for the desk: counts per service and today's tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, or_, select

from kiosk.app import AppContext
from kiosk.services.common import priority_tickets_issued
from kiosk.store import Booking, Ticket, TicketEvent

MAX_ROWS = 500


@dataclass(frozen=True)
class ServiceCounts:
    service: str
    name: str
    booked: int  # bookings for today (the booking service only)
    checked_in: int  # tickets issued today
    void: int
    waiting: int


@dataclass(frozen=True)
class TicketRow:
    label: str
    service: str
    state: str
    issued_at: datetime  # office time
    slot: time | None
    category: str | None
    booking_code: str | None
    counter: int | None


@dataclass(frozen=True)
class TodayOverview:
    day: date
    services: list[ServiceCounts]
    tickets: list[TicketRow] = field(default_factory=list)
    priority_quota_left: int = 0
    latest_event: int = 0  # the newest ticket event these figures include


def today_overview(ctx: AppContext, search: str = "") -> TodayOverview:
    """Counts per service and today's tickets, newest first; ``search`` matches a ticket
    number (A042) or part of a booking code, case and spaces ignored."""
    today = ctx.today()
    q = ctx.config.queue
    tz = ctx.config.tz
    needle = "".join(search.split()).upper()[:64]
    with ctx.db.read() as session:
        # Counted as the daily report counts them (kiosk.reports.daily): tickets by the
        # service they were issued in (their prefix; a transfer does not move them),
        # bookings of the day whatever their office.
        issued = dict(session.execute(select(Ticket.prefix, func.count()).where(Ticket.service_day == today)
                                      .group_by(Ticket.prefix)).tuples().all())
        waiting = dict(session.execute(select(Ticket.service, func.count()).where(
            Ticket.service_day == today, Ticket.state == "waiting").group_by(Ticket.service)).tuples().all())
        booked = session.scalar(select(func.count()).select_from(Booking).where(
            Booking.service_date == today)) or 0
        void = session.scalar(select(func.count()).select_from(Booking).where(
            Booking.service_date == today, Booking.status == "void")) or 0
        services = [ServiceCounts(s, name, booked if s == q.booking_service else 0, issued.get(s, 0),
                                  void if s == q.booking_service else 0, waiting.get(s, 0))
                    for s, name in q.services.items()]
        query = select(Ticket, Booking.code).outerjoin(Booking, Ticket.booking_id == Booking.id).where(
            Ticket.service_day == today)
        if needle:
            conditions = [func.upper(Booking.code).contains(needle, autoescape=True)]
            if needle[:1].isalpha() and needle[1:].isdigit():
                conditions.append((Ticket.prefix == needle[0]) & (Ticket.number == int(needle[1:])))
            query = query.where(or_(*conditions))
        rows = session.execute(query.order_by(Ticket.issued_at.desc(), Ticket.id.desc()).limit(MAX_ROWS)).all()
        tickets = [TicketRow(t.label, t.service, t.state, t.issued_at.astimezone(tz), t.slot, t.category, code,
                             t.counter) for t, code in rows]
        left = max(0, ctx.config.priority.daily_quota - priority_tickets_issued(ctx, session, today))
        newest = session.scalar(select(func.max(TicketEvent.id))) or 0
    return TodayOverview(today, services, tickets, left, newest)


def latest_event(ctx: AppContext) -> int:
    """The newest ticket event's id (0 when none): a desk compares it to know whether a
    counter called, served or transferred someone since it last looked."""
    with ctx.db.read() as session:
        return session.scalar(select(func.max(TicketEvent.id))) or 0
