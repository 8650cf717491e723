"""Screenshots of the web side in headless Chromium: the board at 1920×1080 and a
ticket's status page at 390×844 (a phone).

    python scripts/screenshots_web.py [--out docs/screenshots]

Plays a short morning into a temporary SQLite office (bookings checked in, walk-ins,
four counters calling), serves it with the real web server on a loopback port and
saves ``web-board-1920x1080.png``, ``web-ticket-390x844.png`` and the ticket page once
called, ``web-ticket-called-390x844.png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from kiosk.app import open_context
    from kiosk.config import from_mapping
    from kiosk.core.clock import FixedClock
    from kiosk.services import add_booking, call_next, check_in, finish, walk_in
    from kiosk.services.status import status_url
    from kiosk.web.runner import WebServer

    with tempfile.TemporaryDirectory(prefix="antrean-shots-") as tmp:
        folder = Path(tmp)
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = from_mapping({
            "office": {"code": "JKP", "name": "Kantor Imigrasi Kelas I Khusus Jakarta Pusat"},
            "clock": {"allow_override": True}, "paths": {"data_dir": str(folder / "data")},
            "web": {"public_url": f"http://127.0.0.1:{port}"}}, source=folder / "config.toml")
        day = date(2026, 12, 1)
        clock = FixedClock(datetime.combine(day, dtime(7, 30), tzinfo=config.tz))
        ctx = open_context(config, db_url=f"sqlite:///{folder / 'antrean.db'}", clock=clock,
                           create_keys=True)  # a fresh office, as `init` makes it
        codes = [add_booking(ctx, name="Contoh Pemohon", birth=date(1987, 1, 25), service_date=day,
                             slot=dtime(9 + i // 12, 30 * (i // 6 % 2))).code for i in range(24)]
        clock.set(datetime.combine(day, dtime(8, 0), tzinfo=config.tz))
        for i, code in enumerate(codes[:20]):
            clock.advance(timedelta(minutes=2))
            check_in(ctx, code)
            if i % 5 == 0:
                walk_in(ctx, "disabilitas")
        mine = None
        for i in range(14):
            clock.advance(timedelta(minutes=3))
            call_next(ctx, 1 + i % 4)
            if i % 2:
                finish(ctx, 1 + i % 4)
        for category in ("disabilitas", "ibu_hamil", "disabilitas"):
            clock.advance(timedelta(minutes=1))
            walk_in(ctx, category)
        mine = walk_in(ctx, "ibu_hamil").ticket
        for _ in range(2):
            clock.advance(timedelta(minutes=1))
            call_next(ctx, 2)
        server = WebServer(ctx, "127.0.0.1", port).start()
        server.wait_ready()
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", f"--user-data-dir={folder / 'chromium'}", "--hide-scrollbars"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            metrics = {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            driver.get(f"{server.url}/display")
            driver.execute_script("localStorage.setItem('antrean.sound', 'on')")
            driver.get(f"{server.url}/display")
            _wait(lambda: driver.execute_script("return !!(window.antreanBoard && antreanBoard.board)"))
            time.sleep(1.2)  # let the fresh-call blink settle on a lit frame
            driver.save_screenshot(str(args.out / "web-board-1920x1080.png"))
            phone = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
            driver.get(status_url(ctx, mine.service_day, mine.label))
            _wait(lambda: "orang di depan Anda" in driver.find_element("id", "state").text)
            driver.save_screenshot(str(args.out / "web-ticket-390x844.png"))
            for _ in range(40):
                if "loket" in driver.find_element("id", "state").text:
                    break
                clock.advance(timedelta(minutes=4))
                call_next(ctx, 1)
                time.sleep(0.5)
            time.sleep(1.0)
            driver.save_screenshot(str(args.out / "web-ticket-called-390x844.png"))
        finally:
            driver.quit()
            server.stop()
            ctx.close()
    print(f"saved to {args.out}")
    return 0


def _wait(condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
