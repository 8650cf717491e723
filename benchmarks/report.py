"""The daily report of a simulated day: how long the figures, the charts and each file take.

    .venv/bin/python benchmarks/report.py [--repeat 5]

Plays the default simulated day (150 bookings, 30 walk-ins, seed 1) on SQLite in a temp
folder, then times, in this process: ``daily_report`` (the queries and the 7 working
days), the first chart drawing (which imports matplotlib), later drawings (PNG for the
tab, PNG at 200 dpi for the PDF, SVG for the HTML) and the CSV, HTML and PDF files. The
time to import matplotlib alone is measured in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DAY = date(2026, 12, 1)


def timed(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(first, median of the rest) in seconds."""
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("kiosk.devices.printing.spooler").setLevel(logging.ERROR)  # the day's planned faults

    from kiosk.app import open_context
    from kiosk.config import from_mapping
    from kiosk.core.clock import FixedClock
    from kiosk.reports import charts
    from kiosk.reports.daily import daily_report
    from kiosk.reports.render import to_csv, to_html, to_pdf
    from kiosk.simulate import simulate_day

    import_code = "import time; t = time.perf_counter(); import matplotlib.figure, matplotlib.backends.backend_agg; " \
                  "print(time.perf_counter() - t)"
    mpl_import = float(subprocess.run([sys.executable, "-c", import_code], capture_output=True, text=True,
                                      check=True).stdout)
    with tempfile.TemporaryDirectory(prefix="antrean-bench-report-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'day.db'}"
        simulate_day(url, folder / "office")
        config = from_mapping({"paths": {"data_dir": str(folder / "data")}}, source=folder / "config.toml")
        ctx = open_context(config, db_url=url, clock=FixedClock(datetime.fromisoformat("2026-12-01T16:00:00+07:00")))
        try:
            report = daily_report(ctx, DAY)
            rows = [("`daily_report` (figures and 7 working days)", timed(lambda: daily_report(ctx, DAY), args.repeat))]
            rows.append(("charts, PNG 96 dpi (Laporan tab)", timed(lambda: charts.png_charts(report), args.repeat)))
            rows.append(("charts, PNG 200 dpi (PDF)", timed(lambda: charts.png_charts(report, 200), args.repeat)))
            rows.append(("charts, SVG (HTML)", timed(lambda: charts.svg_charts(report), args.repeat)))
            rows.append(("CSV", timed(lambda: to_csv(report), args.repeat)))
            rows.append(("HTML with inline SVG", timed(lambda: to_html(report), args.repeat)))
            rows.append(("PDF (2 pages, A4)", timed(lambda: to_pdf(report, folder / "r.pdf"), args.repeat)))
        finally:
            ctx.close()
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"\nimport matplotlib (fresh interpreter): {mpl_import * 1000:.0f} ms\n")
    print("| step | first in the process | then (median) |\n|---|---|---|")
    for name, (first, then) in rows:
        print(f"| {name} | {first * 1000:.0f} ms | {then * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
