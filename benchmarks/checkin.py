"""Check-in and call-next latency through the real services, on SQLite and PostgreSQL.

    ./scripts/bench.sh benchmarks/checkin.py [--n 400]

Each measured call is one whole transaction as the desk makes it (verify the code,
judge the window, write ticket + event + print job, commit). SQLite runs with its
production settings (WAL, synchronous=FULL) in a temp folder; PostgreSQL is the durable
throwaway server scripts/bench.sh starts.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping  # noqa: E402
from kiosk.core import booking_code  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from kiosk.services import call_next, check_in  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def run(url: str, folder: Path, n: int) -> dict[str, float]:
    config = from_mapping({"office": {"code": "JKP"}, "paths": {"data_dir": str(folder)},
                           "queue": {"counters": {str(i): ["A"] for i in range(1, 5)}}})
    clock_ = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    ctx = open_context(config, db_url=url, clock=clock_, create_keys=True)
    key = ctx.keyring.signing_key
    codes = [booking_code.generate(key, "JKP", date(2026, 12, 1), time(10, 0) if i < 999 else time(10, 30), i).text
             for i in range(1, n + 1)]
    checkin_ms, call_ms = [], []
    for code in codes:
        start = clock.perf_counter()
        result = check_in(ctx, code)
        checkin_ms.append((clock.perf_counter() - start) * 1000)
        assert result.issued, result
    for i in range(n):
        start = clock.perf_counter()
        call_next(ctx, 1 + i % 4)
        call_ms.append((clock.perf_counter() - start) * 1000)
        clock_.advance(timedelta(seconds=1))
    ctx.close()
    return {"checkin_p50": statistics.median(checkin_ms), "checkin_p99": percentile(checkin_ms, 0.99),
            "call_p50": statistics.median(call_ms), "call_p99": percentile(call_ms, 0.99)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/bench.db")]
        if os.environ.get("ANTREAN_TEST_PG_URL"):
            targets.append(("PostgreSQL", os.environ["ANTREAN_TEST_PG_URL"]))
        print(f"| database | n | check-in p50 ms | check-in p99 ms | call-next p50 ms | call-next p99 ms |")
        print("|---|---|---|---|---|---|")
        for name, url in targets:
            r = run(url, Path(tmp) / name, args.n)
            print(f"| {name} | {args.n} | {r['checkin_p50']:.1f} | {r['checkin_p99']:.1f} | {r['call_p50']:.1f} | "
                  f"{r['call_p99']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
