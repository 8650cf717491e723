"""Numbering and call-next never race: several processes on one SQLite file, and eight
concurrent callers on PostgreSQL."""

import json
import subprocess
import sys
import textwrap
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.core.clock import FixedClock
from kiosk.app import open_context
from kiosk.services import call_next, walk_in
from kiosk.store import Ticket, TicketEvent
from tests.conftest import make_config, wib

ROOT = Path(__file__).resolve().parents[1]

WORKER = textwrap.dedent("""
    import json, sys
    from kiosk.app import open_context
    from kiosk.config import load_config
    from kiosk.core.clock import FixedClock
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from kiosk.services import walk_in
    ctx = open_context(load_config(__import__("pathlib").Path(sys.argv[1])),
                       clock=FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))))
    sys.stdin.readline()  # start together
    labels = [walk_in(ctx, "disabilitas", actor="p" + sys.argv[2]).ticket.label for _ in range(int(sys.argv[3]))]
    print(json.dumps(labels))
""")


def test_four_processes_fifty_walk_ins_each_on_one_sqlite_file(tmp_path):
    from kiosk.config import to_toml

    config = make_config(tmp_path, priority={"daily_quota": 999})
    (tmp_path / "config.toml").write_text(to_toml(config), encoding="utf-8")
    open_context(config).close()  # migrate once
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "config.toml"), str(i), "50"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, text=True)
             for i in range(4)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    labels = []
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0
        labels += json.loads(out)
    assert len(labels) == 200 and len(set(labels)) == 200  # none twice
    assert sorted(labels) == [f"B{n:03d}" for n in range(1, 201)]  # none lost


@pytest.mark.postgres
def test_eight_concurrent_callers_on_postgresql_never_call_a_ticket_twice(tmp_path, pg_url):
    clock = FixedClock(wib(2026, 12, 1, 9, 0))
    counters = {str(n): ["B"] for n in range(1, 9)}
    config = make_config(tmp_path, priority={"daily_quota": 999}, queue={"counters": counters})
    ctx = open_context(config, db_url=pg_url, clock=clock)
    for _ in range(120):
        walk_in(ctx, "disabilitas")

    def counter_loop(n):
        own = open_context(config, db_url=pg_url, clock=clock)
        called = []
        try:
            while True:
                result = call_next(own, n)
                if result.ticket is None:
                    return called
                called.append(result.ticket.label)
        finally:
            own.close()

    with ThreadPoolExecutor(8, thread_name_prefix="counter") as pool:
        results = list(pool.map(counter_loop, range(1, 9)))
    everything = [label for r in results for label in r]
    assert len(everything) == 120 and len(set(everything)) == 120
    with ctx.db.read() as s:
        calls = Counter(e.ticket_id for e in s.scalars(select(TicketEvent).where(TicketEvent.kind == "call")))
        assert set(calls.values()) == {1}
        # each call-next closes the counter's previous ticket; called but never served,
        # it is recorded as not served (no-show), never as done
        assert {t.state for t in s.scalars(select(Ticket))} == {"no_show"}
    assert sum(1 for r in results if r) >= 2  # the callers really ran side by side
    ctx.close()
