"""The demo as ./scripts/run.sh starts it, on a real X display with a window manager:
its four windows side by side, none covering another, all on the screen, at the two
screen sizes offices have."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.x11 import PROJECT_ROOT, XDisplay, demo_frames, missing_binaries, overlaps, wait_for

pytestmark = pytest.mark.skipif(bool(missing_binaries()),
                                reason=f"needs {', '.join(missing_binaries())} (scripts/_setup.sh installs them)")


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_demo_windows_do_not_cover_each_other(tmp_path: Path, width: int, height: int) -> None:
    display = XDisplay(width, height)
    demo = subprocess.Popen([sys.executable, "main.py", "demo", "--folder", str(tmp_path / "demo")],
                            cwd=PROJECT_ROOT, env={**display.env, "QT_QPA_PLATFORM": "xcb"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seen: list[object] = []

        def settled() -> object:
            frames = demo_frames(display)
            same = len(frames) == 4 and seen and seen[-1] == frames
            seen.append(frames)
            return frames if same else None

        # GIVEN the demo started on a screen of this size
        # WHEN its windows are shown, framed and laid out (their frames stop moving)
        frames = wait_for(settled, 60, "the demo's four windows", poll=0.3)
        # THEN the desk, the phone, the counter and the display are all there, side by side
        titles = " | ".join(name for name, _ in frames)
        for part in ("Meja depan", "Ponsel demo", "Loket 1", "Layar Antrean"):
            assert part in titles
        assert overlaps(frames, width, height) == []
    finally:
        demo.terminate()
        demo.wait(timeout=30)
        display.stop()
