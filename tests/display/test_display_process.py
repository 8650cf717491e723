"""Two processes, as in an office: counters call through the command line, the display
(its own process) shows each call once, in order."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.app import open_context
from kiosk.config import replace, to_toml
from kiosk.services import walk_in
from tests.conftest import PROJECT_ROOT, make_config


class DisplayProcess:
    """``python main.py display --trace`` with its JSON lines read on a named thread."""

    def __init__(self, config_path: Path) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "--config", str(config_path), "display", "--trace", "--audio", "fake"],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[dict] = queue.Queue()
        self.reader = threading.Thread(target=self._read, name="display-process-reader", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))

    def wait_for(self, kind: str, timeout: float = 30) -> dict:
        while True:
            item = self.lines.get(timeout=timeout)
            if item["kind"] == kind:
                return item

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


def cli(config_path: Path, *args: str) -> dict:
    result = subprocess.run([sys.executable, "main.py", "--config", str(config_path), "--json", *args],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_calls_made_in_one_process_are_shown_once_in_order_by_the_display_process(tmp_path, db_url):
    # GIVEN an office database with three walk-ins, and the display running in its own process
    config = replace(make_config(tmp_path), database={"url": db_url}, clock={"allow_override": False})
    config_path = tmp_path / "config.toml"
    config_path.write_text(to_toml(config))
    ctx = open_context(config)
    try:
        for _ in range(3):
            walk_in(ctx, "disabilitas")
    finally:
        ctx.close()
    display = DisplayProcess(config_path)
    try:
        display.wait_for("connected")
        # WHEN counters call, recall and call again through the command line
        made = []
        # (three calls: each command is a whole process start, ~4 s on the reference machine)
        for args in (["next", "--counter", "1"], ["next", "--counter", "2"], ["recall", "--counter", "1"]):
            result = cli(config_path, "call", *args)
            made.append((result["ticket"]["number"], result["counter"]))
        # THEN the display shows every call once, in the order they were made
        shown = [display.wait_for("shown") for _ in made]
        assert [(s["number"], s["counter"]) for s in shown] == made
        assert len({s["event"] for s in shown}) == len(made)
        assert [s["recall"] for s in shown] == [False, False, True]
        # AND nothing more arrives (no call shown twice)
        with pytest.raises(queue.Empty):
            display.wait_for("shown", timeout=1.0)
    finally:
        display.stop()
