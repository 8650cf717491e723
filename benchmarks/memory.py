"""Memory of the desk side and of the display process over an 8-hour office day,
compressed in time.

    ./scripts/bench.sh benchmarks/memory.py [--hours 8] [--step 20] [--sqlite]

This process is the desk and the counters: a FixedClock walks from 08:00 through the
day, one step (``--step`` simulated seconds) at a time, and each step is a check-in or
a walk-in and a call-next at one of four counters (with start-serving every other
call), all through the real services. The display is ``main.py display`` in its own
process (offscreen, fake audio), fed by the real feed (LISTEN/NOTIFY on PostgreSQL,
polling on SQLite), its clock at the end of that day so calls are shown but not spoken.
The resident memory (VmRSS) of both is sampled every simulated
quarter of an hour; the report gives start, end and peak, and the trend over the second
half of the day (least squares, MB per simulated hour) — the first half is warm-up
(caches, connection pools, fonts).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time as wall
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app import CLOCK_ENV, open_context  # noqa: E402
from kiosk.config import from_mapping, to_toml  # noqa: E402
from kiosk.core import booking_code  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from kiosk.services import CallError, call_next, check_in, start_serving, walk_in  # noqa: E402

DAY = date(2026, 12, 1)
COUNTERS = 4


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def slope(points: list[tuple[float, float]]) -> float:
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else 0.0


def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    second_half = samples[len(samples) // 2:]
    return {"start": samples[0][1], "end": samples[-1][1], "peak": max(v for _, v in samples),
            "trend_mb_per_hour": slope(second_half)}


def run(url: str, folder: Path, hours: float = 8, step: int = 20) -> dict:
    config = from_mapping({"office": {"code": "JKP", "name": "Benchmark"},
                           "paths": {"data_dir": str(folder / "data")}, "database": {"url": url},
                           "clock": {"allow_override": True}, "priority": {"daily_quota": 999},
                           "queue": {"counters": {str(n): (["B", "A"] if n == 1 else ["A", "B"])
                                                  for n in range(1, COUNTERS + 1)}}},
                          source=folder / "config.toml")
    (folder / "config.toml").write_text(to_toml(config))
    start = datetime.combine(DAY, time(8, 0), tzinfo=config.tz)
    clock = FixedClock(start)
    ctx = open_context(config, clock=clock, create_keys=True)
    key = ctx.keyring.signing_key
    trace = folder / "display.jsonl"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1",
           # The display's clock stands at the end of the day: every call is shown, none is
           # fresh enough to be spoken (compressed time would queue speech faster than it
           # plays). The announcer's own memory is tested in tests/display/test_announcer.py.
           CLOCK_ENV: datetime.combine(DAY, time(23, 0)).isoformat()}
    with open(trace, "w") as out:
        display = subprocess.Popen([sys.executable, "main.py", "--config", str(folder / "config.toml"), "display",
                                    "--trace", "--audio", "fake"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.DEVNULL)
    try:
        deadline = wall.monotonic() + 60
        while '"connected"' not in trace.read_text():
            if display.poll() is not None or wall.monotonic() > deadline:
                raise RuntimeError("the display did not start")
            wall.sleep(0.1)
        desk: list[tuple[float, float]] = []
        board: list[tuple[float, float]] = []
        steps = int(hours * 3600 / step)
        sample_every = max(1, 900 // step)
        booked = walk_ins = calls = 0
        began = wall.perf_counter()
        for i in range(steps):
            now = start + timedelta(seconds=i * step)
            clock.set(now)
            if i % 3 == 2 and walk_ins < 999:
                walk_ins += walk_in(ctx, "lansia", birth=date(1950, 5, 5)).issued
            elif booked < 999:
                soon = now + timedelta(minutes=75)
                slot = time(soon.hour, soon.minute // 30 * 30)
                booked += 1
                check_in(ctx, booking_code.generate(key, "JKP", DAY, slot, booked).text)
            counter = 1 + i % COUNTERS
            if call_next(ctx, counter).ticket is not None:
                calls += 1
                if calls % 2:
                    try:
                        start_serving(ctx, counter)
                    except CallError:
                        pass
            if i % sample_every == 0 or i == steps - 1:
                hour = i * step / 3600
                desk.append((hour, rss_mb()))
                board.append((hour, rss_mb(display.pid)))
        seconds = wall.perf_counter() - began
    finally:
        display.terminate()
        display.wait(timeout=30)
        ctx.close()
    shown = sum(1 for line in trace.read_text().splitlines()
                if line.startswith("{") and json.loads(line).get("kind") == "shown")
    return {"steps": steps, "tickets": booked + walk_ins, "calls": calls, "shown": shown, "seconds": seconds,
            "desk": summary(desk), "display": summary(board), "samples": len(desk)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=8)
    parser.add_argument("--step", type=int, default=20, help="simulated seconds per step")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when ANTREAN_TEST_PG_URL is set")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        pg = os.environ.get("ANTREAN_TEST_PG_URL")
        url, name = (pg, "PostgreSQL") if pg and not args.sqlite else (f"sqlite:///{tmp}/antrean.db", "SQLite")
        r = run(url, Path(tmp), args.hours, args.step)
    print(f"{name}: {args.hours:g} simulated hours in {r['seconds']:.0f} s, {r['steps']} steps, {r['tickets']} "
          f"tickets, {r['calls']} calls, {r['shown']} shown on the display, {r['samples']} samples")
    print("| process | start MB | end MB | peak MB | trend, 2nd half (MB/simulated h) |")
    print("|---|---|---|---|---|")
    for proc in ("desk", "display"):
        s = r[proc]
        print(f"| {proc} | {s['start']:.1f} | {s['end']:.1f} | {s['peak']:.1f} | {s['trend_mb_per_hour']:+.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
