"""Printing speed: issue → first byte, bytes per ticket, transfer time per link.

    python benchmarks/printing.py [--tickets 200]

1. A real office on SQLite (WAL, synchronous=FULL) in a temporary folder and the
   printer thread sending to a network printer on 127.0.0.1 (a small sink that
   answers DLE EOT and GS r like an Epson). For each walk-in ticket: the time from
   the committed issue transaction to the first byte handed to the transport.
2. Bytes of a booked ticket per profile, with native (GS ( k) and raster QR.
3. What those bytes cost on each link: serial 8N1 at 9600-115200 baud (10 bits a
   byte) and USB full speed (12 Mbit/s; bulk transfers of 64-byte packets, at most
   19 per 1 ms frame), next to the printing time of the paper itself.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from datetime import datetime, time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping  # noqa: E402
from kiosk.core.ticket_layout import CHAR_HEIGHT, Feed, Qr, Text, TicketContent, layout_ticket  # noqa: E402
from kiosk.devices.printing.printer import EscposPrinter  # noqa: E402
from kiosk.devices.printing.profiles import printer_model  # noqa: E402
from kiosk.devices.printing.render_escpos import render_escpos  # noqa: E402
from kiosk.devices.printing.render_png import render_png  # noqa: E402
from kiosk.devices.printing.spooler import Backoff, PrinterWorker  # noqa: E402
from kiosk.devices.printing.transports import NetworkTransport  # noqa: E402
from kiosk.services import walk_in  # noqa: E402
from kiosk.services.printing import OutboxSource  # noqa: E402
from kiosk.store import PrintJob  # noqa: E402
from sqlalchemy import update  # noqa: E402

BAUDS = (9600, 19200, 38400, 115200)
USB_BYTES_PER_SECOND = 64 * 19 * 1000  # full-speed bulk ceiling
PRINT_SPEED_MM_S = {"TM-T20II": 200, "Sunmi-V2": 70, "POS-5890": 90}  # makers' figures
DOTS_PER_MM = 8  # 203 dpi


class EpsonSink:
    """Accepts connections, answers status requests, discards the job."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        tail = b""
        with conn:
            while chunk := conn.recv(65536):
                data = tail + chunk
                conn.sendall(b"\x12" * data.count(b"\x10\x04") + b"\x00" * data.count(b"\x1dr\x01"))
                tail = data[-2:]

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.listener.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def first_byte_latency(tickets: int) -> dict[str, float]:
    sink = EpsonSink()
    with tempfile.TemporaryDirectory() as tmp:
        config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
                               "priority": {"daily_quota": 999}, "paths": {"data_dir": tmp},
                               "printer": {"transport": "network", "host": "127.0.0.1", "port": sink.port}})
        ctx = open_context(config, db_url=f"sqlite:///{Path(tmp) / 'antrean.db'}", create_keys=True)
        first_byte = threading.Event()
        printed = threading.Event()
        stamps: list[float] = []

        def on_first_byte() -> None:
            stamps.append(time.perf_counter())
            first_byte.set()

        printer = EscposPrinter(NetworkTransport("127.0.0.1", sink.port), printer_model("TM-T20II"),
                                on_first_byte=on_first_byte)
        worker = PrinterWorker(printer, OutboxSource(ctx), backoff=Backoff(0.05, 2, 0.5), poll_seconds=1.0,
                               on_printed=lambda *_: printed.set())
        worker.start()
        after_commit, with_issue = [], []
        try:
            for _ in range(tickets):
                first_byte.clear()
                printed.clear()
                t_call = time.perf_counter()
                walk_in(ctx, "disabilitas", actor="bench")
                t_committed = time.perf_counter()
                worker.wake()  # what the desk window does after a ticket is issued
                if not first_byte.wait(10) or not printed.wait(10):
                    raise RuntimeError("the printer thread did not print")
                after_commit.append((stamps[-1] - t_committed) * 1000)
                with_issue.append((stamps[-1] - t_call) * 1000)
        finally:
            worker.stop()
            ctx.close()
            sink.close()
    return {"p50": percentile(after_commit, 50), "p99": percentile(after_commit, 99),
            "max": max(after_commit), "issue_p50": percentile(with_issue, 50),
            "issue_p99": percentile(with_issue, 99)}


def stage_times(tickets: int) -> dict[str, tuple[float, float]]:
    """The same path without the thread, stage by stage: (p50, p99) in ms."""
    sink = EpsonSink()
    names = ["read next job", "connect + status", "mark printing (commit) + layout", "render + first write",
             "baseline: one UPDATE committed (fsync)"]
    times: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
                               "priority": {"daily_quota": 999}, "paths": {"data_dir": tmp}})
        ctx = open_context(config, db_url=f"sqlite:///{Path(tmp) / 'antrean.db'}", create_keys=True)
        source = OutboxSource(ctx)
        first: list[float] = []
        printer = EscposPrinter(NetworkTransport("127.0.0.1", sink.port), printer_model("TM-T20II"),
                                on_first_byte=lambda: first.append(time.perf_counter()))
        try:
            for _ in range(tickets):
                walk_in(ctx, "disabilitas", actor="bench")
                t0 = time.perf_counter()
                job = source.next_pending()
                assert job is not None
                t1 = time.perf_counter()
                with printer.session() as session:
                    t2 = time.perf_counter()
                    layout = source.start(job.job_id, printer.paper)
                    t3 = time.perf_counter()
                    session.send(layout, job.name)
                source.printed(job.job_id)
                t4 = time.perf_counter()
                with ctx.db.write() as s:
                    s.execute(update(PrintJob).where(PrintJob.id == job.job_id).values(attempts=PrintJob.attempts + 1))
                t5 = time.perf_counter()
                for name, value in zip(names, (t1 - t0, t2 - t1, t3 - t2, first[-1] - t3, t5 - t4)):
                    times[name].append(value * 1000)
        finally:
            ctx.close()
            sink.close()
    return {n: (percentile(v, 50), percentile(v, 99)) for n, v in times.items()}


def sample_ticket() -> TicketContent:
    tz = ZoneInfo("Asia/Jakarta")
    return TicketContent(office_name="Kantor Imigrasi Kelas I Khusus TPI Jakarta Pusat", label="A042",
                         service_name="Paspor (booking online)", reference="AP1-JKP-261127-0930-042-K7Q3M9X2",
                         printed_at=datetime(2026, 11, 27, 8, 12, tzinfo=tz), waiting_ahead=12,
                         scheduled=dtime(9, 30), checked_in=datetime(2026, 11, 27, 8, 12, tzinfo=tz))


def paper_mm(layout) -> float:  # type: ignore[no-untyped-def]
    dots = 0
    for block in layout.blocks:
        if isinstance(block, Text):
            dots += CHAR_HEIGHT * block.scale + 6  # line spacing 30 dots by default
        elif isinstance(block, Feed):
            dots += 30 * block.lines
        elif isinstance(block, Qr):
            dots += (29 + 4) * block.module_dots
    return dots / DOTS_PER_MM


def sizes() -> list[dict[str, object]]:
    rows = []
    for profile in ("TM-T20II", "Sunmi-V2", "POS-5890"):
        for native in ("yes", "no"):
            model = printer_model(profile, native_qr=native)
            layout = layout_ticket(sample_ticket(), model.paper)
            t0 = time.perf_counter()
            for _ in range(20):
                data = render_escpos(layout, model)
            render_ms = (time.perf_counter() - t0) / 20 * 1000
            rows.append({"profile": profile, "paper": model.paper_mm, "qr": "native" if native == "yes" else "raster",
                         "bytes": len(data), "render_ms": render_ms,
                         "print_s": paper_mm(layout) / PRINT_SPEED_MM_S[profile], "paper_mm": paper_mm(layout)})
    t0 = time.perf_counter()
    for _ in range(10):
        render_png(layout_ticket(sample_ticket(), printer_model("TM-T20II").paper))
    rows.append({"png_ms": (time.perf_counter() - t0) / 10 * 1000})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args()
    latency = first_byte_latency(args.tickets)
    print(f"## issue → first byte ({args.tickets} walk-in tickets, SQLite, network printer on 127.0.0.1)")
    print(f"after the commit: p50 {latency['p50']:.1f} ms, p99 {latency['p99']:.1f} ms, "
          f"max {latency['max']:.1f} ms")
    print(f"including the issue transaction: p50 {latency['issue_p50']:.1f} ms, p99 {latency['issue_p99']:.1f} ms")
    print("\nstages (same path, no thread), p50 / p99:")
    for name, (p50, p99) in stage_times(min(args.tickets, 200)).items():
        print(f"  {name}: {p50:.1f} / {p99:.1f} ms")
    rows = sizes()
    png = rows.pop()
    print("\n## bytes per ticket and transfer time (booked ticket, long office name)")
    header = "| profile | paper | QR | bytes | render ms | " + " | ".join(f"{b} baud" for b in BAUDS) + \
             " | USB FS | paper mm | printing s |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rows:
        serial = " | ".join(f"{int(r['bytes']) * 10 / b:.2f} s" for b in BAUDS)  # type: ignore[call-overload]
        usb = int(r["bytes"]) / USB_BYTES_PER_SECOND * 1000  # type: ignore[call-overload]
        print(f"| {r['profile']} | {r['paper']} mm | {r['qr']} | {r['bytes']} | {r['render_ms']:.1f} | {serial} | "
              f"{usb:.1f} ms | {r['paper_mm']:.0f} | {r['print_s']:.1f} |")
    print(f"\nPNG preview render (80 mm): {png['png_ms']:.1f} ms")


if __name__ == "__main__":
    main()
