"""The scripts that make the pictures in docs/ still run: README and docs say how each
picture was made, so a script broken by a later change is a broken promise. (The report
and demo scripts, which play whole days or the four-window demo, are left to their own
runs: about a minute each.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPTS = {
    "screenshots_desk.py": ({"QT_QPA_PLATFORM": "offscreen"}, (), ["desk-accepted.png", "desk-english.png",
                                                                   "desk-walkin-issued.png", "self-service.png"]),
    "screenshots_settings.py": ({"QT_QPA_PLATFORM": "offscreen"}, (), ["settings-id.png", "settings-en.png"]),
    "screenshots_display.py": ({}, ("Xvfb",), ["display-1920x1080.png", "display-1366x768.png"]),
    "screenshots_web.py": ({}, ("chromium", "chromedriver"), ["web-board-1920x1080.png", "web-ticket-390x844.png"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_the_picture_script_makes_its_pictures(script, tmp_path):
    env_extra, needs, pictures = SCRIPTS[script]
    missing = [b for b in needs if shutil.which(b) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (scripts/_setup.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {**os.environ, **env_extra, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--out", str(tmp_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in pictures:
        picture = tmp_path / name
        assert picture.is_file() and picture.stat().st_size > 10_000, name
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
