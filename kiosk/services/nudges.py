""""Giliran Anda hampir tiba": one WhatsApp message when a booked ticket is near its turn.

When a call leaves a ticket from a WhatsApp booking ``intake.notify_ahead`` or fewer
places from being called, the call's own transaction queues one message for it in the
outbox (so it is queued exactly once, whatever counters call at the same moment). The
message names the ticket number and the people ahead — never the applicant's name.
It is a Cloud API *template* message (outside the 24-hour window only templates may be
sent); wa-server's outbox worker (``kiosk.booking.outbox_worker``) sends the queued ones
through ``senders.deliver``, which makes them templates.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.app import AppContext
from kiosk.core.tickets import QueueOrder, WaitingTicket, format_number, order_queue
from kiosk.i18n import tr
from kiosk.store import Booking, OutboxMessage, Ticket

C = "Nudge"
CHANNEL = "wa_template"  # outbox rows of template messages (replies are "whatsapp")
MARKER = "nudge:"  # in_reply_to = nudge:<ticket id>:<label>:<people ahead>


def nudge_text(label: str, ahead: int) -> str:
    """The message as the applicant reads it (the template's body says the same)."""
    return tr(C, "Giliran Anda hampir tiba: nomor antrean {number}, {ahead} orang lagi di depan Anda. "
                 "Mohon bersiap di ruang tunggu.", number=label, ahead=ahead)


def marker(ticket_id: int, label: str, ahead: int) -> str:
    return f"{MARKER}{ticket_id}:{label}:{ahead}"


def parse_marker(text: str | None) -> tuple[int, str, int] | None:
    if not text or not text.startswith(MARKER):
        return None
    try:
        ticket_id, label, ahead = text[len(MARKER):].split(":")
        return int(ticket_id), label, int(ahead)
    except ValueError:
        return None


def queue_nudges(ctx: AppContext, session: Session, day: date) -> int:
    """Queue the message for every WhatsApp-booked ticket now near its turn and not told
    yet; returns how many were queued. Runs inside the calling transaction."""
    limit = ctx.config.intake.notify_ahead
    if limit <= 0:
        return 0
    phones = dict(session.execute(
        select(Ticket.id, Booking.phone).join(Booking, Ticket.booking_id == Booking.id)
        .where(Ticket.service_day == day, Ticket.state == "waiting", Booking.source == "whatsapp",
               Booking.phone.is_not(None))).tuples().all())
    if not phones:
        return 0
    since = datetime.combine(day, time.min, tzinfo=ctx.config.tz)
    told = {parsed[0] for text in session.scalars(
        select(OutboxMessage.in_reply_to).where(OutboxMessage.channel == CHANNEL, OutboxMessage.created_at >= since,
                                                OutboxMessage.in_reply_to.like(f"{MARKER}%")))
        if (parsed := parse_marker(text)) is not None}
    pending = {ticket_id for ticket_id in phones if ticket_id not in told}
    if not pending:
        return 0
    services = {s for (s,) in session.execute(select(Ticket.service).where(Ticket.id.in_(pending))).all()}
    rows = session.execute(select(Ticket.id, Ticket.service, Ticket.prefix, Ticket.number, Ticket.queued_at,
                                  Ticket.slot)
                           .where(Ticket.service_day == day, Ticket.state == "waiting",
                                  Ticket.service.in_(services))).all()
    labels = {r.id: format_number(r.prefix, r.number) for r in rows}
    orders = ctx.queue_orders
    queued = 0
    for service in services:
        queue = order_queue(orders.get(service, QueueOrder.BY_ARRIVAL),
                            [WaitingTicket(r.id, r.service, r.number, r.queued_at, r.slot)
                             for r in rows if r.service == service])
        for ahead, ticket in enumerate(queue[: limit + 1]):
            if ticket.ticket_id in pending:
                label = labels[ticket.ticket_id]
                session.add(OutboxMessage(created_at=ctx.now(), channel=CHANNEL, phone=phones[ticket.ticket_id],
                                          in_reply_to=marker(ticket.ticket_id, label, ahead),
                                          text=nudge_text(label, ahead), state="queued", attempts=0))
                queued += 1
    return queued
