"""A simulated office day (150 bookings + 30 walk-ins by default) on SQLite and PostgreSQL:
its checks, its KPIs and how long the whole day takes to play.

    ./scripts/bench.sh benchmarks/day.py [--bookings 150 --walkins 30 --seed 1]

SQLite runs with its production settings (WAL, synchronous=FULL) in a temp folder;
PostgreSQL is the durable throwaway server scripts/bench.sh starts, in a fresh database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.simulate import SimulationResult, simulate_day  # noqa: E402


def fresh_pg_database(admin_url: str) -> tuple[str, str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = "day_" + uuid.uuid4().hex[:10]
    plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False), plain


def drop_pg_database(plain_admin: str, url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(plain_admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def row(r: SimulationResult) -> str:
    k = r.kpis
    w, s = k["waiting_minutes"], k["service_minutes"]
    checks = sum(c.ok for c in r.checks)
    return (f"| {r.database} | {r.bookings}+{r.walk_ins} | {k['tickets']} | {w['median']} / {w['p90']} | "
            f"{s['median']} / {s['p90']} | {k['void']} | {k['too_early_attempts']} | {k['no_shows']} | "
            f"{k['last_call']} | {checks}/{len(r.checks)} | {r.seconds:.1f} s |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=150)
    parser.add_argument("--walkins", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"Python {platform.python_version()}")
    results: list[SimulationResult] = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(simulate_day(f"sqlite:///{tmp}/day.db", Path(tmp) / "sqlite", bookings=args.bookings,
                                    walk_ins=args.walkins, seed=args.seed))
        admin = os.environ.get("ANTREAN_TEST_PG_URL")
        if admin:
            url, plain = fresh_pg_database(admin)
            try:
                results.append(simulate_day(url, Path(tmp) / "pg", bookings=args.bookings, walk_ins=args.walkins,
                                            seed=args.seed))
            finally:
                drop_pg_database(plain, url)
        else:
            print("ANTREAN_TEST_PG_URL not set: SQLite only (run through ./scripts/bench.sh for PostgreSQL)")
    for r in results:
        print()
        print(json.dumps(r.to_json(), ensure_ascii=False) if args.json else r.describe())
    print()
    print("| database | bookings+walk-ins | tickets | waiting p50 / p90 min | service p50 / p90 min | void | "
          "too early | no-shows | last call | checks | run time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(row(r))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
