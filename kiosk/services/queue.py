"""What is waiting, what each counter has, the last calls."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.store import Ticket, TicketEvent
from kiosk.services.board import current_tickets, waiting_counts
from kiosk.services.common import priority_tickets_issued
from kiosk.services.results import QueueStatus, TicketInfo


def queue_status(ctx: AppContext, last: int = 8) -> QueueStatus:
    today = ctx.today()
    with ctx.db.read() as session:
        waiting = waiting_counts(session, today, ctx.config.queue.services)
        current = current_tickets(session, today)
        counters: dict[int, TicketInfo | None] = {}
        for number in sorted(ctx.config.queue.counters, key=int):
            ticket = current.get(int(number))
            counters[int(number)] = TicketInfo.of(ticket) if ticket else None
        rows = session.execute(
            select(TicketEvent, Ticket).join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.service_day == today, TicketEvent.kind.in_(("call", "recall")))
            .order_by(TicketEvent.id.desc()).limit(last)).tuples().all()
        last_calls = [{"number": t.label, "counter": e.counter, "at": e.at.astimezone(ctx.config.tz),
                       "recall": e.kind == "recall"} for e, t in rows]
        left = max(0, ctx.config.priority.daily_quota - priority_tickets_issued(ctx, session, today))
    return QueueStatus(today, waiting, counters, last_calls, left)
