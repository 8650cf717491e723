"""Nothing lost, nothing sent twice: the outbox retry worker against a stand-in Graph API
on 127.0.0.1."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from sqlalchemy import select

from kiosk.booking.outbox_worker import OutboxRetrier, backoff
from kiosk.booking.senders import CloudApiClient, OutboxSender
from kiosk.store import AuditEvent, OutboxMessage
from tests.booking.test_webhook import SECRETS, FakeGraph, serve


class Reply:
    def __init__(self, i: int) -> None:
        self.phone, self.message_id, self.text, self.image_path = f"62812000{i:05d}", f"wamid.{i}", f"reply {i}", None


class GraphThread:
    """The stand-in Graph API served from a thread of its own (the worker is synchronous)."""

    def __init__(self) -> None:
        self.fake = FakeGraph()
        self.failures_left = 0
        original = self.fake.messages

        async def messages(request):  # type: ignore[no-untyped-def]
            self.fake.fail_messages = self.failures_left > 0
            self.failures_left = max(0, self.failures_left - 1)
            return await original(request)

        self.fake.messages = messages  # type: ignore[method-assign]
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="fake-graph")

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner, self.base = self.loop.run_until_complete(serve(self.fake.app()))
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def __enter__(self) -> GraphThread:
        self.thread.start()
        self.ready.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


def rows(ctx) -> list[OutboxMessage]:
    with ctx.db.read() as s:
        return s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def client(ctx, base: str) -> CloudApiClient:
    return CloudApiClient(base + "/v21.0", "106540352242922", SECRETS.access_token)


def test_a_failed_reply_is_retried_after_its_pause_and_sent_once(ctx, clock):
    with GraphThread() as graph:
        # GIVEN a queued reply and a Graph API that fails the first two sends
        OutboxSender(ctx).send(Reply(1))
        graph.failures_left = 2
        worker = OutboxRetrier(ctx, client(ctx, graph.base))
        # WHEN the worker runs, and runs again before the pause is over
        assert worker.run_once() == {"given_up": 0, "sent": 0, "failed": 1}
        assert worker.run_once() == {"given_up": 0, "sent": 0, "failed": 0}  # not due yet
        clock.advance(backoff(1))
        assert worker.run_once()["failed"] == 1
        clock.advance(backoff(2))
        assert worker.run_once()["sent"] == 1
        clock.advance(timedelta(hours=2))
        assert worker.run_once() == {"given_up": 0, "sent": 0, "failed": 0}  # nothing twice
    # THEN it was tried three times and delivered once
    (row,) = rows(ctx)
    assert (row.state, row.attempts, row.provider_id) == ("sent", 3, "wamid.reply1")
    assert len([c for c in graph.fake.calls if c[0] == "send"]) == 3
    assert backoff(1) < backoff(2) < backoff(3) and backoff(50) == timedelta(hours=1)


def test_a_reply_that_keeps_failing_is_given_up_after_the_configured_age_with_an_audit_row(make_ctx, clock):
    ctx = make_ctx(intake={"retry_max_age_minutes": 60})
    with GraphThread() as graph:
        OutboxSender(ctx).send(Reply(1))
        graph.failures_left = 1000
        worker = OutboxRetrier(ctx, client(ctx, graph.base))
        for _ in range(8):
            worker.run_once()
            clock.advance(timedelta(minutes=10))
    (row,) = rows(ctx)
    assert row.state == "given_up"
    with ctx.db.read() as s:
        audits = s.scalars(select(AuditEvent).where(AuditEvent.action == "reply_given_up")).all()
    assert len(audits) == 1 and audits[0].target == f"outbox#{row.id}" and row.phone not in str(audits[0].detail)


def test_a_reply_left_sending_by_a_crash_is_not_sent_again(ctx, clock):
    with GraphThread() as graph:
        OutboxSender(ctx).send(Reply(1))
        with ctx.db.write() as s:  # a sender claimed it, then the process died
            s.get(OutboxMessage, rows(ctx)[0].id).state = "sending"
            s.get(OutboxMessage, rows(ctx)[0].id).claimed_at = ctx.now()
        worker = OutboxRetrier(ctx, client(ctx, graph.base))
        clock.advance(timedelta(minutes=11))
        assert worker.run_once() == {"given_up": 1, "sent": 0, "failed": 0}
    assert rows(ctx)[0].state == "given_up" and graph.fake.calls == []


def test_parallel_workers_send_each_reply_exactly_once(ctx):
    with GraphThread() as graph:
        # GIVEN 40 queued replies and four workers (as on two PCs) starting together
        for i in range(40):
            OutboxSender(ctx).send(Reply(i))
        workers = [OutboxRetrier(ctx, client(ctx, graph.base)) for _ in range(4)]
        start = threading.Barrier(len(workers))

        def drain(worker: OutboxRetrier) -> None:
            start.wait()
            while worker.run_once()["sent"]:
                pass

        threads = [threading.Thread(target=drain, args=(w,), name=f"worker-{i}") for i, w in enumerate(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    # THEN every reply went out once
    texts = [c[2]["text"]["body"] for c in graph.fake.calls if c[0] == "send"]
    assert sorted(texts) == sorted(f"reply {i}" for i in range(40))
    assert {r.state for r in rows(ctx)} == {"sent"} and {r.attempts for r in rows(ctx)} == {1}
