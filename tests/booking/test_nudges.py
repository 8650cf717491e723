""""Giliran Anda hampir tiba": one template message per WhatsApp-booked ticket near its
turn, queued in the call's transaction and sent through the Cloud API (a stand-in)."""

from __future__ import annotations

import asyncio
from datetime import date, time

from sqlalchemy import select

from kiosk.booking.outbox_worker import OutboxRetrier
from kiosk.booking.senders import CloudApiClient
from kiosk.services import add_booking, call_next, check_in, walk_in
from kiosk.services.nudges import CHANNEL
from kiosk.store import OutboxMessage
from tests.booking.test_webhook import SECRETS, FakeGraph, serve

TODAY = date(2026, 12, 1)


def nudges(ctx) -> list[OutboxMessage]:
    with ctx.db.read() as s:
        return s.scalars(select(OutboxMessage).where(OutboxMessage.channel == CHANNEL)
                         .order_by(OutboxMessage.id)).all()


def book_and_check_in(ctx, count: int, *, source: str = "whatsapp", first_phone: int = 6281200000001) -> list[str]:
    labels = []
    for i in range(count):
        info = add_booking(ctx, name="Budi Santoso " + "abcdefghijklmnop"[i], birth=date(1987, 1, 25), service_date=TODAY,
                           slot=time(10, 0), phone=str(first_phone + i), source=source)
        labels.append(check_in(ctx, info.code).ticket.label)
    return labels


def test_each_whatsapp_ticket_is_told_once_when_five_are_ahead(make_ctx):
    # GIVEN eight WhatsApp-booked tickets and two booked at the desk, in one queue
    ctx = make_ctx(queue={"counters": {"1": ["A"]}})
    wa = book_and_check_in(ctx, 8)
    local = book_and_check_in(ctx, 2, source="local", first_phone=6281300000001)
    # WHEN the counter calls, one ticket after the other
    told_after: list[list[str]] = []
    for _ in range(6):
        call_next(ctx, 1)
        told_after.append([n.in_reply_to.split(":")[2] for n in nudges(ctx)])
    # THEN after the first call the tickets with at most 5 ahead are told, then one more per call
    assert told_after[0] == wa[1:7]
    assert told_after[1] == wa[1:8]
    assert told_after[-1] == wa[1:8]  # and the desk's bookings, with no WhatsApp, never
    assert not set(local) & {label for told in told_after for label in told}
    rows = nudges(ctx)
    assert [int(r.in_reply_to.split(":")[3]) for r in rows] == [0, 1, 2, 3, 4, 5, 5]
    # AND each message names the number and the people ahead, never the name
    assert rows[-1].text.startswith("Giliran Anda hampir tiba: nomor antrean A008, 5 orang lagi")
    assert all("Budi" not in r.text and "Santoso" not in r.text for r in rows)
    assert all(r.state == "queued" for r in rows)
    assert wa[0] not in [r.in_reply_to.split(":")[2] for r in rows]  # called straight away: nothing to tell


def test_nothing_is_queued_when_switched_off_or_for_walk_ins(make_ctx):
    ctx = make_ctx(intake={"notify_ahead": 0})
    book_and_check_in(ctx, 3)
    walk_in(ctx, "disabilitas")
    call_next(ctx, 2)
    assert nudges(ctx) == []


def test_the_template_goes_out_through_the_cloud_api_once(make_ctx):
    fake = FakeGraph()

    async def main():
        runner, base = await serve(fake.app())
        try:
            ctx = make_ctx(queue={"counters": {"1": ["A"]}},
                           intake={"sender": "cloud_api", "phone_number_id": "106540352242922",
                                   "cloud_api_url": base + "/v21.0", "notify_template": "giliran_hampir_tiba",
                                   "notify_language": "id"})
            client = CloudApiClient(ctx.config.intake.cloud_api_url, "106540352242922", SECRETS.access_token)
            retrier = OutboxRetrier(ctx, client)

            def send_due_nudges(_ctx, _client):  # wa-server's outbox worker, one pass
                return retrier.run_once()["sent"]
            labels = await asyncio.to_thread(book_and_check_in, ctx, 3)
            await asyncio.to_thread(call_next, ctx, 1)
            first = await asyncio.to_thread(send_due_nudges, ctx, client)
            again = await asyncio.to_thread(send_due_nudges, ctx, client)
            fake.fail_messages = True
            await asyncio.to_thread(call_next, ctx, 1)  # nobody new comes near: nothing to send
            await asyncio.to_thread(book_and_check_in, ctx, 1, first_phone=6281299999999)
            await asyncio.to_thread(call_next, ctx, 1)
            failed = await asyncio.to_thread(send_due_nudges, ctx, client)
            retried = await asyncio.to_thread(send_due_nudges, ctx, client)
            return ctx, labels, first, again, failed, retried
        finally:
            await runner.cleanup()

    ctx, labels, first, again, failed, retried = asyncio.run(main())
    # THEN the two waiting tickets were each sent one template message, and nothing twice
    assert (first, again, failed, retried) == (2, 0, 0, 0)
    sends = [c[2] for c in fake.calls if c[0] == "send"]
    assert len(sends) == 3
    body = sends[0]
    assert body["type"] == "template" and body["to"] == "6281200000002"
    assert body["template"]["name"] == "giliran_hampir_tiba" and body["template"]["language"] == {"code": "id"}
    assert body["template"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": labels[1]}, {"type": "text", "text": "0"}]}]
    assert "Budi" not in str(sends)
    rows = nudges(ctx)
    assert [(r.state, r.attempts) for r in rows] == [("sent", 1), ("sent", 1), ("failed", 1)]
    assert rows[0].provider_id == "wamid.reply1" and "401" in rows[2].last_error
