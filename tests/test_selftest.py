"""The installation self-test passes on a complete checkout and says what failed otherwise."""

import json
import subprocess
import sys
from pathlib import Path

from kiosk import selftest

ROOT = Path(__file__).resolve().parents[1]


def test_selftest_passes_headless():
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "--json", "selftest"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["ok"], report
    assert [c["name"] for c in report["checks"]] == ["database", "key", "decoders", "ticket", "sound"]


def test_a_missing_sound_fragment_fails_only_that_check(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "RESOURCES", tmp_path)
    checks = {c.name: c for c in selftest.run_selftest()}
    assert not checks["sound"].ok and "chime.wav" in checks["sound"].detail
    assert all(c.ok for name, c in checks.items() if name != "sound")
