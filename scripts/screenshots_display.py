"""Screenshots of the waiting-room display at 1920×1080 and 1366×768 under Xvfb.

    python scripts/screenshots_display.py [--out docs/screenshots]

Starts one virtual X server per size (``Xvfb`` must be installed), shows the real
window full screen with a sample board (a fresh call highlighted, recent calls,
counters, waiting counts) and saves ``display-<W>x<H>.png``. With ``--no-xvfb`` it
uses the current ``QT_QPA_PLATFORM`` (e.g. offscreen) instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = [(1920, 1080), (1366, 768)]


def sample_board():
    from display.model import BoardSnapshot, CallEvent

    now = datetime(2026, 11, 27, 2, 41, tzinfo=timezone.utc)
    calls = [("A", 12, 3), ("B", 4, 1), ("A", 11, 2), ("A", 10, 4), ("B", 3, 1), ("A", 9, 3), ("A", 8, 2)]
    events = tuple(CallEvent(100 - i, s, n, c, now - timedelta(minutes=2 * i)) for i, (s, n, c) in enumerate(calls))
    return now, BoardSnapshot(100, events, (), {1: "B004", 2: "A011", 3: "A012", 4: "A010"}, {"A": 23, "B": 5})


def shoot(width: int, height: int, out: Path) -> Path:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from display.window import DisplayWindow
    from kiosk.config import Config, from_mapping

    app = QApplication.instance() or QApplication([])
    now, board = sample_board()
    config = from_mapping({"office": {"name": "Kantor Imigrasi Kelas I Jakarta Pusat"}})
    assert isinstance(config, Config)
    window = DisplayWindow(config, lambda: now)
    window.show_board(board)
    window.highlight(board.recent_calls[0])
    screen = QGuiApplication.primaryScreen()
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or screen.size().width() != width:
        window.setGeometry(0, 0, width, height)
        window.show()
    else:
        window.place_on(screen)
    for _ in range(20):
        app.processEvents()
    path = out / f"display-{width}x{height}.png"
    window.grab().save(str(path))
    window.shutdown()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", help="one size WxH (used internally, one per Xvfb)")
    parser.add_argument("--no-xvfb", action="store_true", help="use the current Qt platform")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.size:
        width, height = (int(v) for v in args.size.split("x"))
        print(shoot(width, height, args.out))
        return 0
    for width, height in SIZES:
        if args.no_xvfb:
            print(shoot(width, height, args.out))
            continue
        if shutil.which("xvfb-run") is None:
            print("xvfb-run not found: install xvfb, or pass --no-xvfb", file=sys.stderr)
            return 2
        env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
        subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24", sys.executable, __file__,
                        "--size", f"{width}x{height}", "--out", str(args.out)], check=True, env=env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
