"""A real X display for tests and benchmarks: Xvfb with the openbox window manager
(focus and activation as on a desktop; xprop sees it start), xdotool typing through XTEST as a USB
scanner's key reports arrive, and the desk driven in its own process
(tests/ui/x11_desk.py)."""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("Xvfb", "openbox", "xdotool", "xprop")


def missing_binaries() -> list[str]:
    return [b for b in NEEDED if shutil.which(b) is None]


def wait_for(condition: Callable[[], Any], timeout: float, what: str, poll: float = 0.02) -> Any:
    """Poll ``condition`` until it answers something true, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


class XDisplay:
    """Xvfb of the given size plus openbox; ``env`` has its DISPLAY. Stop with :meth:`stop`."""

    def __init__(self, width: int = 1366, height: int = 768) -> None:
        read_fd, write_fd = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        number = b""
        deadline = time.monotonic() + 20
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_fd, 16) if ready else b""
            if not chunk:
                os.close(read_fd)
                self.xvfb.kill()
                raise RuntimeError("Xvfb did not start (no display number on -displayfd)")
            number += chunk
        os.close(read_fd)
        self.display = f":{number.decode().strip()}"
        self.env = {**os.environ, "DISPLAY": self.display}
        self.env.pop("WAYLAND_DISPLAY", None)
        self.wm_starts = 0
        self.wm_errors: list[str] = []
        self._start_wm()
        # A window manager announces itself on the root window once it manages the screen.
        try:
            wait_for(self._wm_running, 30, "openbox to manage the display")
        except TimeoutError as exc:
            self.stop()
            raise TimeoutError(f"{exc}; openbox said: {' | '.join(self.wm_errors) or 'nothing'}") from None

    def _start_wm(self) -> None:
        self.wm_starts += 1
        self.wm_log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a chatty openbox never blocks
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=self.wm_log)

    def _wm_running(self) -> bool:
        if self.wm.poll() is not None:
            # openbox gave up (seen once under a loaded parallel run): say why, start it again
            self.wm_log.seek(0)
            self.wm_errors.append(f"exit {self.wm.returncode}: {self.wm_log.read().strip()[-300:]}")
            if self.wm_starts < 3:
                self._start_wm()
            return False
        done = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env, capture_output=True,
                              text=True, timeout=10)
        return "window id" in done.stdout

    def xdotool(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def stop(self) -> None:
        for proc in (self.wm, self.xvfb):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class DeskProcess:
    """tests/ui/x11_desk.py on ``display``: commands in, answers and events out."""

    def __init__(self, display: XDisplay, config_path: Path, now: str) -> None:
        env = {**display.env, "ANTREAN_NOW": now, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "xcb"}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.ui.x11_desk", str(config_path)], cwd=PROJECT_ROOT,
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="x11-desk-reader", daemon=True)
        self._reader.start()
        ready = self.answers.get(timeout=60)
        if not ready.get("ready"):
            raise RuntimeError(f"desk did not start: {ready}")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue  # a library's print, not ours
            (self.events if "event" in msg else self.answers).put(msg)
        self.answers.put({"eof": True})

    def ask(self, cmd: str, timeout: float = 30, **kw: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"cmd": cmd, **kw}) + "\n")
        self.proc.stdin.flush()
        answer = self.answers.get(timeout=timeout)
        if answer.get("eof"):
            raise RuntimeError("the desk process ended")
        return answer

    def next_event(self, timeout: float = 15, what: str = "an event") -> dict[str, Any]:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            snapshot = self.ask("snapshot")
            raise AssertionError(f"no answer in {timeout:.0f} s: {what} "
                                 f"(fields now: { {k: v for k, v in snapshot['snapshot'].items() if v} })") from None

    def drain_events(self) -> list[dict[str, Any]]:
        out = []
        while True:
            try:
                out.append(self.events.get_nowait())
            except queue.Empty:
                return out

    def stop(self) -> None:
        try:
            self.ask("quit", timeout=15)
        except Exception:  # noqa: BLE001 - stopping anyway
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)


def focus_and_type(display: XDisplay, desk: DeskProcess, target: str, text: str, delay_ms: int = 8) -> dict[str, Any]:
    """Put the focus on ``target`` for real (window manager included), then type ``text``
    and Enter through XTEST. Answers the widget snapshot taken once the focus was there."""
    wid = desk.ask("focus", target=target)["wid"]
    display.xdotool("windowactivate", "--sync", str(wid), check=False)
    focused = desk.ask("wait_focus", target=target)
    if not focused["focused"]:
        raise AssertionError(f"the window system did not give {target} the focus (it is on {focused['focus']})")
    # One xdotool run for the code and its Enter ("\r" is typed as Return), as one burst.
    display.xdotool("type", "--delay", str(delay_ms), text + "\r")
    return focused["snapshot"]


def demo_frames(display: XDisplay) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Each visible top-level window's title and frame (x, y, w, h), decorations included,
    as the window manager placed it."""
    frames = []
    for wid in display.xdotool("search", "--onlyvisible", "--name", ".", check=False).split():
        info = subprocess.run(["xwininfo", "-id", wid], env=display.env, capture_output=True, text=True).stdout
        fields = dict(line.strip().split(":", 1) for line in info.splitlines() if ":" in line and "  " in line)
        try:
            x, y = int(fields["Absolute upper-left X"]), int(fields["Absolute upper-left Y"])
            w, h = int(fields["Width"]), int(fields["Height"])
        except (KeyError, ValueError):
            continue
        title = info.split('"', 2)[1] if '"' in info else wid
        extents = subprocess.run(["xprop", "-id", wid, "_NET_FRAME_EXTENTS"], env=display.env, capture_output=True,
                                 text=True).stdout
        left = right = top = bottom = 0
        if "=" in extents:
            left, right, top, bottom = (int(v) for v in extents.split("=", 1)[1].split(","))
        frames.append((title, (x - left, y - top, w + left + right, h + top + bottom)))
    return sorted(frames)


def overlaps(frames: list[tuple[str, tuple[int, int, int, int]]], width: int, height: int) -> list[str]:
    """What is wrong with a layout: frames that overlap each other or leave the screen."""
    problems = []
    for i, (name, (x, y, w, h)) in enumerate(frames):
        if x < 0 or y < 0 or x + w > width or y + h > height:
            problems.append(f"{name} leaves the {width}x{height} screen: {w}x{h}+{x}+{y}")
        for other, (x2, y2, w2, h2) in frames[i + 1:]:
            if x < x2 + w2 and x2 < x + w and y < y2 + h2 and y2 < y + h:
                problems.append(f"{name} overlaps {other}")
    return problems
