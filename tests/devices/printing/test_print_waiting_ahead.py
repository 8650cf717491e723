""""Menunggu di depan Anda" counts in the database exactly as the queue orders."""

from __future__ import annotations

import random
from datetime import time, timedelta

from kiosk.core.tickets import WaitingTicket, order_queue
from kiosk.services.printing import waiting_ahead
from kiosk.store import Ticket


def test_waiting_ahead_agrees_with_the_queue_order(ctx):
    # GIVEN both queues with slots, ties, tickets without a slot (transferred in) and some not waiting
    rng = random.Random(7)
    day = ctx.today()
    start = ctx.now()
    with ctx.db.write() as session:
        for service in ("A", "B"):
            for number in range(1, 41):
                queued = start + timedelta(seconds=rng.choice([0, 5, 10, 20, 30]))
                slot = rng.choice([None, time(9, 0), time(9, 30), time(10, 0)]) if service == "A" else None
                session.add(Ticket(service_day=day, prefix=service, number=number, service=service,
                                   state=rng.choice(["waiting"] * 4 + ["called", "done"]), slot=slot,
                                   issued_at=queued, queued_at=queued))
    # WHEN each waiting ticket asks how many are ahead of it
    with ctx.db.read() as session:
        tickets = list(session.query(Ticket).filter(Ticket.service_day == day))
        for service, order in ctx.queue_orders.items():
            waiting = [WaitingTicket(t.id, t.service, t.number, t.queued_at, t.slot)
                       for t in tickets if t.service == service and t.state == "waiting"]
            expected = {w.ticket_id: i for i, w in enumerate(order_queue(order, waiting))}
            # THEN the count is the ticket's place in the core's order
            actual = {t.id: waiting_ahead(ctx, session, t) for t in tickets
                      if t.service == service and t.state == "waiting"}
            assert actual == expected
        # AND a ticket no longer waiting has nobody ahead
        assert all(waiting_ahead(ctx, session, t) == 0 for t in tickets if t.state != "waiting")
