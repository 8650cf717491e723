"""How fast a call reaches the web board in a real browser, and what the web server costs.

    ./scripts/bench.sh benchmarks/web_latency.py [--calls 30] [--clients 1 200]

For each backend (SQLite, polled every web/display.poll_interval; PostgreSQL with
LISTEN/NOTIFY when ANTREAN_TEST_PG_URL or --pg is given) it starts ``main.py web`` in a
process of its own, opens ``/display`` in headless Chromium, and — with N-1 more plain
SSE clients connected to ``/api/events`` (sockets drained by a thread here) — makes calls
with ``call_next`` in this process. Measured, on the machine's wall clock shared by both
processes: from the moment ``call_next`` is invoked (its own transaction included) to the
number in the browser's DOM (a MutationObserver
on the called number records ``performance.timeOrigin + performance.now()``), p50/p95;
the server's CPU (utime+stime over the call phase ÷ its wall time) and resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping, to_toml  # noqa: E402
from kiosk.services import call_next, walk_in  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Drainers:
    """N plain SSE clients on real sockets; a thread reads whatever arrives."""

    def __init__(self, port: int, count: int) -> None:
        self.selector = selectors.DefaultSelector()
        self.socks = []
        self.bytes = 0
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            s.setblocking(False)
            self.selector.register(s, selectors.EVENT_READ)
            self.socks.append(s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="sse-drainers", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for key, _ in self.selector.select(0.2):
                try:
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    self.bytes += len(data)
                except BlockingIOError:
                    pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for s in self.socks:
            s.close()


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tempfile.mkdtemp(prefix='antrean-bench-chromium-')}",
                "--window-size=1920,1080"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


OBSERVER = """
window.__seen = {};
const el = document.getElementById('called-number');
new MutationObserver(() => { const t = el.textContent; if (!(t in window.__seen)) window.__seen[t] = performance.timeOrigin + performance.now(); })
  .observe(el, {childList: true, characterData: true, subtree: true});
"""


def run(db_url: str, label: str, calls: int, clients: int, folder: Path) -> dict:
    port = free_port()
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi (benchmark)"},
                           "paths": {"data_dir": str(folder / "data")},
                           "database": {"url": db_url}, "priority": {"daily_quota": 999},
                           "web": {"port": port}}, source=folder / "config.toml")
    (folder / "config.toml").write_text(to_toml(config), encoding="utf-8")
    ctx = open_context(config)
    for _ in range(calls + 1):
        walk_in(ctx, "disabilitas")
    server = subprocess.Popen([sys.executable, "main.py", "--config", str(folder / "config.toml"), "web"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    driver = drain = None
    try:
        assert "Web board on" in (server.stdout.readline() if server.stdout else ""), "web server did not start"
        drain = Drainers(port, clients - 1) if clients > 1 else None
        driver = browser()
        driver.get(f"http://127.0.0.1:{port}/display")
        deadline = time.monotonic() + 20
        while not driver.execute_script("return !!(window.antreanBoard && antreanBoard.board)"):
            assert time.monotonic() < deadline, "board never loaded"
            time.sleep(0.05)
        driver.execute_script(OBSERVER)
        call_next(ctx, 1)  # warm-up: first statement compilation on both sides
        time.sleep(1.0)
        cpu0, wall0 = cpu_seconds(server.pid), time.monotonic()
        latencies = []
        for i in range(calls):
            committed = time.time() * 1000
            result = call_next(ctx, 1 + i % 4)
            label_text = result.ticket.label
            deadline = time.monotonic() + 10
            while True:
                seen = driver.execute_script("return window.__seen[arguments[0]] || null", label_text)
                if seen:
                    latencies.append(seen - committed)
                    break
                assert time.monotonic() < deadline, f"{label_text} never reached the DOM"
                time.sleep(0.01)
            time.sleep(0.25)  # calls a few per second, as a busy office at most
        cpu = (cpu_seconds(server.pid) - cpu0) / (time.monotonic() - wall0)
        memory = rss_mb(server.pid)
    finally:
        if driver is not None:
            driver.quit()
        if drain is not None:
            drain.close()
        server.terminate()
        server.wait(20)
        ctx.close()
    latencies.sort()
    return {"backend": label, "clients": clients, "calls": calls,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1),
            "max_ms": round(latencies[-1], 1), "server_cpu_pct": round(100 * cpu, 1), "server_rss_mb": round(memory, 1)}


def fresh_pg(admin_url: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = "web_" + uuid.uuid4().hex[:10]
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 200])
    parser.add_argument("--pg", default=os.environ.get("ANTREAN_TEST_PG_URL"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for clients in args.clients:
        with tempfile.TemporaryDirectory(prefix="antrean-web-bench-") as tmp:
            rows.append(run(f"sqlite:///{Path(tmp) / 'antrean.db'}", "SQLite (poll 0.4 s)", args.calls, clients,
                            Path(tmp)))
        if args.pg:
            with tempfile.TemporaryDirectory(prefix="antrean-web-bench-") as tmp:
                rows.append(run(fresh_pg(args.pg), "PostgreSQL (LISTEN/NOTIFY)", args.calls, clients, Path(tmp)))
    if args.json:
        print(json.dumps(rows))
        return 0
    print(f"{platform.node() and 'this machine'}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("| backend | SSE clients | calls | call → DOM p50 / p95 / max ms | server CPU | server RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['backend']} | {r['clients']} | {r['calls']} | {r['p50_ms']} / {r['p95_ms']} / {r['max_ms']} | "
              f"{r['server_cpu_pct']} % | {r['server_rss_mb']} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
