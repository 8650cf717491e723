"""How fast a call reaches the waiting-room display, in separate processes.

    python benchmarks/display_latency.py [--calls 50] [--sounds 5] [--pg URL]

For each backend (SQLite with polling; PostgreSQL with LISTEN/NOTIFY push when --pg or
ANTREAN_TEST_PG_URL is given) it starts ``main.py display --trace`` in its own process,
makes calls with ``call_next`` in this process and measures, on the shared monotonic
clock, from the call's commit to the display showing it (p50/p95), and from commit to
the first sound of its announcement (the clip handed to the audio output) for calls
made while the announcer is idle. ``--audio auto`` uses the real audio device (e.g. a
PulseAudio null sink); the default ``fake`` stands in with the same timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping, to_toml  # noqa: E402
from kiosk.services import call_next, walk_in  # noqa: E402


class Display:
    def __init__(self, config_path: Path, audio: str) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "main.py", "--config", str(config_path), "display",
                                      "--trace", "--audio", audio], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, name="display-reader", daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))

    def wait_for(self, kind: str, event: int | None = None, timeout: float = 30) -> dict:
        while True:
            item = self.lines.get(timeout=timeout)
            if item["kind"] == kind and (event is None or item.get("event") == event):
                return item

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def last_event_id(ctx) -> int:
    from sqlalchemy import func, select

    from kiosk.store import TicketEvent

    with ctx.db.read() as session:
        return session.scalar(select(func.max(TicketEvent.id)))


def _admin(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def fresh_database(server_url: str) -> str:
    """A new empty database on the server, so the benchmark never touches real data."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"antrean_bench_{os.getpid()}"
    with psycopg.connect(_admin(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    with psycopg.connect(_admin(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(name: str, url: str, calls: int, sounds: int, audio: str, folder: Path) -> dict:
    config = from_mapping({"office": {"code": "JKP", "name": "Benchmark"},
                           "paths": {"data_dir": str(folder / "data")},
                           "database": {"url": url},
                           "priority": {"daily_quota": 999},
                           "queue": {"counters": {str(n): ["B", "A"] for n in range(1, 9)}}},
                          source=folder / "config.toml")
    (folder / "config.toml").write_text(to_toml(config))
    ctx = open_context(config, create_keys=True)
    for _ in range(calls + sounds):
        walk_in(ctx, "disabilitas")
    display = Display(folder / "config.toml", audio)
    display.wait_for("connected")
    shown, first_sound = [], []
    try:
        # First sound: calls made while the announcer is idle (each waits for the previous to end).
        for i in range(sounds):
            call_next(ctx, 1 + i % 8)
            committed = time.monotonic()
            event = last_event_id(ctx)
            item = display.wait_for("sound", event, timeout=60)
            first_sound.append((item["t"] - committed) * 1000)
            display.wait_for("sound_end", event, timeout=60)
        # Shown: one call at a time, at random moments (announcements queue up meanwhile).
        for i in range(calls):
            time.sleep(random.uniform(0.05, 0.6))  # calls land at any phase of the poll cycle
            call_next(ctx, 1 + i % 8)
            committed = time.monotonic()
            item = display.wait_for("shown", last_event_id(ctx))
            shown.append((item["t"] - committed) * 1000)
    finally:
        display.stop()
        ctx.close()
    return {"backend": name, "calls": calls, "shown_p50_ms": round(pct(shown, 0.5), 1),
            "shown_p95_ms": round(pct(shown, 0.95), 1), "shown_max_ms": round(max(shown), 1),
            "first_sound_p50_ms": round(pct(first_sound, 0.5), 1) if first_sound else None,
            "first_sound_max_ms": round(max(first_sound), 1) if first_sound else None, "audio": audio}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--sounds", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("ANTREAN_TEST_PG_URL", ""),
                        help="PostgreSQL URL (an empty database is best; tables are created)")
    parser.add_argument("--audio", choices=["fake", "auto"], default="fake")
    args = parser.parse_args(argv)
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sqlite"
        folder.mkdir()
        results.append(run("SQLite (poll 0.4 s)", f"sqlite:///{folder / 'antrean.db'}", args.calls, args.sounds,
                           args.audio, folder))
        if args.pg:
            folder = Path(tmp) / "pg"
            folder.mkdir()
            url = fresh_database(args.pg)
            try:
                results.append(run("PostgreSQL (LISTEN/NOTIFY)", url, args.calls, args.sounds, args.audio, folder))
            finally:
                drop_database(args.pg, url)
    for r in results:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
