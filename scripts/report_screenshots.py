"""Pictures of the daily report for docs/screenshots, from simulated days.

    .venv/bin/python scripts/report_screenshots.py

Plays three office days with ``python main.py simulate`` (two Tuesdays a week apart and
the Thursday between, so the week table and its trend have something to say) into a
throwaway SQLite database, then asks ``python main.py report`` for 1 December 2026 at
16:00 in Bahasa Indonesia and in English, as HTML and PDF. The PDF pages are pictured
with pdftoppm (poppler-utils) and the Laporan tab is grabbed offscreen.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time as wallclock
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
DAY = date(2026, 12, 1)
NOW = "2026-12-01T16:00:00+07:00"  # the head of office looks at the day at 16:00
# (day, seed, bookings, walk-ins): a quieter Tuesday last week, a Thursday, then the day itself.
DAYS = [("2026-11-24", 3, 118, 22), ("2026-11-26", 2, 132, 26), ("2026-12-01", 1, 150, 30)]
CONFIG = """[office]
code = "JKP"
name = "Kantor Imigrasi Jakarta Pusat (simulasi)"

[clock]
allow_override = true

[paths]
data_dir = "{data}"
"""


def cli(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "main.py"), *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def grab_tab(config_path: Path, db_url: str, language: str, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import open_context
    from kiosk.config import load_config
    from kiosk.core.clock import FixedClock
    from kiosk.i18n import set_language
    from kiosk.ui.report_tab import ReportTab
    from kiosk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    set_language(language)
    ctx = open_context(load_config(config_path), db_url=db_url, clock=FixedClock(datetime.fromisoformat(NOW)))
    runner = TaskRunner("report-screenshot")
    tab = ReportTab(ctx, runner)
    try:
        tab.resize(1000, 900)
        tab.show()
        tab.refresh()
        deadline = wallclock.monotonic() + 60
        while tab.report is None and wallclock.monotonic() < deadline:
            app.processEvents()
            wallclock.sleep(0.02)  # a script waiting for a worker thread, not a test
        if tab.report is None:
            raise SystemExit("the Laporan tab showed no report within a minute")
        app.processEvents()
        tab.grab().save(str(out))
    finally:
        runner.close()
        tab.close()
        ctx.close()
        set_language("id")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="antrean-report-") as tmp:
        folder = Path(tmp)
        db_url = f"sqlite:///{folder / 'week.db'}"
        for day, seed, bookings, walk_ins in DAYS:
            cli("simulate", "--db", db_url, "--date", day, "--seed", str(seed), "--bookings", str(bookings),
                "--walkins", str(walk_ins))
        config = folder / "config.toml"
        config.write_text(CONFIG.format(data=(folder / "data").as_posix()), encoding="utf-8")
        cli("--config", str(config), "keys", "rotate")  # the office's key file, as `init` makes it
        os.environ["ANTREAN_NOW"] = NOW
        for language in ("id", "en"):
            stem = OUT / f"report-{language}"
            for fmt in ("html", "pdf"):
                cli("--config", str(config), "--db", db_url, "--lang", language, "report", "--date",
                    DAY.isoformat(), "--format", fmt, "--out", f"{stem}.{fmt}")
            for old in OUT.glob(f"report-{language}-page-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", "80", "-png", f"{stem}.pdf", f"{stem}-page"], check=True)
            grab_tab(config, db_url, language, OUT / f"report-tab-{language}.png")
    for path in sorted(OUT.glob("report-*")):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
