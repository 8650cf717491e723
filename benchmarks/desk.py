#!/usr/bin/env python3
"""Desk speed: code seen → verdict on screen and → print job queued; the longest stall
of the GUI event loop meanwhile; start-up time to the desk window shown.

    QT_QPA_PLATFORM=offscreen python benchmarks/desk.py [--scans 60] [--startups 5]

The camera worker plays a 30 fps video file (640x480 MJPG): per booking, 10 empty frames
then 20 frames of a phone showing its QR code. Every scan is a fresh booking inside its
arrival window, so every one issues a ticket and queues a print job (the heaviest
verdict), which the printer thread (the preview printer: a PNG per ticket) prints
meanwhile. Times run from the moment the first frame holding a code is read from the
file to the verdict on screen and to the print job committed. A 5 ms heartbeat timer on the GUI thread records the
longest gap between its ticks (the stall). Start-up runs ``python main.py desk`` as a
new process until the window reports it is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import services  # noqa: E402
from kiosk.app import open_context  # noqa: E402
from kiosk.config import from_mapping, to_toml  # noqa: E402
from kiosk.core.clock import FixedClock  # noqa: E402
from kiosk.services.bookings import add_booking  # noqa: E402
from kiosk.services.supervisor import with_new_office_pin  # noqa: E402
from kiosk.ui import desk_window  # noqa: E402
from kiosk.ui.desk_window import DeskWindow  # noqa: E402
from kiosk.ui.launch import build_devices  # noqa: E402
from kiosk.ui.sounds import Sounds  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between ticks is the stall."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.clock = QElapsedTimer()
        self.longest = 0.0
        self._last = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        gap = (now - self._last) / 1e6 - 5.0
        if gap > 30:
            print(f"stall {gap:.0f} ms at {now / 1e6:.0f} ms", file=sys.stderr)

        self.longest = max(self.longest, gap)
        self._last = now

    def stop(self) -> None:
        self.timer.stop()


def office(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = from_mapping({"office": {"code": "JKP", "name": "Kantor Imigrasi Jakarta Pusat"},
                           "clock": {"allow_override": True}, "paths": {"data_dir": str(folder / "data")}},
                          source=folder / "config.toml")
    config = with_new_office_pin(config, "123456")
    (folder / "config.toml").write_text(to_toml(config), encoding="utf-8")
    return folder / "config.toml"


class TimedCapture:
    """Wraps the video capture: notes when the first frame holding each code is read."""

    def __init__(self, capture: object, starts: dict[int, str], seen: dict[str, float]) -> None:
        self.capture, self.starts, self.seen, self.index = capture, starts, seen, 0

    def read(self):  # type: ignore[no-untyped-def]
        ok, frame = self.capture.read()  # type: ignore[attr-defined]
        if ok:
            code = self.starts.get(self.index)
            if code is not None:
                self.seen.setdefault(code, time.perf_counter())
            self.index += 1
        return ok, frame

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.capture, name)


def write_video(path: Path, codes: list[str], blank: int, holding: int) -> dict[int, str]:
    """30 fps MJPG: per code ``blank`` empty frames, then ``holding`` frames of a phone
    showing its QR; returns the index of the first frame of each code."""
    import cv2
    import numpy as np

    from kiosk.devices.synthetic import Shot, phone_frame

    shot = Shot(width=640, height=480, code_px=220, angle=4.0, noise=2.0, seed=1)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (shot.width, shot.height))
    empty = np.full((shot.height, shot.width, 3), 90, np.uint8)
    starts, index = {}, 0
    for code in codes:
        for _ in range(blank):
            writer.write(empty)
        index += blank
        starts[index] = code
        frame = phone_frame(code, shot)
        for _ in range(holding):
            writer.write(frame)
        index += holding
    writer.release()
    return starts


def scans(count: int, folder: Path) -> dict[str, float]:
    from kiosk.devices.camera import CameraSource, CameraWorker, open_capture
    from kiosk.devices.scanning import pipeline_from_config

    app = QApplication.instance() or QApplication(["bench"])
    config_path = office(folder)
    from kiosk.config import load_config

    clock = FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=WIB))
    ctx = open_context(load_config(config_path), clock=clock)
    codes = []
    for i in range(count):  # slots 09:30-09:55: inside their arrival window at 08:00
        slot = (datetime(2026, 12, 1, 9, 30) + timedelta(minutes=(i % 6) * 5)).time()
        codes.append(add_booking(ctx, name="Budi Santoso", birth=date(1987, 1, 25), service_date=date(2026, 12, 1),
                                 slot=slot).code)
    starts = write_video(folder / "phone.avi", codes, blank=10, holding=20)
    queued: dict[str, float] = {}
    real_check_in = services.check_in

    def timed_check_in(c, text, **kw):  # type: ignore[no-untyped-def]
        result = real_check_in(c, text, **kw)
        queued[text] = time.perf_counter()  # committed: ticket and print job are in the outbox
        return result

    desk_window.check_in = timed_check_in  # the window's own reference
    devices = build_devices(ctx, camera=False)  # the printer thread prints meanwhile
    seen: dict[str, float] = {}
    devices.camera = CameraWorker(
        CameraSource.parse(str(folder / "phone.avi")), pipeline_from_config(ctx.config), fps=30,
        on_code=devices.on_decoded, on_preview=devices.on_preview, on_status=devices.on_camera_status,
        opener=lambda src: TimedCapture(open_capture(src, 640, 480, 30), starts, seen))
    shown: dict[str, float] = {}
    printed: dict[str, float] = {}
    heartbeat = Heartbeat()
    desk = DeskWindow(ctx, devices=devices, sounds=Sounds(False))
    desk.resize(1366, 768)
    desk.show()
    while desk.runner.pending:  # shown, warmed up, printer built; the first code is 10 frames away
        app.processEvents()
    heartbeat.start()
    desk.verdict_shown.connect(lambda r: shown.setdefault(r.ticket.booking_code, time.perf_counter()))
    desk.devices.printed.connect(lambda _job, name: printed.setdefault(name, time.perf_counter()))
    deadline = time.perf_counter() + count * 1.0 + 60
    while (len(shown) < count or len(printed) < count) and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    heartbeat.stop()
    desk.shutdown()
    desk_window.check_in = real_check_in
    ctx.close()
    verdict = [(shown[c] - seen[c]) * 1000 for c in codes if c in shown and c in seen]
    job = [(queued[c] - seen[c]) * 1000 for c in codes if c in queued and c in seen]
    return {"scans": count, "verdicts": len(verdict),
            "verdict_median_ms": statistics.median(verdict), "verdict_p95_ms": percentile(verdict, 95),
            "job_median_ms": statistics.median(job), "job_p95_ms": percentile(job, 95),
            "printed": len(printed), "longest_stall_ms": heartbeat.longest,
            "decoded_frames": devices.camera.stats.decoded, "captured_frames": devices.camera.stats.captured}


def startups(runs: int, folder: Path) -> dict[str, float]:
    config_path = office(folder)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--config", str(config_path), "desk",
                    "--quit-after-shown"], env=env, capture_output=True, check=True, cwd=ROOT)  # migrate once
    import resource

    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--config", str(config_path), "desk",
                                 "--quit-after-shown"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True, cwd=ROOT)
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("shown"):
                times.append((time.perf_counter() - started) * 1000)
                break
        proc.wait(30)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time does not grow when other work shares the machine; wall time does.
        cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
    return {"startups": runs, "startup_median_ms": statistics.median(times), "startup_max_ms": max(times),
            "startup_cpu_median_ms": statistics.median(cpu)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--startups", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        result = scans(args.scans, Path(tmp) / "scan")
        result |= startups(args.startups, Path(tmp) / "start")
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in result.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
