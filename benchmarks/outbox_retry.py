"""The outbox retry worker: replies delivered per second, and sends per reply, with a
Graph API stand-in on 127.0.0.1 that fails a share of the sends.

    python benchmarks/outbox_retry.py [--replies 1000] [--workers 1 4] [--fail-every 3] [--pg URL]

Each run starts with ``--replies`` queued replies on a fresh database; the workers pass
over the outbox (the clock is moved past each pause between passes) until every reply is
sent. "sends" counts the Graph API message calls: with every third one failing it is
about 1.5 per reply; a reply sent twice would show as "duplicates".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app import open_context  # noqa: E402
from kiosk.booking.outbox_worker import OutboxRetrier  # noqa: E402
from kiosk.booking.senders import CloudApiClient, OutboxSender  # noqa: E402
from kiosk.config import from_mapping  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from tests.booking.test_outbox_retry import GraphThread, Reply  # noqa: E402


def one_run(replies: int, workers: int, fail_every: int, url: str | None, folder: Path) -> dict[str, object]:
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor"}, "clock": {"allow_override": True},
                           "paths": {"data_dir": str(folder)}}, source=folder / "config.toml")
    clock = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    ctx = open_context(config, db_url=url or f"sqlite:///{folder / 'bench.db'}", clock=clock, create_keys=True)
    graph = GraphThread()  # the Graph API stand-in, with every fail_every-th send answered 503
    counter = {"n": 0}
    delivered: Counter[str] = Counter()
    lock = threading.Lock()

    async def flaky(request):  # type: ignore[no-untyped-def]
        body = await request.json()
        with lock:
            counter["n"] += 1
            fail = counter["n"] % fail_every == 0
        graph.fake.calls.append(("send", "", body))
        if fail:
            from aiohttp import web

            return web.json_response({"error": {"message": "temporarily unavailable"}}, status=503)
        with lock:
            delivered[body["text"]["body"]] += 1
        from aiohttp import web

        return web.json_response({"messages": [{"id": "wamid.ok"}]})

    graph.fake.messages = flaky  # type: ignore[method-assign]
    with graph:
        for i in range(replies):
            OutboxSender(ctx).send(Reply(i))
        client = CloudApiClient(graph.base + "/v21.0", "106540352242922", "EAAtest")
        pool = [OutboxRetrier(ctx, client) for _ in range(workers)]
        started = time.perf_counter()
        passes = 0
        while True:
            totals: Counter[str] = Counter()

            def drain(worker: OutboxRetrier) -> None:
                while True:
                    counts = worker.run_once()
                    with lock:
                        totals.update(counts)
                    if not counts["sent"] and not counts["failed"]:
                        return

            threads = [threading.Thread(target=drain, args=(w,)) for w in pool]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            passes += 1
            with ctx.db.read() as session:
                from sqlalchemy import func, select

                from kiosk.store import OutboxMessage

                left = session.scalar(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.state != "sent"))
            if not left:
                break
            clock.advance(timedelta(hours=1))  # past every pause
        elapsed = time.perf_counter() - started
        sent_texts = Counter(c[2]["text"]["body"] for c in graph.fake.calls if c[0] == "send")
    ctx.close()
    return {"database": "sqlite" if url is None else "postgresql", "replies": replies, "workers": workers,
            "seconds": round(elapsed, 2), "replies_per_s": round(replies / elapsed, 1),
            "sends": sum(sent_texts.values()), "passes": passes,
            "delivered": len(delivered), "duplicates_delivered": sum(1 for n in delivered.values() if n > 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--fail-every", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("ANTREAN_TEST_PG_URL"))
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)  # the failed sends are expected; their warnings are noise here
    urls: list[str | None] = [None] + (["pg"] if args.pg else [])
    for url in urls:
        for workers in args.workers:
            with tempfile.TemporaryDirectory() as tmp:
                real_url = None
                if url == "pg":
                    from tests.conftest import create_pg_database, drop_pg_database

                    real_url = create_pg_database()
                try:
                    result = one_run(args.replies, workers, args.fail_every, real_url, Path(tmp))
                finally:
                    if real_url:
                        drop_pg_database(real_url)
                print(json.dumps(result | {"python": platform.python_version()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
