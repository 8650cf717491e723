"""Crash safety: a desk process (check-in, call-next and the printer thread) killed with
SIGKILL at random moments, checked after every restart.

    ./scripts/bench.sh benchmarks/crash_loop.py [--kills 200 --seed 1]

SQLite in a temp folder with its production settings (WAL, synchronous=FULL). With
--postgres, also on the throwaway PostgreSQL scripts/bench.sh starts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.simulate.crash import crash_loop  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="also on ANTREAN_TEST_PG_URL (a fresh database)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.json:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
              f"Python {platform.python_version()}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        targets: list[tuple[str, str | None]] = [("sqlite", None)]
        if args.postgres:
            from benchmarks.day import drop_pg_database, fresh_pg_database

            url, plain = fresh_pg_database(os.environ["ANTREAN_TEST_PG_URL"])
            targets.append(("postgresql", url))
        try:
            for name, url in targets:
                result = crash_loop(Path(tmp) / name, args.kills, seed=args.seed, db_url=url)
                ok &= result.ok
                data = result.to_json()
                if args.json:
                    print(json.dumps(data))
                else:
                    print(f"{name}: kills {result.kills}, restarts {result.restarts}, committed tickets "
                          f"{result.tickets}, calls {result.calls}, printed before a kill "
                          f"{result.printed_before_kill}, jobs interrupted mid-print {result.interrupted_jobs}, "
                          f"{result.seconds:.0f} s, problems: {len(result.problems)}")
                    for problem in result.problems[:20]:
                        print("  ", problem)
        finally:
            if args.postgres:
                drop_pg_database(plain, url)  # type: ignore[arg-type]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
