"""Many desks and counters at once on PostgreSQL: 8 desk processes (check-in and walk-in)
and 6 counter processes (call-next, start serving, finish) for two minutes.

    ./scripts/bench.sh benchmarks/concurrency.py [--seconds 120] [--desks 8] [--counters 6]

Afterwards it checks that no ticket number was given twice and no ticket was called
twice (by the answers the processes got and by the database), and prints throughput and
p50/p99 latency per operation. The office's clock moves on one service day every
``--day-seconds`` of wall time, in every process alike, so a long run never runs out of
the 999 numbers of a day.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time as wall
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FIRST_DAY = date(2026, 12, 1)
TZ = ZoneInfo("Asia/Jakarta")
OPERATIONS = ("check_in", "walk_in", "call_next", "start_serving", "finish")


def config_of(folder: Path, counters: int):
    from kiosk.config import from_mapping

    return from_mapping({
        "office": {"code": "JKP"}, "paths": {"data_dir": str(folder)},
        "priority": {"daily_quota": 999},
        "queue": {"counters": {str(i): (["B", "A"] if i % 3 == 1 else ["A", "B"]) for i in range(1, counters + 1)}},
    })


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def worker(role: str, index: int, url: str, folder: str, counters: int, desks: int, ready,
           seconds: float, day_seconds: float) -> dict[str, Any]:
    """One process: a desk (``index`` 0..desks-1) or a counter (``index`` = counter number)."""
    from kiosk.app import open_context
    from kiosk.core import booking_code
    from kiosk.core.clock import FixedClock
    from kiosk.services import CallError, call_next, check_in, finish, start_serving, walk_in

    clock = FixedClock(datetime.combine(FIRST_DAY, time(9, 0), tzinfo=TZ))
    ctx = open_context(config_of(Path(folder), counters), db_url=url, clock=clock)
    key = ctx.keyring.signing_key
    times: dict[str, list[float]] = {op: [] for op in OPERATIONS}
    issued: list[tuple[str, str]] = []  # (day, label)
    called: list[tuple[str, str]] = []
    refused: Counter[str] = Counter()
    numbers: dict[int, int] = {}  # day index -> next booking number of this desk
    ready.wait()  # every process imported and connected: all start together
    start_at = wall.time()
    end = start_at + seconds
    turn = 0

    def timed(op: str, fn):
        t0 = wall.perf_counter()
        result = fn()
        times[op].append((wall.perf_counter() - t0) * 1000)
        return result

    while (now := wall.time()) < end:
        day_index = int((now - start_at) // day_seconds)
        day = FIRST_DAY + timedelta(days=day_index)
        clock.set(datetime.combine(day, time(9, 0), tzinfo=TZ) + timedelta(seconds=now - start_at))
        turn += 1
        if role == "desk":
            if turn % 3 == 0:
                result = timed("walk_in", lambda: walk_in(ctx, "lansia", birth=date(1950, 5, 5), actor=f"desk{index}"))
            else:
                n = numbers.get(day_index, index + 1)
                numbers[day_index] = n + desks
                if n > 999:
                    continue
                code = booking_code.generate(key, "JKP", day, time(10, 0), n).text
                result = timed("check_in", lambda: check_in(ctx, code, actor=f"desk{index}"))
            if result.ticket is not None:
                issued.append((day.isoformat(), result.ticket.label))
            else:
                refused[str(result.outcome)] += 1
        else:
            result = timed("call_next", lambda: call_next(ctx, index, actor=f"counter{index}"))
            if result.ticket is None:
                refused["nothing_waiting"] += 1
                wall.sleep(0.05)  # an idle counter looks again a moment later
                continue
            called.append((day.isoformat(), result.ticket.label))
            try:
                timed("start_serving", lambda: start_serving(ctx, index, actor=f"counter{index}"))
                timed("finish", lambda: finish(ctx, index, actor=f"counter{index}"))
            except CallError as exc:
                refused[f"call_error: {exc}"[:60]] += 1
    ctx.close()
    return {"role": role, "index": index, "times": times, "issued": issued, "called": called,
            "refused": dict(refused)}


def _entry(job: tuple, ready, results) -> None:
    try:
        results.put(worker(*job[:6], ready, *job[6:]))
    except BaseException as exc:
        ready.abort()
        results.put({"error": f"{job[0]} {job[1]}: {exc!r}"})
        raise


def run(url: str, folder: Path, seconds: float = 120, desks: int = 8, counters: int = 6,
        day_seconds: float = 20) -> dict[str, Any]:
    from sqlalchemy import func, select

    from kiosk.app import open_context
    from kiosk.store import Ticket, TicketEvent

    ctx = open_context(config_of(folder, counters), db_url=url, create_keys=True)  # migrates and makes the keys once
    ctx.close()
    jobs = [("desk", i, url, str(folder), counters, desks, seconds, day_seconds) for i in range(desks)]
    jobs += [("counter", c, url, str(folder), counters, desks, seconds, day_seconds)
             for c in range(1, counters + 1)]
    mp = multiprocessing.get_context("spawn")
    ready, queue = mp.Barrier(len(jobs)), mp.Queue()
    processes = [mp.Process(target=_entry, args=(job, ready, queue), name=f"{job[0]}-{job[1]}") for job in jobs]
    for p in processes:
        p.start()
    results = [queue.get(timeout=seconds + 300) for _ in jobs]
    for p in processes:
        p.join(timeout=60)
    failed = [r["error"] for r in results if "error" in r]
    if failed:
        raise RuntimeError("; ".join(failed))
    issued = [t for r in results for t in r["issued"]]
    called = [t for r in results for t in r["called"]]
    ctx = open_context(config_of(folder, counters), db_url=url)
    with ctx.db.read() as session:
        stored = session.execute(select(Ticket.service_day, Ticket.prefix, Ticket.number)).all()
        calls_per_ticket = session.execute(
            select(TicketEvent.ticket_id, func.count()).where(TicketEvent.kind == "call")
            .group_by(TicketEvent.ticket_id).having(func.count() > 1)).all()
    ctx.close()
    stored_labels = {(d.isoformat(), f"{p}{n:03d}") for d, p, n in stored}
    problems = []
    if len(stored) != len(stored_labels):
        problems.append("a number stored twice")
    if len(issued) != len(set(issued)):
        problems.append(f"numbers handed out twice: {[t for t, k in Counter(issued).items() if k > 1][:5]}")
    if not set(issued) <= stored_labels:
        problems.append(f"handed out but not stored: {sorted(set(issued) - stored_labels)[:5]}")
    if len(called) != len(set(called)):
        problems.append(f"tickets called twice: {[t for t, k in Counter(called).items() if k > 1][:5]}")
    if calls_per_ticket:
        problems.append(f"{len(calls_per_ticket)} tickets with more than one call event")
    times = {op: [ms for r in results for ms in r["times"][op]] for op in OPERATIONS}
    refused: Counter[str] = Counter()
    for r in results:
        refused.update(r["refused"])
    return {"seconds": seconds, "desks": desks, "counters": counters, "issued": len(issued), "called": len(called),
            "problems": problems, "refused": dict(refused),
            "ops": {op: {"n": len(v), "per_s": len(v) / seconds,
                         "p50": statistics.median(v) if v else 0.0, "p99": percentile(v, 0.99) if v else 0.0}
                    for op, v in times.items()}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--desks", type=int, default=8)
    parser.add_argument("--counters", type=int, default=6)
    parser.add_argument("--day-seconds", type=float, default=20)
    args = parser.parse_args()
    url = os.environ.get("ANTREAN_TEST_PG_URL")
    if not url:
        print("ANTREAN_TEST_PG_URL is not set: run ./scripts/bench.sh benchmarks/concurrency.py", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        r = run(url, Path(tmp), args.seconds, args.desks, args.counters, args.day_seconds)
    print(f"{r['desks']} desk processes, {r['counters']} counter processes, {r['seconds']:.0f} s: "
          f"{r['issued']} tickets issued, {r['called']} called; refused/idle: {r['refused']}")
    print("| operation | n | per second | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for op, s in r["ops"].items():
        print(f"| {op} | {s['n']} | {s['per_s']:.1f} | {s['p50']:.1f} | {s['p99']:.1f} |")
    print("checks: " + ("no number twice, no ticket called twice" if not r["problems"] else "; ".join(r["problems"])))
    return 1 if r["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
