"""Pieces every service shares: numbering, events, the print outbox, today's tickets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core.tickets import MAX_NUMBER
from kiosk.store import AuditEvent, Booking, DayCounter, PrintJob, Ticket, TicketEvent


class NumbersExhausted(RuntimeError):
    pass


def allocate_number(ctx: AppContext, session: Session, day: date, prefix: str) -> int:
    """Next free number of ``prefix`` on ``day``. The counter row is locked for the rest of
    the transaction, so numbering is serial on PostgreSQL as it is on SQLite (BEGIN
    IMMEDIATE); the unique constraints stay the last guard.

    Numbers an imported list brought are reserved by their rows, not by moving the
    counter: the counter steps over them, so one imported 999 does not close the day."""
    row = lock_counter_row(ctx, session, day, prefix)
    taken = set(session.scalars(select(Ticket.number).where(Ticket.service_day == day, Ticket.prefix == prefix,
                                                            Ticket.number > row.last_number)))
    if prefix == ctx.config.queue.booking_service:
        taken |= set(session.scalars(select(Booking.number).where(
            Booking.office == ctx.config.office.code, Booking.service_date == day,
            Booking.number > row.last_number)))
    number = row.last_number + 1
    while number in taken:
        number += 1
    if number > MAX_NUMBER:
        raise NumbersExhausted(f"all {MAX_NUMBER} numbers of {prefix} on {day} are used")
    row.last_number = number
    return number


def lock_counter_row(ctx: AppContext, session: Session, day: date, prefix: str) -> DayCounter:
    """Lock (creating if needed) the day counter without taking a number (quota checks)."""
    insert = sqlite_insert if ctx.db.is_sqlite else pg_insert
    session.execute(insert(DayCounter).values(service_day=day, prefix=prefix, last_number=0)
                    .on_conflict_do_nothing())
    return session.scalars(select(DayCounter).where(DayCounter.service_day == day, DayCounter.prefix == prefix)
                           .with_for_update()).one()


def record_event(ctx: AppContext, session: Session, ticket: Ticket, kind: str, *, from_state: str | None,
                 actor: str, counter: int | None = None, detail: dict[str, Any] | None = None,
                 at: datetime | None = None) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, at=at or ctx.now(), kind=kind, from_state=from_state,
                        to_state=ticket.state, service=ticket.service, counter=counter, actor=actor, detail=detail)
    session.add(event)
    session.flush()
    ctx.db.notify(session, str(event.id))
    return event


def queue_print(ctx: AppContext, session: Session, ticket: Ticket, *, reprint: bool = False) -> PrintJob:
    job = PrintJob(ticket_id=ticket.id, kind="reprint" if reprint else "ticket", reprint=reprint,
                   state="pending", attempts=0, created_at=ctx.now(), station=ctx.config.printer.station or None)
    session.add(job)
    session.flush()
    return job


def audit(ctx: AppContext, session: Session, action: str, *, actor: str, target: str | None = None,
          detail: dict[str, Any] | None = None) -> None:
    session.add(AuditEvent(at=ctx.now(), actor=actor, action=action, target=target, detail=detail))


def priority_tickets_issued(ctx: AppContext, session: Session, day: date) -> int:
    return session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.service_day == day, Ticket.prefix == ctx.config.queue.priority_service,
        Ticket.category.is_not(None), Ticket.state != "cancelled")) or 0


def find_ticket(session: Session, day: date, label: str) -> Ticket | None:
    """Today's ticket by its printed number ("A042"); None when there is none or the
    text is not a ticket number at all."""
    from kiosk.core.tickets import parse_number

    try:
        prefix, number = parse_number(label)
    except ValueError:
        return None
    return session.scalars(select(Ticket).where(Ticket.service_day == day, Ticket.prefix == prefix,
                                                Ticket.number == number)).one_or_none()
