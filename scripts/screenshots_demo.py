"""Screenshots of the whole demo (``main.py demo``) at 1366×768 and 1920×1080, on a
virtual X display with a window manager, as a newcomer sees it after ./scripts/run.sh.

    python scripts/screenshots_demo.py [--out docs/screenshots]

Needs Xvfb, openbox, xdotool and xprop/xwininfo (scripts/_setup.sh installs them).
For each size it starts the demo in a fresh folder, waits until its four windows are
mapped and framed, checks that no two frames overlap and that all are on the screen,
and saves ``demo-<W>x<H>.png`` (the root window, grabbed by Qt). Exits 1 if the
windows overlap.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.x11 import XDisplay, demo_frames, overlaps, wait_for  # noqa: E402

SIZES = [(1366, 768), (1920, 1080)]
GRAB = ("from PySide6.QtGui import QGuiApplication; import sys; app = QGuiApplication(['grab']); "
        "app.primaryScreen().grabWindow(0).save(sys.argv[1])")


def shoot(width: int, height: int, out: Path) -> tuple[Path, list[tuple[str, tuple[int, int, int, int]]]]:
    display = XDisplay(width, height)
    folder = Path(tempfile.mkdtemp(prefix="antrean-demo-shot-"))
    env = {**display.env, "QT_QPA_PLATFORM": "xcb"}
    demo = subprocess.Popen([sys.executable, "main.py", "demo", "--folder", str(folder / "demo")], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        frames = wait_for(lambda: _settled(display), 60, "the demo's four windows to be framed and laid out",
                          poll=0.3)
        path = out / f"demo-{width}x{height}.png"
        subprocess.run([sys.executable, "-c", GRAB, str(path)], env={**env}, check=True, timeout=60)
        return path, frames
    finally:
        demo.terminate()
        demo.wait(timeout=30)
        display.stop()


_last: dict[str, object] = {}


def _settled(display: XDisplay) -> list[tuple[str, tuple[int, int, int, int]]] | None:
    """The four frames once they stopped moving between two looks."""
    frames = demo_frames(display)
    if len(frames) < 4:
        return None
    previous, _last["frames"] = _last.get("frames"), frames
    return frames if frames == previous else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for width, height in SIZES:
        _last.clear()
        path, frames = shoot(width, height, args.out)
        bad = overlaps(frames, width, height)
        print(f"{path}: " + ", ".join(f"{name} {w}x{h}+{x}+{y}" for name, (x, y, w, h) in frames))
        if bad:
            print(f"  overlapping or off screen: {bad}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
