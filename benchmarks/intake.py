"""Booking intake throughput: WhatsApp messages handled per second, SQLite and PostgreSQL.

    python benchmarks/intake.py [--messages 1000] [--pg URL]

Each run uses a fresh database. "flood" is 1,000 different senders asking for the same
day (150 booked, the rest told the next free date); "with image" also writes the reply
PNG of every booking. PostgreSQL runs only with --pg (or ANTREAN_TEST_PG_URL) pointing
at a server where a scratch database may be created; "2 processes" splits the flood.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app import open_context  # noqa: E402
from kiosk.booking.intake import handle_message  # noqa: E402
from kiosk.config import from_mapping  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from tests.booking.flood_worker import message  # noqa: E402

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def config(data_dir: Path):
    return from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
                         "clock": {"allow_override": True}, "paths": {"data_dir": str(data_dir)}},
                        source=data_dir / "config.toml")


def pg_database(admin_url: str) -> tuple[str, callable]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = "bench_" + uuid.uuid4().hex[:10]
    plain = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return admin.set(database=name).render_as_string(hide_password=False), drop


def run_in_process(url: str, data_dir: Path, n: int, *, image: bool) -> float:
    ctx = open_context(config(data_dir), db_url=url, clock=FixedClock(NOW))
    try:
        start = time.perf_counter()
        for i in range(n):
            handle_message(ctx, message(i, "02122026"), render_image=image)
        return n / (time.perf_counter() - start)
    finally:
        ctx.close()


def run_two_processes(url: str, data_dir: Path, n: int) -> float:
    open_context(config(data_dir), db_url=url, clock=FixedClock(NOW), create_keys=True).close()  # migrate, make keys
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-m", "tests.booking.flood_worker", url, str(data_dir),
                                 NOW.isoformat(), str(first), str(n // 2)], cwd=ROOT, env=env)
               for first in (0, n // 2)]
    if any(w.wait() for w in workers):
        raise SystemExit("a worker failed")
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("ANTREAN_TEST_PG_URL"), help="PostgreSQL admin URL")
    args = parser.parse_args()
    n = args.messages
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, {n} messages")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, image in (("flood", False), ("flood, with image", True)):
            d = Path(tmp) / label.replace(" ", "").replace(",", "")
            rows.append(("SQLite", label, run_in_process(f"sqlite:///{d / 'a.db'}", d, n, image=image)))
        if args.pg:
            for label, image in (("flood", False), ("flood, with image", True), ("flood, 2 processes", None)):
                url, drop = pg_database(args.pg)
                d = Path(tmp) / ("pg" + str(len(rows)))
                try:
                    rate = run_two_processes(url, d, n) if image is None else run_in_process(url, d, n, image=image)
                finally:
                    drop()
                rows.append(("PostgreSQL", label, rate))
    print("| database | run | messages/s |\n|---|---|---|")
    for db, label, rate in rows:
        print(f"| {db} | {label} | {rate:.0f} |")


if __name__ == "__main__":
    main()
